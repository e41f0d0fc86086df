"""What every model module needs and nothing more: the database proxy, BaseModel and the time models stamp.

It imports no other store module, so models, schema and connection all build on it without a cycle
(connection opens the database and initialises the proxy; models only bind to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from peewee import DatabaseProxy, Model

db = DatabaseProxy()


def now() -> dt.datetime:
    """Naive local time to the second: what created_at/updated_at columns have always held.
    The delivery journal and the automations write aware UTC through their own clocks instead."""
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def tuples(query: Any) -> Iterable[tuple[Any, ...]]:
    """query.tuples(), typed as what it yields: peewee's stubs say model instances, it gives plain tuples."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())
