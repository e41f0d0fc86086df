"""Compile the window's translations (.ts sources -> .qm), refreshing the sources first with --update.

    python tools/build_translations.py            # .qm next to the .ts, as the app loads them
    python tools/build_translations.py --update   # after changing tr() strings: lupdate, then compile

The .qm files are build products (ignored by git); the install and test commands run this script.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "shopline" / "ui"
I18N = SOURCES / "i18n"
LANGUAGES = ("ja", "en")


def tool(name: str) -> str:
    # A venv's scripts are not on PATH unless the venv is activated: look beside its python too.
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install pyside6) in this environment")
    return found


def update() -> None:
    sources = [str(p.relative_to(ROOT)) for p in sorted(SOURCES.glob("*.py"))]
    for lang in LANGUAGES:
        ts = I18N / f"shopline_{lang}.ts"
        # English is the source language: its file only needs the plural forms ("1 friend", "2 friends").
        only_plurals = ["-pluralonly"] if lang == "en" else []
        subprocess.run([tool("pyside6-lupdate"), "-locations", "none", "-no-obsolete", *only_plurals, *sources,
                        "-target-language", lang, "-ts", str(ts.relative_to(ROOT))], cwd=ROOT, check=True)


def release() -> list[Path]:
    built = []
    for lang in LANGUAGES:
        ts, qm = I18N / f"shopline_{lang}.ts", I18N / f"shopline_{lang}.qm"
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="refresh the .ts sources from tr() calls first")
    args = parser.parse_args(argv)
    if args.update:
        update()
    for qm in release():
        print(f"built {qm.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
