"""Add or change one Japanese translation in shopline_ja.ts, safely while others edit it too.

    python tools/i18n_add.py CONTEXT "English source" "日本語訳"
    python tools/i18n_add.py --numerus CONTEXT "%n friend(s)" "%n人"

CONTEXT is the class whose tr() holds the string (Qt's translation context). The file is locked for
the read-modify-write, so several people (or scripts) adding strings at once lose none of them.
`tools/build_translations.py --update` later tidies the file (lupdate keeps these translations).
"""

from __future__ import annotations

import argparse
import fcntl
import sys
from pathlib import Path
from xml.sax.saxutils import escape

TS = Path(__file__).resolve().parents[1] / "shopline" / "ui" / "i18n" / "shopline_ja.ts"


def _message(source: str, translation: str, numerus: bool) -> str:
    if numerus:
        return (f'    <message numerus="yes">\n        <source>{escape(source)}</source>\n'
                f"        <translation>\n            <numerusform>{escape(translation)}</numerusform>\n"
                "        </translation>\n    </message>\n")
    return (f"    <message>\n        <source>{escape(source)}</source>\n"
            f"        <translation>{escape(translation)}</translation>\n    </message>\n")


def add(text: str, context: str, source: str, translation: str, numerus: bool = False) -> str:
    block = _message(source, translation, numerus)
    head = f"<context>\n    <name>{escape(context)}</name>\n"
    start = text.find(head)
    if start < 0:
        end = text.rindex("</TS>")
        return text[:end] + head + block + "</context>\n" + text[end:]
    stop = text.index("</context>", start)
    body = text[start:stop]
    marker = f"<source>{escape(source)}</source>"
    at = body.find(marker)
    if at >= 0:  # replace the existing message for this source
        m_start = body.rfind("    <message", 0, at)
        m_end = body.index("</message>\n", at) + len("</message>\n")
        body = body[:m_start] + block + body[m_end:]
    else:
        body = body + block
    return text[:start] + body + text[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numerus", action="store_true")
    parser.add_argument("context")
    parser.add_argument("source")
    parser.add_argument("translation")
    args = parser.parse_args(argv)
    with open(TS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        text = TS.read_text(encoding="utf-8")
        TS.write_text(add(text, args.context, args.source, args.translation, args.numerus), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
