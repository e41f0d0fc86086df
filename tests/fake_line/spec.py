"""Finding and loading LINE's OpenAPI documents, vendored in tests/line_openapi (Apache-2.0)."""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

SPEC_ENV = "SHOPLINE_LINE_OPENAPI"  # a folder holding messaging-api.yml, for checkouts kept elsewhere
SPEC_FILE = "messaging-api.yml"
INSIGHT_FILE = "insight.yml"
INSIGHT_PREFIX = "/v2/bot/insight/"
VENDORED = Path(__file__).resolve().parents[1] / "line_openapi"


def spec_path() -> Path:
    """messaging-api.yml: $SHOPLINE_LINE_OPENAPI if set, else the copy vendored in tests/line_openapi.

    The repository carries its own copy so that a clone anywhere tests against the same documents.
    """
    folder = Path(os.environ[SPEC_ENV]) if os.environ.get(SPEC_ENV) else VENDORED
    if not (folder / SPEC_FILE).is_file():
        raise FileNotFoundError(f"LINE's OpenAPI spec not found in {folder}; set {SPEC_ENV} or restore the copy.")
    return folder / SPEC_FILE


@functools.cache
def load_insight_spec():
    """insight.yml, beside messaging-api.yml: LINE documents the insight endpoints in their own file."""
    from openapi_core import OpenAPI

    return OpenAPI.from_file_path(str(spec_path().with_name(INSIGHT_FILE)))


@functools.cache
def load_spec():
    """The parsed spec (about 0.6 s with imports): loaded once per process."""
    from openapi_core import OpenAPI

    return OpenAPI.from_file_path(str(spec_path()))


class RequestChecker:
    """openapi-core's request validation, with a cache so 10,000 profile requests stay cheap.

    A cached verdict is reused only for a request identical in method, query, headers
    and body, whose path differs only in path parameters the spec leaves as plain
    strings (so their value cannot change the verdict), and which matches one template.
    """

    SPEC_HOST = "https://api.line.me"  # the spec's server; requests are checked as if sent there
    _PLAIN = {"type": "string"}
    _USER = re.compile(r"U[0-9a-f]{32}")
    _UNIT = re.compile(r"[a-zA-Z0-9_]{1,30}")  # customAggregationUnits' pattern in the spec
    _UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

    def __init__(self, spec) -> None:
        self.spec = spec
        self._cache: dict[tuple, str | None] = {}
        self._path_keys: dict[str, str] = {}
        self._templates: list[tuple[str, re.Pattern, bool]] = []
        with (spec.spec / "paths").open() as paths:
            for template, item in paths.items():
                pattern = re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)))
                params = list(item.get("parameters", []))
                for operation in item.values():
                    if isinstance(operation, dict):
                        params += operation.get("parameters", [])
                plain = all(p.get("schema") == self._PLAIN for p in params if p.get("in") == "path" or "$ref" in p)
                self._templates.append((template, pattern, plain))

    def _path_key(self, path: str) -> str:
        # Remembered per path: matching a path against the spec's ~70 templates was a sixth of the fake's CPU per
        # push, and a benchmark's 1,500 pushes a second all go to one path.
        key = self._path_keys.get(path)
        if key is None:
            matches = [(t, plain) for t, pattern, plain in self._templates if pattern.fullmatch(path)]
            key = matches[0][0] if len(matches) == 1 and matches[0][1] else path
            if len(self._path_keys) > 10_000:
                self._path_keys.clear()
            self._path_keys[path] = key
        return key

    def _shape(self, headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
        """What the verdict depends on, so 200 multicasts of 500 different friends cost one validation.

        A retry key only has to be a UUID, and multicast's `to` only a list of strings
        (the spec gives the items no pattern): keep their shape, drop their values.
        """
        retry_key = headers.get("x-line-retry-key")
        if retry_key and self._UUID.fullmatch(retry_key):
            headers = headers | {"x-line-retry-key": "<uuid>"}
        if b'"to"' in body:
            try:
                data = json.loads(body)
            except ValueError:
                return headers, body
            to = data.get("to") if isinstance(data, dict) else None
            if isinstance(to, list) and all(isinstance(u, str) for u in to):
                # Its length matters only against the spec's bounds (1 to 500), a unit's name only as it matches the
                # spec's pattern: a run's dozens of campaigns (each its own unit, part-filled multicasts of every
                # size) would each cost the fake a fresh validation, slowing its answers where LINE's are not.
                shape: dict = {"to": "1..500" if 1 <= len(to) <= 500 else len(to)}
                units = data.get("customAggregationUnits")
                if isinstance(units, list) and len(units) == 1 and isinstance(units[0], str) \
                        and self._UNIT.fullmatch(units[0]):
                    shape["customAggregationUnits"] = ["<unit>"]
                body = json.dumps(data | shape, sort_keys=True).encode()
                headers = {k: v for k, v in headers.items() if k != "content-length"}
            elif isinstance(to, str) and self._USER.fullmatch(to) and isinstance(data.get("messages"), list):
                # A personal push: its own friend and text; the verdict depends on the text's length, not its words.
                messages = [m | {"text": "x" * len(m["text"])} if isinstance(m, dict) and isinstance(
                    m.get("text"), str) else m for m in data["messages"]]
                body = json.dumps(data | {"to": "<user>", "messages": messages}, sort_keys=True).encode()
                headers = {k: v for k, v in headers.items() if k != "content-length"}
        return headers, body

    def check(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes) -> str | None:
        """None when the request is valid per the spec, else why not."""
        shown_headers, shown_body = self._shape(headers, body)
        key = (method, self._path_key(path), tuple(sorted(query.items())), tuple(sorted(shown_headers.items())),
               shown_body)
        if key in self._cache:
            return self._cache[key]
        from openapi_core.testing import MockRequest

        mock = MockRequest(
            self.SPEC_HOST,
            method.lower(),
            path,
            args=query,
            headers=headers,
            data=body or None,
            content_type=headers.get("content-type", "application/json"),
        )
        try:
            self.spec.validate_request(mock)
            verdict = None
        except Exception as exc:  # openapi-core raises one of many types; all mean "not per spec"
            verdict = f"{type(exc).__name__}: {exc}"
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = verdict
        return verdict
