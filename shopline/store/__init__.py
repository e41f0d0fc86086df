"""The local database through Peewee. Open it once with open_store(); models bind to db."""

from shopline.store.connection import close_store, db, open_store

__all__ = ["db", "open_store", "close_store"]
