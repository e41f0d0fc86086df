"""Keyword rules: a message whose text contains a keyword gives its sender a tag (予約 → 予約希望)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from shopline.core.folding import fold
from shopline.core.messages import ShopLineError, Text
from shopline.core.tags import validate_tag_name
from shopline.store.connection import db
from shopline.store.inbox_models import KeywordRule

MAX_KEYWORD = 100


@dataclass(frozen=True)
class Rule:
    keyword: str
    tag: str


def _match_form(text: str) -> str:
    """Both sides the same way, so ＹＯＹＡＫＵ matches yoyaku and ｶﾌｪ matches カフェ: NFKC, runs of white space
    as one space (as fold() does), case folded. Every message of a pull goes through here: NFKC only when the
    quick check says the text is not already in that form, and str.split instead of a regular expression."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()).casefold()


def add_rule(keyword: str, tag: str) -> Rule:
    word = fold(keyword)
    if not word:
        raise ShopLineError(Text("キーワードが空です。1文字以上入力してください。",
                                 "The keyword is empty. Type at least one character."))
    if len(word) > MAX_KEYWORD:
        raise ShopLineError(Text(f"キーワードは{MAX_KEYWORD}文字以内にしてください。",
                                 f"Use at most {MAX_KEYWORD} characters for a keyword."))
    name = validate_tag_name(tag)
    KeywordRule.insert(keyword=word, tag=name).on_conflict_ignore().execute()
    return Rule(word, name)


def list_rules() -> list[Rule]:
    return [Rule(k, t) for k, t in KeywordRule.select(KeywordRule.keyword, KeywordRule.tag)
            .order_by(KeywordRule.keyword, KeywordRule.tag).tuples()]


def remove_rule(keyword: str, tag: str | None = None) -> int:
    """Remove the keyword's rules (only the one for `tag` when given); returns how many went."""
    query = KeywordRule.delete().where(KeywordRule.keyword == fold(keyword))
    if tag is not None:
        query = query.where(KeywordRule.tag == fold(tag))
    with db.atomic():
        return int(query.execute())


@dataclass(frozen=True)
class Matcher:
    """The rules as they are now, both as text -> tags and, for the inbox's set-based apply, as (word, tag)
    pairs that SQL matches against each message's text in match form."""

    pairs: tuple[tuple[str, str], ...]  # (keyword in match form, tag)

    def form(self, text: str) -> str | None:
        """The text as the keywords are matched against it; None when no rule could match."""
        return _match_form(text) if text and self.pairs else None

    def __call__(self, text: str) -> list[str]:
        folded = self.form(text)
        return [tag for word, tag in self.pairs if word in folded] if folded is not None else []


def matcher() -> Matcher:
    """text -> the tags its keywords give, from the rules as they are now."""
    return Matcher(tuple((_match_form(r.keyword), r.tag) for r in list_rules()))
