"""Reading the text form (grammar in DESIGN.md, "Segments") into a tree.

    expr  := and ("OR" and)*
    and   := unary ("AND" unary)*
    unary := "NOT" unary | "(" expr ")" | cond
    cond  := NAME ["(" args ")"] OP VALUE | NAME
    args  := arg ("," arg)*       -- purchases(item="あんぱん", days=90), days_since(最終来店日)
    arg   := NAME "=" VALUE | NAME
                                     -- received("春のセール"), clicked("春のセール", url="https://…"): bare, ">= 1"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from shopline.core.messages import Text
from shopline.core.segments.errors import SegmentError, SegmentSyntaxError
from shopline.core.segments.fields import Value, check_op, is_bare_call, normalise_args, positional, takes_args
from shopline.core.segments.lexer import Kind, Token, tokenize
from shopline.core.segments.tree import And, Compare, HasTag, Node, Not, Or

# Deep enough for any segment a person builds, shallow enough that Python's recursion limit is never hit.
MAX_DEPTH = 100
_T = TypeVar("_T")
_NAMES = (Kind.WORD, Kind.QUOTED)


def parse(source: str) -> Node:
    """The tree of a segment expression; SegmentSyntaxError says what is wrong and where."""
    return _Parser(tokenize(source)).parse()


def _shown(token: Token) -> str:
    return token.text if token.kind in _NAMES else token.kind.value if token.kind is not Kind.OP else token.text


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind is Kind.END:
            raise SegmentSyntaxError(Text("条件が空です", "The expression is empty"), 1)
        node = self.expr()
        token = self.peek()
        if token.kind is Kind.RPAREN:
            raise SegmentSyntaxError(Text("')' が多すぎます", "Too many ')'"), token.pos + 1)
        if token.kind is not Kind.END:
            raise SegmentSyntaxError(Text(
                f"「{_shown(token)}」の前に AND か OR が必要です",
                f"AND or OR is needed before \"{_shown(token)}\""), token.pos + 1)
        return node

    def expr(self) -> Node:
        items = [self.conjunction()]
        while self.peek().kind is Kind.OR:
            self.take()
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Node:
        items = [self.unary()]
        while self.peek().kind is Kind.AND:
            self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        token = self.peek()
        if token.kind not in (Kind.NOT, Kind.LPAREN):
            return self.condition()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SegmentSyntaxError(Text("括弧や NOT の重なりが深すぎます", "Too deeply nested"), token.pos + 1)
        self.take()
        if token.kind is Kind.NOT:
            node: Node = Not(self.unary())
        else:
            node = self.expr()
            if self.peek().kind is not Kind.RPAREN:
                raise SegmentSyntaxError(Text("'(' が閉じられていません", "This '(' is never closed"), token.pos + 1)
            self.take()
        self.depth -= 1
        return node

    def condition(self) -> Node:
        name = self.take()
        if name.kind not in _NAMES:
            self.missing(name)
        args: list[tuple[str, Value]] = []
        if self.peek().kind is Kind.LPAREN and takes_args(name.text):
            args = self.arguments(name)
            if self.peek().kind is not Kind.OP and is_bare_call(name.text):  # clicked("春のセール")
                return self.build(name, lambda: Compare(name.text, ">=", 1, args=tuple(args)))
            if self.peek().kind is not Kind.OP:
                raise SegmentSyntaxError(Text(
                    f"「{name.text}(...)」の後に >= 1 のような比較が必要です",
                    f"A comparison such as >= 1 is needed after \"{name.text}(...)\""), self.peek().pos + 1)
        if self.peek().kind is not Kind.OP:
            return self.build(name, lambda: HasTag(name.text))
        op = self.take()
        value = self.take()
        if value.kind not in _NAMES:
            raise SegmentSyntaxError(Text(
                f"「{op.text}」の後に比べる値が必要です", f"A value is needed after \"{op.text}\""),
                value.pos + 1)
        self.build(op, lambda: check_op(name.text, op.text))
        self.build(name, lambda: normalise_args(name.text, tuple(args)))
        return self.build(value, lambda: Compare(name.text, op.text, value.text, args=tuple(args)))

    def arguments(self, name: Token) -> list[tuple[str, Value]]:
        """The arguments in parentheses after a built-in that takes them; a bare one is days_since's field."""
        opened = self.take()
        args: list[tuple[str, Value]] = []
        while True:
            key = self.take()
            if key.kind not in _NAMES:
                raise SegmentSyntaxError(Text(f"「{name.text}(」の中に days=90 のような指定が必要です",
                                              f"\"{name.text}(\" needs arguments such as days=90"), key.pos + 1)
            if self.peek().kind is Kind.OP and self.peek().text == "=":
                self.take()
                value = self.take()
                if value.kind not in _NAMES:
                    raise SegmentSyntaxError(Text(f"「{key.text}=」の後に値が必要です",
                                                  f"A value is needed after \"{key.text}=\""), value.pos + 1)
                args.append((key.text, value.text))
            else:
                args.append((positional(name.text), key.text))
            closing = self.take()
            if closing.kind is Kind.RPAREN:
                return args
            if closing.kind is not Kind.COMMA:
                raise SegmentSyntaxError(Text("'(' が閉じられていません", "This '(' is never closed"), opened.pos + 1)

    @staticmethod
    def build(token: Token, make: Callable[[], _T]) -> _T:
        """Make a leaf, pinning a bad name or value to where it was written."""
        try:
            return make()
        except SegmentSyntaxError:
            raise
        except SegmentError as err:
            raise SegmentSyntaxError(err.text, token.pos + 1) from None

    @staticmethod
    def missing(token: Token) -> None:
        if token.kind is Kind.END:
            raise SegmentSyntaxError(Text(
                "式が途中で終わっています。タグか条件を続けてください",
                "The expression ends too early; a tag or condition is missing"), token.pos + 1)
        raise SegmentSyntaxError(Text(
            f"タグか条件が必要なところに「{_shown(token)}」があります",
            f"Expected a tag or condition, found \"{_shown(token)}\""), token.pos + 1)
