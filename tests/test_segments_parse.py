"""The text form: precedence, quoting, folding, error messages, and the print/parse round trip."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopline.core.messages import set_language
from shopline.core.segments import (
    And,
    Compare,
    HasTag,
    Not,
    Or,
    SegmentError,
    SegmentSyntaxError,
    from_json,
    names_in,
    parse,
    to_json,
    to_text,
)
from shopline.core.segments.fields import builtin

A, B, C, D = (HasTag(n) for n in "ABCD")


def test_and_binds_tighter_than_or():
    assert parse("A OR B AND C") == Or((A, And((B, C))))
    assert parse("A AND B OR C") == Or((And((A, B)), C))
    assert parse("(A OR B) AND C") == And((Or((A, B)), C))


def test_keywords_in_any_case_and_not_chains():
    assert parse("a and b Or NOT not c") == Or((And((HasTag("a"), HasTag("b"))), Not(Not(HasTag("c")))))
    assert parse("ＶＩＰ ａｎｄ （Ａ）") == And((HasTag("VIP"), A))


def test_design_example():
    tree = parse("(東京都 OR 大阪府) AND NOT 休眠")
    assert to_json(tree) == {"all": [{"any": [{"tag": "東京都"}, {"tag": "大阪府"}]}, {"not": {"tag": "休眠"}}]}
    assert to_text(tree) == "(東京都 OR 大阪府) AND NOT 休眠"


@pytest.mark.parametrize("name, text", [
    ("New Customer", '"New Customer"'),
    ('say "hi"', '"say ""hi"""'),
    ("(仮)", '"(仮)"'),
    ("AND", '"AND"'),
    ("a=b", '"a=b"'),
    ("VIP", "VIP"),
])
def test_quoting_where_needed(name, text):
    assert to_text(HasTag(name)) == text
    assert parse(text) == HasTag(name)


def test_names_are_folded_and_trimmed():
    assert parse('"  ＶＩＰ　 会員 "') == HasTag("VIP 会員")
    assert HasTag("ＶＩＰ") == HasTag("VIP")


def test_nested_same_kind_keeps_its_parentheses():
    tree = And((And((A, B)), C))
    assert to_text(tree) == "(A AND B) AND C"
    assert parse("A AND B AND C") == And((A, B, C))
    assert to_text(Not(Or((A, B)))) == "NOT (A OR B)"
    assert to_text(Or((And((A, B)), Not(C)))) == "A AND B OR NOT C"


def test_field_conditions():
    assert parse("age>=30") == Compare("age", ">=", 30)
    assert parse("性別2 = x") == Compare("性別2", "=", "x")  # a custom field, checked against the store later
    assert parse("ランク != ゴールド AND 来店回数 > ３") == And((
        Compare("ランク", "!=", "ゴールド"), Compare("来店回数", ">", "3")))
    assert parse("Gender ＝ 女性") == Compare("gender", "=", "female")
    assert to_text(Compare("memo", "=", "a b")) == 'memo = "a b"'


