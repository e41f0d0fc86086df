"""DESIGN.md's layer rules, checked on the source: arrows point down only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "shopline"

# What each layer may import of ours (besides itself and the small shared top-level modules).
SHARED = {"shopline", "shopline.paths", "shopline.demo_data"}
ALLOWED = {
    "core": set(),
    "paths": {"core"},  # its error sentences are core.messages Texts
    "store": {"core"},
    "line": {"core"},
    "csvio": {"core", "store"},
    "delivery": {"core", "store", "line", "links"},  # links: a personal send registers its tracked links first
    "sync": {"core", "store", "line"},
    "secrets": {"core", "store", "line"},
    # purchases, automations: the demo's purchases and sample scenario go through their real import and save
    "demo": {"core", "store", "csvio", "purchases", "automations"},
    "automations": {"core", "store", "line", "delivery", "results"},  # results: a step's figures are results'
    "schedule": {"core"},
    "inbox": {"core", "store", "line", "secrets"},
    "results": {"core", "store", "line", "csvio", "delivery", "secrets"},
    "purchases": {"core", "store", "csvio"},
    "links": {"core", "store", "inbox", "csvio"},  # tracked links live on the relay the inbox pulls from
    "abtests": {"core", "store", "delivery", "results", "links"},  # variants are campaigns; figures are results'
    "cli": {"core", "store", "line", "csvio", "delivery", "sync", "secrets", "demo", "inbox", "results",
            "automations", "schedule", "purchases", "links", "abtests"},
    "ui": {"core", "store", "line", "csvio", "delivery", "sync", "secrets", "demo", "inbox", "results",
           "automations", "schedule", "purchases", "links", "abtests"},
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 or rel.stem not in ("__init__", "__main__") else ""


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


SOURCES = sorted(p for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_down(path):
    layer = _layer(path)
    for name in _imports(path):
        top = name.split(".")[0]
        if top == "PySide6":
            assert layer == "ui", f"{path.name} imports PySide6 outside shopline/ui"
        if top in ("peewee", "playhouse", "linebot", "keyring", "urllib3", "requests") and layer == "core":
            pytest.fail(f"core must stay pure, {path.name} imports {name}")
        if top != "shopline" or name in SHARED or not layer:
            continue
        target = name.split(".")[1]
        if target != layer:
            assert target in ALLOWED.get(layer, set()), f"{layer} must not import {name} ({path.name})"


def test_cli_never_loads_qt():
    code = "import sys, shopline.cli as c; c.build_parser(); print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
