"""`shopline export` never writes over the shop's own data, and a bad target is one sentence, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopline.store import close_store, open_store
from shopline.store.models import Friend

ROOT = Path(__file__).resolve().parent.parent


def shopline(*argv: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHOPLINE_HOME": str(home), "SHOPLINE_LANG": "ja"}
    return subprocess.run([sys.executable, "-m", "shopline", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def shop(data_dir):
    open_store(data_dir)
    Friend.create(user_id="U" + "a" * 32, display_name="佐藤")
    close_store()
    return data_dir


def _intact(folder: Path) -> None:
    open_store(folder)
    try:
        assert Friend.select().count() == 1
    finally:
        close_store()


@pytest.mark.parametrize("name", ["shopline.sqlite3", "shopline.sqlite3-wal", "shopline.sqlite3-shm",
                                  "shopline.sqlite3-journal", "SHOPLINE.sqlite3", "backups/x.csv",
                                  "backups/../shopline.sqlite3"])
def test_export_refuses_the_database_and_backups(shop, name):
    result = shopline("export", str(shop) + "/" + name, home=shop)
    assert result.returncode == 2, result.stderr
    assert "データファイル" in result.stderr and "Traceback" not in result.stderr
    _intact(shop)


def test_export_refuses_the_database_through_a_symlink(shop, tmp_path):
    link = tmp_path / "elsewhere.csv"
    link.symlink_to(shop / "shopline.sqlite3")
    result = shopline("export", str(link), home=shop)
    assert result.returncode == 2 and "データファイル" in result.stderr
    _intact(shop)
    (tmp_path / "dir").symlink_to(shop / "backups")
    assert shopline("export", str(tmp_path / "dir" / "a.csv"), home=shop).returncode == 2


def test_export_to_a_missing_folder_or_a_folder(shop, tmp_path):
    result = shopline("export", "/nonexistent/x.csv", home=shop)
    assert result.returncode == 2 and "がありません" in result.stderr and "Traceback" not in result.stderr
    result = shopline("export", str(tmp_path) + "/", home=shop)
    assert result.returncode == 2 and "フォルダです" in result.stderr and "Traceback" not in result.stderr
    assert shopline("export", str(tmp_path / "ok.csv"), home=shop).returncode == 0


def test_a_data_dir_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = shopline("--data-dir", str(blocker / "shop"), "friends", home=tmp_path / "unused")
    assert result.returncode == 2, result.stderr
    assert "データフォルダ" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
