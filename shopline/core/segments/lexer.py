"""Splitting segment text into tokens, keeping each token's place for error messages.

Full-width punctuation typed in a Japanese IME counts as its ASCII twin, so
`（東京都 OR 大阪府）` and `年齢 ＞＝ ３０` read as expected. Inside double
quotes a quote is written twice, as in a CSV cell: `"A""B"` is the name A"B.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from shopline.core.folding import fold
from shopline.core.messages import Text
from shopline.core.segments.errors import SegmentSyntaxError
from shopline.core.segments.fields import takes_args


class Kind(Enum):
    WORD = "word"
    QUOTED = "quoted"
    OP = "op"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","  # only between the arguments of purchases(...), days_since(...)
    END = "end"


KEYWORDS = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}
_PUNCT = '()"=!<>'
_SPACE = re.compile(r"\s")
_COMMAS = ",、"  # an IME's 、 separates arguments as well as ","; elsewhere both are ordinary characters


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # folded name or value, the operator, or the punctuation itself
    pos: int  # 0-based index into the original text


def _ascii(ch: str) -> str:
    """The punctuation a character stands for (＂ -> "), or the character itself."""
    norm = unicodedata.normalize("NFKC", ch)
    return norm if len(norm) == 1 and norm in _PUNCT else ch


def _is_word_char(ch: str, in_call: bool = False) -> bool:
    return not _SPACE.match(ch) and _ascii(ch) not in _PUNCT and not (in_call and _ascii(ch) in _COMMAS)


def _quoted(source: str, start: int) -> tuple[str, int]:
    chars: list[str] = []
    i = start + 1
    while i < len(source):
        if _ascii(source[i]) == '"':
            if i + 1 < len(source) and _ascii(source[i + 1]) == '"':
                chars.append('"')
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(source[i])
        i += 1
    raise SegmentSyntaxError(Text("'\"' が閉じられていません", "This '\"' is never closed"), start + 1)


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    parens: list[bool] = []  # per open parenthesis: whether it holds a call's arguments
    i = 0
    while i < len(source):
        ch = _ascii(source[i])
        in_call = bool(parens) and parens[-1]
        if _SPACE.match(ch):
            i += 1
        elif ch in "()":
            if ch == "(":
                parens.append(bool(tokens) and tokens[-1].kind is Kind.WORD and takes_args(tokens[-1].text))
            elif parens:
                parens.pop()
            tokens.append(Token(Kind.LPAREN if ch == "(" else Kind.RPAREN, ch, i))
            i += 1
        elif in_call and ch in _COMMAS:
            tokens.append(Token(Kind.COMMA, ",", i))
            i += 1
        elif ch == '"':
            text, end = _quoted(source, i)
            tokens.append(Token(Kind.QUOTED, fold(text), i))
            i = end
        elif ch in "=!<>":
            two = i + 1 < len(source) and _ascii(source[i + 1]) == "=" and ch != "="
            if ch == "!" and not two:
                raise SegmentSyntaxError(Text("'!' の後には '=' が必要です", "'!' must be followed by '='"), i + 1)
            tokens.append(Token(Kind.OP, ch + "=" if two else ch, i))
            i += 2 if two else 1
        else:
            end = i
            while end < len(source) and _is_word_char(source[end], in_call):
                end += 1
            word = fold(source[i:end])
            tokens.append(Token(KEYWORDS.get(word.upper(), Kind.WORD), word, i))
            i = end
    tokens.append(Token(Kind.END, "", len(source)))
    return tokens


def is_bare(text: str) -> bool:
    """Whether text reads back as itself without quotes: one word, not a keyword."""
    try:
        tokens = tokenize(text)
    except SegmentSyntaxError:
        return False
    return len(tokens) == 2 and tokens[0].kind is Kind.WORD and tokens[0].text == text
