"""A local fake of LINE's Messaging API for tests: every request is checked against LINE's OpenAPI spec."""

from fake_line.server import FakeLine, Recorded
from fake_line.spec import load_spec, spec_path

__all__ = ["FakeLine", "Recorded", "load_spec", "spec_path"]
