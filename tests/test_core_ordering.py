"""natural_sort_text, the one-string form of natural_key that SQL sorts friends' names by."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shopline.core.ordering import natural_key, natural_sort_text

# Names built from the pieces that matter: digits (ASCII and full-width), letters in both cases, kana.
_piece = st.sampled_from(["0", "1", "2", "9", "10", "007", "１０", "a", "B", "b", "友だち", "_", " ", "さん"])
_name = st.lists(_piece, max_size=6).map("".join)


def test_numbers_sort_by_value():
    names = ["友だち10", "友だち2", "友だち0", "友だち1", "友だち１１"]
    assert sorted(names, key=natural_sort_text) == ["友だち0", "友だち1", "友だち2", "友だち10", "友だち１１"]


@given(_name, _name)
def test_compares_as_natural_key_does(a: str, b: str):
    assert (natural_sort_text(a) < natural_sort_text(b)) == (natural_key(a) < natural_key(b))
    assert (natural_sort_text(a) == natural_sort_text(b)) == (natural_key(a) == natural_key(b))
