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
    nxt = schema.SCHEMA_VERSION + 1  # a step after the real ones

    def step():
        # The backup must already hold the pre-migration data when a step runs.
        backups = list((store / "backups").glob(f"*before-v{nxt}*.sqlite3"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as con:
            calls.append(con.execute("SELECT display_name FROM friend").fetchall())
        db.execute_sql("ALTER TABLE friend ADD COLUMN nickname TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", nxt)
    monkeypatch.setitem(schema.MIGRATIONS, nxt, step)
    open_store(store)
    assert calls == [[("佐藤",)]]
    assert schema.current_version() == nxt
    assert "nickname" in [c.name for c in db.get_columns("friend")]


def test_failed_migration_rolls_back(store, monkeypatch):
    close_store()
    current = schema.SCHEMA_VERSION

    def broken():
        db.execute_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current + 1, broken)
    try:
        open_store(store)
    except RuntimeError:
        pass
    close_store()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current)
    open_store(store)
    assert schema.current_version() == current
    assert "half_done" not in db.get_tables()


def test_daily_backup_once_a_day(store):
    close_store()
    open_store(store)
    open_store(store)
    assert len(list((store / "backups").glob("*daily.sqlite3"))) == 1


def test_newer_database_is_refused(store, monkeypatch):
    close_store()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    try:
        open_store(store)
        raise AssertionError("should refuse")
    except ShopLineError as err:
        assert "更新してください" in str(err)


def test_real_v1_database_migrates_to_campaign_tables(data_dir):
    from shopline.store.models import ALL_MODELS, SchemaVersion
    from shopline.store.sqlite import make_database

    # A database as version 1 of the app left it: no campaign tables.
    v1 = make_database(data_dir / "shopline.sqlite3")
    db.initialize(v1)
    db.create_tables(ALL_MODELS)
    SchemaVersion.create(version=1)
    Friend.create(user_id="U" + "b" * 32)
    v1.close()

    open_store(data_dir)
    assert schema.current_version() == schema.SCHEMA_VERSION
    assert {"campaign", "batch", "recipient"} <= set(db.get_tables())
    assert Friend.select().count() == 1
    assert len(list((data_dir / "backups").glob(f"*before-v{schema.SCHEMA_VERSION}.sqlite3"))) == 1
    close_store()


def test_a_damaged_data_file_is_explained_not_a_traceback(data_dir, capsys):
    from shopline.cli import main
    from shopline.store.connection import StoreUnavailable

    (data_dir / "shopline.sqlite3").write_bytes(b"not a database " * 100)
    try:
        open_store(data_dir)
    except StoreUnavailable as exc:
        said = str(exc)
    else:
        raise AssertionError("a file that is not a database opened")
    assert str(data_dir / "shopline.sqlite3") in said and str(data_dir / "backups") in said
    assert "開けませんでした" in said and db.obj.is_closed()
    assert main(["friends"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "開けませんでした" in err


def test_a_v10_store_gets_the_triggers_that_score_an_attached_friend(store):
    """v10's attach triggers only marked the scores stale; v11's score the friend at once."""
    from shopline.store.models import SchemaVersion
    from shopline.store.purchase_models import TRIGGERS

    old = "CREATE TRIGGER purchase_attach_friend AFTER INSERT ON friend BEGIN SELECT 1; END"
    db.execute_sql("DROP TRIGGER purchase_attach_friend")
    db.execute_sql(old)
    SchemaVersion.create(version=10)
    SchemaVersion.delete().where(SchemaVersion.version >= 11).execute()
    folder = store
    close_store()
    open_store(folder)
    assert schema.current_version() == schema.SCHEMA_VERSION
    (sql,), = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'purchase_attach_friend'").fetchall()
    assert sql == TRIGGERS["purchase_attach_friend"] and "purchase_rfm" in sql


def test_a_v11_store_gains_the_write_log(store):
    """v12: the table each commit leaves its row in, for the bitmap index to catch up from."""
    from shopline.store import write_log
    from shopline.store.models import SchemaVersion, Tag

    db.execute_sql(f"DROP TABLE {write_log.TABLE}")
    SchemaVersion.create(version=11)
    SchemaVersion.delete().where(SchemaVersion.version == 12).execute()
    close_store()
    open_store(store)
    assert schema.current_version() == 12
    before = db.execute_sql(f"SELECT max(n) FROM {write_log.TABLE}").fetchone()[0]
    Tag.create(name="VIP")
    assert db.execute_sql(f"SELECT max(n), tables FROM {write_log.TABLE}").fetchone() == (before + 1, "tag")
