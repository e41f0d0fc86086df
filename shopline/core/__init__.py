"""The shop's domain in pure Python: no Qt, no database, no network."""
