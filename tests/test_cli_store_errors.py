"""Whatever the command, a locked, full or read-only database is one sentence and exit 2, never a traceback."""

from __future__ import annotations

import sqlite3

import peewee
import pytest

from shopline.cli import build_parser, main

FAILURES = [
    ("database is locked", "書き込み中"),
    ("database or disk is full", "ディスクがいっぱい"),
    ("attempt to write a readonly database", "読み取り専用"),
]


def _command_fails_with(monkeypatch, func) -> None:
    """`shopline friends` parsed as usual, with `func` as the command that runs."""
    parser = build_parser()
    real = parser.parse_args

    def parse(argv):
        args = real(argv)
        args.func = func
        return args

    monkeypatch.setattr(parser, "parse_args", parse)
    monkeypatch.setattr("shopline.cli.build_parser", lambda: parser)


@pytest.mark.parametrize("words, said", FAILURES)
def test_store_errors_at_the_top_are_sentences(store, monkeypatch, capsys, words, said):
    def fails(_args):
        try:
            raise sqlite3.OperationalError(words)
        except sqlite3.OperationalError as exc:
            raise peewee.OperationalError(*exc.args) from exc  # as peewee re-raises SQLite's

    _command_fails_with(monkeypatch, fails)
    assert main(["friends"]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and "OperationalError" not in err


def test_a_raw_sqlite_error_too(store, monkeypatch, capsys):
    def fails(_args):
        raise sqlite3.OperationalError("database is locked")

    _command_fails_with(monkeypatch, fails)
    assert main(["friends"]) == 2 and "書き込み中" in capsys.readouterr().err


def test_other_errors_still_raise(store, monkeypatch):
    def broken(_args):
        raise peewee.OperationalError("no such table: nope")  # a bug: the traceback is what a developer needs

    _command_fails_with(monkeypatch, broken)
    with pytest.raises(peewee.OperationalError):
        main(["friends"])
