"""クロス分析 over the store: every dimension against counting by hand, a segment, the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import Counter

import pytest

from shopline.cli import main
from shopline.core import messages
from shopline.core.crosstab import Dimension
from shopline.core.segments import HasTag
from shopline.results.crosstab import crosstab, crosstab_text, write_csv
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag

TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def shop(store):
    rng = random.Random(7)
    people = []
    for i in range(300):
        birthday = None if i % 7 == 0 else dt.date(rng.randint(1940, 2012), rng.randint(1, 12), rng.randint(1, 28))
        followed = None if i % 11 == 0 else TODAY - dt.timedelta(days=rng.randint(0, 1000))
        people.append(dict(user_id=f"U{i:032x}", display_name=f"f{i}", gender=rng.choice(
            ["female", "male", "other", "unknown"]), birthday=birthday, followed_at=followed,
            region=rng.choice(["東京都", "大阪府", None]), status="blocked" if i % 13 == 0 else "following"))
    Friend.insert_many(people).execute()
    ids = [fid for (fid,) in Friend.select(Friend.id).order_by(Friend.id).tuples()]
    tags = [Tag.create(name=n, folder="会員") for n in ("ゴールド", "シルバー", "ブロンズ")]
    Tag.create(name="VIP")
    links = {(fid, rng.choice(tags).id) for fid in ids if rng.random() < 0.7}
    links |= {(fid, tags[0].id) for fid in ids[:20]}
    FriendTag.insert_many(list(links), fields=[FriendTag.friend, FriendTag.tag]).execute()
    FriendTag.insert_many([(fid, Tag.get(Tag.name == "VIP").id) for fid in ids[::3]],
                          fields=[FriendTag.friend, FriendTag.tag]).execute()
    colour = Field.create(name="好きな色", kind="text")
    FieldValue.insert_many([(fid, colour.id, rng.choice(["赤", "青", "=1+1"])) for fid in ids[::2]],
                           fields=[FieldValue.friend, FieldValue.field, FieldValue.text_value]).execute()
    return ids


def _age_band(birthday):
    if birthday is None:
        return ""
    age = TODAY.year - birthday.year - ((TODAY.month, TODAY.day) < (birthday.month, birthday.day))
    return min(max(age // 10, 1), 7)


def test_gender_by_age_band_matches_counting_by_hand(shop):
    table = crosstab(Dimension("gender"), Dimension("age_band"), today=TODAY)
    expected = Counter((f.gender, _age_band(f.birthday)) for f in Friend.select().where(Friend.status == "following"))
    assert dict(table.counts) == dict(expected)
    assert table.col_keys[-1] == "" and table.col_keys[:-1] == sorted(table.col_keys[:-1])
    assert table.row_keys == [g for g in ("female", "male", "other", "unknown") if g in table.row_keys]


def test_a_folder_counts_each_tag_and_friends_with_none(shop):
    table = crosstab(Dimension("folder", "会員"), Dimension("region"), today=TODAY)
    following = {f.id: f for f in Friend.select().where(Friend.status == "following")}
    expected: Counter = Counter()
    for fid, friend in following.items():
        names = [t.name for t in Tag.select().join(FriendTag).where((FriendTag.friend == fid) & (Tag.folder == "会員"))]
        for name in names or [""]:
            expected[(name, friend.region or "")] += 1
    assert dict(table.counts) == dict(expected)
    assert table.row_keys == ["ゴールド", "シルバー", "ブロンズ", ""]
    assert "VIP" not in table.row_keys


def test_within_a_segment_and_by_a_custom_field(shop):
    table = crosstab(Dimension("field", "好きな色"), Dimension("friend_days_band"), HasTag("VIP"), today=TODAY)
    vip = Tag.get(Tag.name == "VIP")
    members = {fid for (fid,) in FriendTag.select(FriendTag.friend).where(FriendTag.tag == vip).tuples()}
    assert table.total == Friend.select().where((Friend.status == "following") & Friend.id.in_(members)).count()
    assert set(table.row_keys) <= {"赤", "青", "=1+1", ""}


def test_percentages_and_csv_with_bom_and_no_formulas(shop, tmp_path):
    messages.set_language("ja")
    table = crosstab_text("好きな色", "gender")
    for r in table.row_keys:
        shares = [table.row_percent(r, c) for c in table.col_keys]
        assert sum(shares) == pytest.approx(1.0)
    path = write_csv(table, tmp_path / "cross.csv", "row")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert ["'=1+1"] == [r[0] for r in rows if "1+1" in r[0]]  # neutralised, as every CSV the app writes
    assert rows[0][-1] == "合計" and rows[-1][0] == "合計"


def test_cli_crosstab(shop, capsys, tmp_path):
    assert main(["crosstab", "gender", "folder:会員", "--segment", "VIP"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("性別 \\ フォルダ「会員」") and out[-1].startswith("合計")
    assert main(["crosstab", "gender", "靴のサイズ"]) == 2
    assert "靴のサイズ" in capsys.readouterr().err
    assert main(["crosstab", "age_band", "birth_month", "--csv", str(tmp_path / "x.csv")]) == 0
    assert (tmp_path / "x.csv").exists()
