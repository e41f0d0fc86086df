"""The v9 tables (personal values, tracked links, clicks): made fresh, and added to a v8 database by migration."""

from __future__ import annotations

from shopline.store import close_store, db, open_store, schema
from shopline.store.models import SchemaVersion

TABLES = {"personal_values", "tracked_link", "click"}


def test_fresh_store_has_the_tables(store):
    assert TABLES <= set(db.get_tables())


def test_a_v8_database_gains_them_with_a_backup_first(store):
    for table in TABLES:
        db.execute_sql(f'DROP TABLE "{table}"')
    SchemaVersion.update(version=8).execute()  # a fresh store has one row: its version
    close_store()
    open_store(store)
    assert TABLES <= set(db.get_tables()) and schema.current_version() == schema.SCHEMA_VERSION
    assert list((store / "backups").glob(f"*before-v{schema.SCHEMA_VERSION}*.sqlite3"))
