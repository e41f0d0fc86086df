"""After connect and sync, the token is in the keyring and nowhere else.

Searched: every file under the data folder (database, WAL, backups, logs), the
home and XDG folders where QSettings and other settings files would land, every
log record at DEBUG level (ours, line-bot-sdk's, urllib3's), and the console.
"""

from __future__ import annotations

import io
import logging

from shopline import cli
from shopline.store import close_store

TOKEN_MARKER = "fake-channel-token"


def files_holding(root, needle: bytes):
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_token_only_in_keyring(data_dir, tmp_path, fake_line, memory_keyring, monkeypatch, capsys, caplog):
    home = tmp_path / "home"
    for name, sub in [
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_connect", "shopline.cli.cmd_sync"])
    caplog.set_level(logging.DEBUG)
    for name in ("linebot", "urllib3", "shopline"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    fake_line.add_followers(50)
    token = fake_line.token
    assert TOKEN_MARKER in token

    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-" + token))  # a failed attempt first
    assert cli.main(["connect"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(token))
    assert cli.main(["connect"]) == 0
    assert cli.main(["sync"]) == 0
    fake_line.followers_forbidden = True  # errors on the way must not leak it either
    assert cli.main(["sync"]) == 2
    assert cli.main(["disconnect"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(token))
    assert cli.main(["connect"]) == 0
    close_store()

    assert list(memory_keyring.entries.values()) == [token]
    assert len(caplog.records) > 0
    console = capsys.readouterr()
    for needle in (token, TOKEN_MARKER):
        assert files_holding(data_dir, needle.encode()) == []
        assert files_holding(home, needle.encode()) == []
        assert not [r for r in caplog.records if needle in r.getMessage()]
        assert needle not in console.out + console.err
    assert any(p.name.startswith("shopline") for p in data_dir.iterdir())  # the search saw the database
