"""`--self-test` from source, in a child process as the frozen app runs it (tools/build_release.py runs it frozen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    # SHOPLINE_HOME points at a folder the self-test must leave alone: it works on a temporary one.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHOPLINE_HOME": str(home)}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_self_test_passes_and_names_the_keyring_backend(tmp_path):
    home = tmp_path / "shop"
    result = run(["main.py", "--self-test"], home)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in ("translations", "database", "window", "resources", "line-bot-sdk", "keyring"):
        assert any(line.startswith(f"ok    {check}: ") for line in lines), result.stdout
    keyring_line = next(line for line in lines if line.startswith("ok    keyring: "))
    assert "Keyring" in keyring_line and "backends bundled: " in keyring_line
    assert "(Cancel → キャンセル)" in result.stdout  # Qt's own buttons really speak Japanese
    assert lines[-1] == "self-test passed"
    assert not home.exists() or not any(home.iterdir())


def test_a_missing_translation_fails_with_a_sentence(tmp_path):
    empty = tmp_path / "no-qm"
    empty.mkdir()
    # The app's catalogue folder swapped for an empty one, as if the build had left the .qm out.
    code = ("import sys; from pathlib import Path; from shopline.ui import app, i18n_build; "
            f"app.I18N_DIR = i18n_build.I18N_DIR = Path({str(empty)!r}); "
            "sys.exit(app.main(['--self-test']))")
    result = run(["-c", code], tmp_path / "shop")
    assert result.returncode != 0
    assert (f"FAIL  translations: ShopLine's Japanese translation was not loaded: "
            f"{empty / 'shopline_ja.qm'} is missing or empty") in result.stdout
    assert "ok    database: " in result.stdout  # the other checks still ran and reported
    assert result.stdout.splitlines()[-1] == "self-test FAILED: 1 check(s) failed"
