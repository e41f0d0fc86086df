import sqlite3

from shopline.core.messages import ShopLineError
from shopline.store import close_store, db, open_store, schema
from shopline.store.models import Friend


def test_fresh_database_has_wal_foreign_keys_and_version(store):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema.current_version() == schema.SCHEMA_VERSION
    assert (store / "shopline.sqlite3").exists()


def test_data_dir_from_environment(data_dir):
    assert open_store() == data_dir.resolve()
    close_store()


def test_migration_backs_up_first_and_runs_steps(store, monkeypatch):
    Friend.create(user_id="U" + "a" * 32, display_name="佐藤")
    close_store()
    calls = []

    def step():
        # The backup must already hold the pre-migration data when a step runs.
        backups = list((store / "backups").glob("*before-v2*.sqlite3"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as con:
            calls.append(con.execute("SELECT display_name FROM friend").fetchall())
        db.execute_sql("ALTER TABLE friend ADD COLUMN nickname TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 2, step)
    open_store(store)
    assert calls == [[("佐藤",)]]
    assert schema.current_version() == 2
    assert "nickname" in [c.name for c in db.get_columns("friend")]


def test_failed_migration_rolls_back(store, monkeypatch):
    close_store()

    def broken():
        db.execute_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)
    try:
        open_store(store)
    except RuntimeError:
        pass
    close_store()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    open_store(store)
    assert schema.current_version() == 1
    assert "half_done" not in db.get_tables()


def test_daily_backup_once_a_day(store):
    close_store()
    open_store(store)
    open_store(store)
    assert len(list((store / "backups").glob("*daily.sqlite3"))) == 1


def test_newer_database_is_refused(store, monkeypatch):
    close_store()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 0)
    try:
        open_store(store)
        raise AssertionError("should refuse")
    except ShopLineError as err:
        assert "更新してください" in str(err)