@pytest.mark.parametrize("text, ja, en", [
    ("(VIP OR 常連) AND b)", "')' が多すぎます (18文字目)", "Too many ')' (at character 18)"),
    ("a AND (b", "'(' が閉じられていません (7文字目)", "This '(' is never closed (at character 7)"),
    ('a OR "b', "'\"' が閉じられていません (6文字目)", "This '\"' is never closed (at character 6)"),
    ("a b", "「b」の前に AND か OR が必要です (3文字目)", "AND or OR is needed before \"b\" (at character 3)"),
    ("a AND", "式が途中で終わっています。タグか条件を続けてください (6文字目)",
     "The expression ends too early; a tag or condition is missing (at character 6)"),
    ("a AND OR b", "タグか条件が必要なところに「OR」があります (7文字目)",
     "Expected a tag or condition, found \"OR\" (at character 7)"),
    ("age >", "「>」の後に比べる値が必要です (6文字目)", "A value is needed after \">\" (at character 6)"),
    ("a != !b", "'!' の後には '=' が必要です (6文字目)", "'!' must be followed by '=' (at character 6)"),
    ("  ", "条件が空です (1文字目)", "The expression is empty (at character 1)"),
    ('""', "タグの名前が空です。 (1文字目)", "The tag name is empty. (at character 1)"),
    ('x = ""', "項目「x」と比べる値が空です。 (5文字目)", "The value to compare \"x\" with is empty. (at character 5)"),
    ("gender > female", "項目「gender」には = と != だけが使えます(「>」は使えません)。 (8文字目)",
     "Only = and != work with the field \"gender\" (not \">\"). (at character 8)"),
    ("gender = robot", "性別「robot」が分かりません。女性・男性・その他・未回答のどれかにしてください。 (10文字目)",
     "Unknown gender \"robot\". Use female, male, other or unknown. (at character 10)"),
    ("age >= 3.5", "年齢は0から150までの整数で書いてください(「3.5」は使えません)。 (8文字目)",
     "Write the age as a whole number from 0 to 150 (not \"3.5\"). (at character 8)"),
    ("birth_month = 13", "誕生月は1から12か、this(今月)・next(来月)で書いてください(「13」は使えません)。 (15文字目)",
     "Write the birth month as 1 to 12, this or next (not \"13\"). (at character 15)"),
    ("region = 東都", "都道府県「東都」が分かりません。東京都・東京 のように書いてください。 (10文字目)",
     "Unknown prefecture \"東都\". Write it like 東京都 or 東京. (at character 10)"),
    ("friend_days < -1", "友だち日数は0から100000までの整数で書いてください(「-1」は使えません)。 (15文字目)",
     "Write the days as a friend as a whole number from 0 to 100000 (not \"-1\"). (at character 15)"),
    ("(" * 101 + "a" + ")" * 101, "括弧や NOT の重なりが深すぎます (101文字目)",
     "Too deeply nested (at character 101)"),
])
def test_error_messages(text, ja, en):
    with pytest.raises(SegmentSyntaxError) as err:
        parse(text)
    assert err.value.text.ja == ja
    assert err.value.text.en == en
    set_language("en")
    try:
        assert str(err.value) == en
    finally:
        set_language("ja")


def test_json_errors():
    for bad in ({"all": [{"tag": "A"}]}, {"tag": 3}, [], {"field": "age", "op": "~", "value": 3},
                {"field": "age", "op": "=", "value": True}, {"nope": 1}):
        with pytest.raises(SegmentError):
            from_json(bad)


# Names drawn from characters that stress the lexer: spaces, quotes, parentheses, operators, full-width forms.
_name_chars = st.sampled_from(list('abAB ＶＩ東京"()=!<>_-　ー') + ["ａｎｄ", "OR", "not"])
names = st.lists(_name_chars, min_size=1, max_size=6).map("".join).filter(lambda s: s.strip(" 　"))
custom_values = names
leaves = st.one_of(
    names.map(HasTag),
    st.builds(Compare, names.filter(lambda n: builtin(n) is None),
              st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), custom_values),
    st.builds(Compare, st.just("age"), st.sampled_from(["=", "<", ">="]), st.integers(0, 150)),
    st.builds(Compare, st.just("gender"), st.sampled_from(["=", "!="]), st.sampled_from(["女性", "male", "未回答"])),
    st.builds(Compare, st.just("birth_month"), st.just("="), st.sampled_from(["this", "来月", 12])),
    st.builds(Compare, st.just("region"), st.just("!="), st.sampled_from(["東京", "北海道", "大阪府"])),
)
trees = st.recursive(leaves, lambda kids: st.one_of(
    kids.map(Not),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(trees)
def test_print_parse_round_trip(tree):
    assert parse(to_text(tree)) == tree
    assert from_json(to_json(tree)) == tree


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list('ab 東"()=!<>＂（3') + ["AND", "or", "NOT ", "age"]), max_size=30).map("".join)
       | st.text(max_size=20))
