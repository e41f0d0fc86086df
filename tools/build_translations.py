"""Compile the window's translations (.ts sources -> .qm), refreshing the sources first with --update.

    python tools/build_translations.py            # .qm next to the .ts, as the app loads them
    python tools/build_translations.py --update   # after changing tr() strings: lupdate, then compile

The .qm files are build products (ignored by git). The app compiles stale ones itself
when run from source; this script is for translators and for the packaging build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shopline.ui import i18n_build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="refresh the .ts sources from tr() calls first")
    args = parser.parse_args(argv)
    if args.update:
        i18n_build.update(ROOT)
    for qm in i18n_build.release():
        print(f"built {qm.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
