"""The SQLite half of the store moved to store/dialect/sqlite.py; these names stay importable from here for
the modules that import them by this path."""

from shopline.store.dialect.sqlite import (
    BUSY_TIMEOUT_ENV,
    PRAGMAS,
    AnyDatabase,
    copy_database,
    indexes_suspended,
    insert_rows,
    integrity_ok,
    make_database,
    max_rowid,
    register_functions,
    search_folding_deferred,
    update_rows,
    upsert_rows,
    write_transaction,
)

__all__ = ["BUSY_TIMEOUT_ENV", "PRAGMAS", "AnyDatabase", "copy_database", "indexes_suspended", "insert_rows",
           "integrity_ok", "make_database", "max_rowid", "register_functions", "search_folding_deferred",
           "update_rows", "upsert_rows", "write_transaction"]
