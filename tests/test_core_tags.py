import pytest

from shopline.core.folding import fold
from shopline.core.messages import set_language
from shopline.core.tags import TagNameError, split_tags, validate_tag_name


@pytest.mark.parametrize("raw", ["ＶＩＰ", " VIP", "VIP ", "\u3000VIP"])
def test_width_and_space_variants_fold_to_one_name(raw):
    assert validate_tag_name(raw) == "VIP"


def test_half_width_katakana_folds_to_full_width():
    assert fold("ｶﾌｪﾗﾃ") == "カフェラテ"


def test_inner_spaces_collapse():
    assert validate_tag_name("春の　 キャンペーン") == "春の キャンペーン"


@pytest.mark.parametrize("name", ["常連", "購入_クロワッサン", "Wi-Fi利用", "2024年3月", "ブレンド コーヒー", "café"])
def test_allowed_names(name):
    assert validate_tag_name(name) == name


@pytest.mark.parametrize("raw, shown", [("VIP🎉", "🎉"), ("a\tb\x07", "U+0007"), ("A/B", "/"), ("x;y", ";")])
def test_refused_characters_are_named(raw, shown):
    with pytest.raises(TagNameError) as err:
        validate_tag_name(raw)
    assert shown in str(err.value)
    assert "使えない文字" in str(err.value)


def test_empty_and_too_long_have_reasons():
    with pytest.raises(TagNameError, match="空です"):
        validate_tag_name("  ")
    with pytest.raises(TagNameError, match="41文字"):
        validate_tag_name("あ" * 41)
    assert validate_tag_name("あ" * 40) == "あ" * 40


def test_english_reason():
    set_language("en")
    try:
        with pytest.raises(TagNameError, match="at most 40"):
            validate_tag_name("x" * 41)
    finally:
        set_language("ja")


def test_split_tags_accepts_full_width_semicolon_and_blanks():
    assert split_tags("VIP; 常連；;新規 ") == ["VIP", "常連", "新規"]


def test_natural_order_puts_months_and_numbers_in_number_order():
    from shopline.core.ordering import natural_key

    names = ["キャンペーン_2024年10月", "キャンペーン_2024年2月", "キャンペーン_2024年1月",
             "vip", "VIP 2", "VIP 10", ""]
    assert sorted(names, key=natural_key) == [
        "", "vip", "VIP 2", "VIP 10", "キャンペーン_2024年1月", "キャンペーン_2024年2月", "キャンペーン_2024年10月"]
