"""A full disk: one clear sentence per command, nothing half-written, a send left resumable.

SQLite's max_page_count makes the database "full" with a real SQLITE_FULL from every write path.
"""

from __future__ import annotations

import pytest
from delivery_helpers import TOKEN, exactly_once, shop

from shopline.cli import main
from shopline.store import close_store, db, open_store, sqlite
from shopline.store.campaign_models import Batch, Campaign
from shopline.store.models import Friend


def _fill_up(monkeypatch, spare_pages: int) -> None:
    """From the next open on, the database may grow by only `spare_pages` pages."""
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    monkeypatch.setitem(sqlite.PRAGMAS, "max_page_count", pages + spare_pages)
    close_store()


def _intact(folder, friends: int) -> None:
    open_store(folder)
    assert db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert Friend.select().count() == friends


def test_an_import_on_a_full_disk(store, tmp_path, monkeypatch, capsys):
    shop(100)
    _fill_up(monkeypatch, spare_pages=3)
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("ユーザーID,表示名,メモ\n" + "".join(f"U{i:032x},友だち{i},{'メモ' * 40}\n"
                                                          for i in range(1000, 6000)), encoding="utf-8")
    assert main(["import", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert "ディスクがいっぱい" in err and "空きを作って" in err
    assert "Traceback" not in err and "cannot rollback" not in err
    monkeypatch.delitem(sqlite.PRAGMAS, "max_page_count")
    _intact(store, 100)


@pytest.mark.parametrize("nested", [False, True])
def test_a_rollback_sqlite_made_itself_is_not_repeated(store, nested):
    """On a real full disk SQLite may roll the transaction back by itself; a second ROLLBACK then failed
    with "cannot rollback - no transaction is active", chained over the real error."""
    import sqlite3
    from contextlib import nullcontext

    from shopline.store.sqlite import write_transaction

    shop(10)
    with pytest.raises(sqlite3.OperationalError) as caught:
        with write_transaction(db) if nested else nullcontext():
            with write_transaction(db):
                Friend.update(display_name="途中").execute()
                db.connection().execute("ROLLBACK")  # what SQLite did when the disk filled
                raise sqlite3.OperationalError("database or disk is full")
    assert str(caught.value) == "database or disk is full"
    assert not db.connection().in_transaction
    _intact(store, 10)
    assert Friend.select().where(Friend.display_name == "途中").count() == 0


@pytest.fixture
def connected(store, fake_line, monkeypatch):
    monkeypatch.setenv("SHOPLINE_CHANNEL_TOKEN", TOKEN)
    return fake_line


def test_a_send_that_cannot_be_saved(connected, store, monkeypatch, capsys):
    shop(3000)
    _fill_up(monkeypatch, spare_pages=2)
    assert main(["send", "--segment", "VIP", "--text", "セール", "--name", "春", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "ディスクがいっぱい" in err and "Traceback" not in err
    assert not connected.delivered
    monkeypatch.delitem(sqlite.PRAGMAS, "max_page_count")
    _intact(store, 3000)
    assert Campaign.select().count() == 0 and Batch.select().count() == 0  # nothing half-frozen


def test_a_send_whose_journal_cannot_be_written_is_resumable(connected, store, monkeypatch, capsys):
    """The disk fills up mid-send: LINE accepted a batch the journal could not record. Resume sends it
    again with its retry key, and LINE (409) does not deliver it twice."""
    import sqlite3

    import peewee

    from shopline.delivery import journal

    expected = shop(1200)
    real_record = journal.Journal.record
    recorded = []

    def record_until_the_disk_is_full(self, batch, outcome, answer, attempts):
        if recorded:
            try:  # what a full disk does to the WAL's next write, as peewee passes it on
                raise sqlite3.OperationalError("database or disk is full")
            except sqlite3.OperationalError as exc:
                raise peewee.OperationalError(*exc.args) from exc
        recorded.append(batch.id)
        return real_record(self, batch, outcome, answer, attempts)

    monkeypatch.setattr(journal.Journal, "record", record_until_the_disk_is_full)
    code = main(["send", "--segment", "VIP", "--text", "セール", "--name", "春", "--yes"])
    err = capsys.readouterr().err
    assert code == 4 and "ディスクがいっぱい" in err and "shopline resume 春" in err and "Traceback" not in err
    assert Batch.select().where(Batch.status == "pending").count() >= 1
    monkeypatch.setattr(journal.Journal, "record", real_record)
    assert main(["resume", "春"]) == 0
    exactly_once(connected, expected)
