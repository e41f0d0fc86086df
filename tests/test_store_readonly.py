"""A data folder that cannot be written is reported as read-only, with where and what to do — not as damage."""

from __future__ import annotations

import sqlite3

import pytest
from peewee import SqliteDatabase

from shopline.cli import main
from shopline.store import close_store, connection, db, open_store
from shopline.store.dialect import sqlite
from shopline.store.errors import StoreReadOnly
from shopline.store.models import Friend


def _read_only(monkeypatch) -> None:
    """Every database the app opens from now on is opened as SQLite opens a file it may not write."""
    def make(path):
        database = SqliteDatabase(f"file:{path}?mode=ro", uri=True, pragmas=sqlite.PRAGMAS, check_same_thread=False)
        sqlite.register_functions(database)
        return database

    monkeypatch.setattr(sqlite, "make_database", make)


def _shop(folder, journal_mode: str = "wal") -> None:
    open_store(folder)
    Friend.create(user_id="U" + "a" * 32, display_name="佐藤")
    db.execute_sql(f"PRAGMA journal_mode = {journal_mode}")
    close_store()


def test_opening_a_read_only_database_says_read_only(data_dir, monkeypatch, capsys):
    _shop(data_dir, journal_mode="delete")  # switching it to WAL is the first write at opening
    _read_only(monkeypatch)
    with pytest.raises(StoreReadOnly) as caught:
        open_store(data_dir)
    said = str(caught.value)
    assert "読み取り専用" in said and str(data_dir) in said and "--data-dir" in said
    assert "壊れている場合" not in said and "バックアップ" not in said
    assert main(["friends"]) == 2
    err = capsys.readouterr().err
    assert "読み取り専用" in err and "Traceback" not in err


def test_a_write_to_a_read_only_database_says_read_only(data_dir, monkeypatch, capsys, tmp_path):
    _shop(data_dir)
    _read_only(monkeypatch)
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("ユーザーID,表示名\n" + "U" + "b" * 32 + ",鈴木\n", encoding="utf-8")
    assert main(["import", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert "読み取り専用" in err and str(data_dir) in err and "Traceback" not in err


def test_a_folder_the_user_may_not_write_is_read_only_not_damaged(data_dir, monkeypatch):
    """As another user than root meets it: SQLite cannot create the -shm file and says "unable to open"."""
    _shop(data_dir)

    def cannot_open(self, *args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(SqliteDatabase, "_connect", cannot_open)
    monkeypatch.setattr(connection.os, "access", lambda path, mode: False)
    with pytest.raises(StoreReadOnly) as caught:
        open_store(data_dir)
    assert str(data_dir) in str(caught.value)
    close_store()
