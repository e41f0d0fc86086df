"""Writing a tree as text that parses back to the same tree.

Parentheses appear only where the grammar needs them: an OR inside an AND, any
group under NOT, and a group nested in a group of its own kind (which would
otherwise read back flattened into its parent).
"""

from __future__ import annotations

from shopline.core.segments.fields import BARE_CALLS
from shopline.core.segments.lexer import is_bare
from shopline.core.segments.tree import And, HasTag, Node, Not, Or


def quote(text: str) -> str:
    return text if is_bare(text) else '"' + text.replace('"', '""') + '"'


def _inner(node: Node, grouped: tuple[type, ...]) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, grouped) else text


def to_text(node: Node) -> str:
    if isinstance(node, Or):
        return " OR ".join(_inner(item, (Or,)) for item in node.items)
    if isinstance(node, And):
        return " AND ".join(_inner(item, (And, Or)) for item in node.items)
    if isinstance(node, Not):
        return "NOT " + _inner(node.item, (And, Or))
    if isinstance(node, HasTag):
        return quote(node.name)
    name, value = node.written or (node.name, str(node.value))
    if node.args and node.name in BARE_CALLS and node.op == ">=" and node.value == 1:
        return f"{quote(name)}{_arguments(node.args)}"  # clicked("春のセール"), as the shop writes it
    return f"{quote(name)}{_arguments(node.args)} {node.op} {quote(value)}"


def _arguments(args: tuple[tuple[str, object], ...]) -> str:
    if not args:
        return ""
    return "(" + ", ".join(_arg(str(v)) if i == 0 and k in _POSITIONAL else f"{k}={_arg(str(v))}"
                           for i, (k, v) in enumerate(args)) + ")"


_POSITIONAL = ("field", "campaign")  # the arguments written without their name, when they come first


def _arg(text: str) -> str:
    # Inside a call a comma separates arguments, so a value holding one is quoted even when it reads bare elsewhere.
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ",、") else quote(text)
