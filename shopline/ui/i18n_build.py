"""Compiling the window's translations (.ts sources -> .qm) with the lrelease that ships in PySide6.

Run from a source checkout the app compiles them itself when a .qm is missing or
older than its .ts, so `pip install -e . && python main.py` speaks Japanese; a
frozen build carries compiled .qm files and never gets here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N_DIR = Path(__file__).with_name("i18n")
SOURCES = Path(__file__).parent
LANGUAGES = ("ja", "en")


def tool(name: str) -> str:
    # A venv's scripts are not on PATH unless the venv is activated: look beside its python too.
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise FileNotFoundError(f"{name} not found: install PySide6 (pip install pyside6) in this environment")
    return found


def stale() -> list[str]:
    """Languages whose .qm is missing or older than its .ts."""
    out = []
    for lang in LANGUAGES:
        ts, qm = I18N_DIR / f"shopline_{lang}.ts", I18N_DIR / f"shopline_{lang}.qm"
        if ts.exists() and (not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime):
            out.append(lang)
    return out


def release(languages: tuple[str, ...] | list[str] = LANGUAGES) -> list[Path]:
    built = []
    for lang in languages:
        ts, qm = I18N_DIR / f"shopline_{lang}.ts", I18N_DIR / f"shopline_{lang}.qm"
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def update(root: Path) -> None:
    """Refresh the .ts sources from the tr() calls (after changing strings)."""
    sources = [str(p.relative_to(root)) for p in sorted(SOURCES.rglob("*.py"))]
    for lang in LANGUAGES:
        ts = I18N_DIR / f"shopline_{lang}.ts"
        # English is the source language: its file only needs the plural forms ("1 friend", "2 friends").
        only_plurals = ["-pluralonly"] if lang == "en" else []
        subprocess.run([tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *only_plurals, *sources,
                        "-target-language", lang, "-ts", str(ts.relative_to(root))], cwd=root, check=True)


def ensure_compiled() -> None:
    if getattr(sys, "frozen", False):
        return
    todo = stale()
    if todo:
        release(todo)
