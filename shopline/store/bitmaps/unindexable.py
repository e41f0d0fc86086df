"""The one exception the index's pieces raise, in a module of its own so every piece can import it."""

from __future__ import annotations


class Unindexable(Exception):
    """A column whose stored values do not sort in Python as SQLite sorts them (mixed types, or a text the
    index cannot split): the conditions on it are answered by the SQL compiler instead."""