def test_random_text_gives_a_tree_or_a_clean_error(text):
    try:
        tree = parse(text)
    except SegmentSyntaxError as err:
        assert 1 <= err.position <= len(text) + 1
    else:
        assert parse(to_text(tree)) == tree


# --- built-in fields by the names the palette shows them by -----------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("性別 = 女性", Compare("gender", "=", "female")),
    ("年齢 >= ３０", Compare("age", ">=", 30)),
    ("誕生月 = 来月", Compare("birth_month", "=", "next")),
    ('"birth month" = 12月', Compare("birth_month", "=", 12)),
    ("地域 != 東京", Compare("region", "!=", "東京都")),
    ("都道府県 = 大阪", Compare("region", "=", "大阪府")),
    ("友だち日数 < 7", Compare("friend_days", "<", 7)),
    ('"Days as a friend" < 7', Compare("friend_days", "<", 7)),
    ('"Friend days" >= 1', Compare("friend_days", ">=", 1)),
    ('"Birth month" = 今月', Compare("birth_month", "=", "this")),
    ("Gender = female", Compare("gender", "=", "female")),
])
def test_built_ins_answer_to_their_palette_names_and_print_as_typed(typed, canonical):
    tree = parse(typed)
    assert tree == canonical
    assert to_json(tree) == to_json(canonical)  # the stored form is one spelling, whatever was typed
    assert to_text(tree) == typed.replace("３０", "30")  # the shop's words come back (folded, as names are)
    assert to_text(canonical) == f"{canonical.name} {canonical.op} {canonical.value}"


def test_a_changed_condition_forgets_the_old_spelling():
    typed = parse("性別 = 女性")
    assert isinstance(typed, Compare)
    changed = dataclasses.replace(typed, value="male")  # what a copy with a new value carries along
    assert to_text(changed) == "gender = male"
    assert to_text(dataclasses.replace(typed, op="!=")) == "性別 != 女性"


def test_a_wrong_operator_is_named_in_the_shop_owners_word():
    with pytest.raises(SegmentSyntaxError, match="項目「性別」には = と != だけ"):
        parse("性別 > 女性")


_ja_leaves = st.one_of(
    st.builds(Compare, st.sampled_from(["性別", "gender", "Gender"]), st.sampled_from(["=", "!="]),
              st.sampled_from(["女性", "男性", "female", "その他", "未回答", "unknown"])),
    st.builds(Compare, st.sampled_from(["年齢", "age"]), st.sampled_from(["=", "<", ">="]), st.integers(0, 150)),
    st.builds(Compare, st.sampled_from(["誕生月", "birth month", "birth_month"]), st.sampled_from(["=", ">"]),
              st.sampled_from(["今月", "来月", "this", "12月", "3", 7])),
    st.builds(Compare, st.sampled_from(["地域", "都道府県", "region"]), st.sampled_from(["=", "!="]),
              st.sampled_from(["東京", "東京都", "北海道", "大阪"])),
    st.builds(Compare, st.sampled_from(["友だち日数", "友達日数", "friend_days"]), st.sampled_from(["<", ">="]),
              st.integers(0, 1000)),
    names.map(HasTag),
)
_ja_trees = st.recursive(_ja_leaves, lambda kids: st.one_of(
    kids.map(Not),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
    st.lists(kids, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
), max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(_ja_trees)
def test_round_trip_with_japanese_field_names(tree):
    text = to_text(tree)
    again = parse(text)
    assert again == tree
    assert to_text(again) == text  # the spelling survives a second trip too
    assert from_json(to_json(tree)) == tree
    assert all(leaf.name in ("gender", "age", "birth_month", "region", "friend_days")
               for leaf in names_in(tree) if isinstance(leaf, Compare))
