import datetime as dt

import pytest

from shopline.core import values
from shopline.core.prefectures import PREFECTURES, area_code, normalise_prefecture


def test_user_id_rules():
    good = "U" + "0123456789abcdef" * 2
    assert values.parse_user_id(f" {good} ") == good
    for bad in ["u" + good[1:], good[:-1], good + "0", "U" + "0123456789ABCDEF" * 2, ""]:
        with pytest.raises(ValueError):
            values.parse_user_id(bad)


@pytest.mark.parametrize("raw, want", [
    ("female", "female"), ("女性", "female"), ("ＭＡＬＥ", "male"), ("男性", "male"),
    ("その他", "other"), ("未回答", "unknown"), ("", "unknown"), ("unknown", "unknown"),
])
def test_gender_aliases(raw, want):
    assert values.parse_gender(raw) == want


def test_gender_refused_with_reason():
    with pytest.raises(ValueError) as err:
        values.parse_gender("ねこ")
    assert "女性・男性・その他・未回答" in str(err.value.args[0])


@pytest.mark.parametrize("raw, want", [("following", "following"), ("友だち", "following"),
                                       ("", "following"), ("blocked", "blocked"), ("ブロック", "blocked")])
def test_status_aliases(raw, want):
    assert values.parse_status(raw) == want


@pytest.mark.parametrize("raw", ["2024-03-05", "2024/03/05", "2024/3/5", "２０２４/3/5", "2024/3/5 10:30"])
def test_dates(raw):
    assert values.parse_date(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("raw", ["2024-02-30", "05/03/2024", "昨日", "2024-13-01"])
def test_bad_dates_say_how_to_write_them(raw):
    with pytest.raises(ValueError) as err:
        values.parse_date(raw)
    assert "2024/3/15" in str(err.value.args[0])


def test_blank_date_is_none():
    assert values.parse_date(" ") is None


def test_numbers():
    assert values.parse_number("1,200") == 1200.0
    assert values.parse_number("") is None
    with pytest.raises(ValueError):
        values.parse_number("たくさん")


def test_prefectures():
    assert len(PREFECTURES) == 47
    assert normalise_prefecture("東京") == "東京都"
    assert normalise_prefecture("大阪") == "大阪府"
    assert normalise_prefecture("北海道") == "北海道"
    assert normalise_prefecture("jp_13") == "東京都"
    assert normalise_prefecture("ニューヨーク") is None
    assert area_code("沖縄県") == "jp_47"


@pytest.mark.parametrize("raw, want", [
    ("平成2年4月1日", dt.date(1990, 4, 1)), ("昭和60年1月5日", dt.date(1985, 1, 5)), ("R6.4.1", dt.date(2024, 4, 1)),
    ("H2.4.1", dt.date(1990, 4, 1)), ("令和元年5月1日", dt.date(2019, 5, 1)), ("S60/1/5", dt.date(1985, 1, 5)),
    ("ｈ２－４－１", dt.date(1990, 4, 1)), ("㍻31年4月30日", dt.date(2019, 4, 30)),
    ("平成 元年 1月 8日", dt.date(1989, 1, 8)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
    ("大正15年12月24日", dt.date(1926, 12, 24)), ("H2年4月1日", dt.date(1990, 4, 1)),
    ("2024年3月5日", dt.date(2024, 3, 5)), ("2024.3.5", dt.date(2024, 3, 5)),
])
def test_japanese_era_dates(raw, want):
    assert values.parse_date(raw) == want


@pytest.mark.parametrize("raw, words", [
    ("平成32年1月1日", "平成は1989年1月8日から2019年4月30日まで"),  # the era had ended: refused, not read as 2020
    ("平成31年5月1日", "2019年4月30日まで"), ("令和元年4月30日", "令和は2019年5月1日から"),
    ("昭和64年1月8日", "1989年1月7日まで"), ("昭和0年1月1日", "昭和"), ("H2.2.30", "平成"),
])
def test_era_dates_outside_their_era_are_refused(raw, words):
    with pytest.raises(ValueError) as err:
        values.parse_date(raw)
    assert words in err.value.args[0].ja and "2024/3/15" in err.value.args[0].ja
    assert "era" in err.value.args[0].en
