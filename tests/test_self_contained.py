"""The repository stands on its own: nothing it runs or tests reads from beside the checkout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A path that leaves the checkout for the design notes kept beside it on developers' machines.
OUTSIDE = re.compile(r"""(\.\./|parent\s*/\s*)["']?shared|["']shared["']\s*/\s*["']line-openapi""")


def test_no_code_reads_from_beside_the_repository():
    offenders = []
    for folder in ("shopline", "tests", "tools", "bench", "packaging"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), 1):
                if OUTSIDE.search(line) and path.name != "test_self_contained.py":
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for name in (".ci/run", "build.spec", "main.py"):
        text = (ROOT / name).read_text(encoding="utf-8")
        if OUTSIDE.search(text):
            offenders.append(name)
    assert not offenders, "reads outside the checkout:\n" + "\n".join(offenders)


def test_lines_openapi_documents_are_vendored_with_their_licence():
    folder = ROOT / "tests" / "line_openapi"
    for name in ("messaging-api.yml", "insight.yml", "webhook.yml", "LICENSE", "README.md"):
        assert (folder / name).is_file(), name
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")
