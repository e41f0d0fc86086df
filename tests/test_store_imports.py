"""The store's modules import without a cycle: base.py holds the proxy and BaseModel, everything builds on it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "shopline" / "store"
PACKAGE = "shopline.store"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _store_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(STORE.rglob("*.py"))}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Store modules this file imports anywhere in it (a deferred import inside a function still makes a
    cycle, only a hidden one). `from package import name` counts as importing the submodule when it is one."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                     for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in modules)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _store_modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_sees_deferred_and_from_package_imports(tmp_path):
    modules = {"shopline.store.a": tmp_path, "shopline.store.b": tmp_path, "shopline.store": tmp_path}
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from shopline.store import a\n    import shopline.store.b\n")
    assert _imports(source, modules) == {"shopline.store.a", "shopline.store.b"}


def test_no_import_cycle_among_store_modules():
    graph = _graph()
    assert "shopline.store.base" in graph and not graph["shopline.store.base"], "base.py imports no store module"
    cycle = _cycle({name: deps - {PACKAGE} for name, deps in graph.items() if name != PACKAGE})
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("module", sorted(_store_modules()))
def test_each_store_module_imports_on_its_own(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
