"""CSV import: encodings, header and value aliases, custom fields, upsert, bad rows, exit codes."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from shopline import cli
from shopline.core import messages
from shopline.csvio.errors import CsvUnusableError, ImportCancelled
from shopline.csvio.importer import import_csv, preview_csv
from shopline.store import db
from shopline.store.models import Field, FieldValue, Friend, FriendTag, Tag


def uid(n: int) -> str:
    return f"U{n:032x}"


def write(path, rows, encoding="utf-8-sig", newline="\r\n"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, lineterminator=newline).writerows(rows)
    return path


def dump():
    """Every row the import may touch, so tests can say "nothing changed" exactly."""
    return {t: db.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall()
            for t in ("friend", "tag", "friend_tag", "field", "field_value")}


def tags_of(user_id):
    return sorted(t.name for t in Tag.select().join(FriendTag).join(Friend).where(Friend.user_id == user_id))


def values_of(user_id):
    return {f.name: (v.text_value, v.num_value) for v, f in
            ((v, v.field) for v in FieldValue.select().join(Friend).where(Friend.user_id == user_id))}


ENGLISH = ["line_user_id", "display_name", "gender", "birthday", "region", "followed_at", "status", "tags", "memo"]
JAPANESE = ["ユーザーID", "表示名", "性別", "誕生日", "地域", "友だち追加日", "状態", "タグ", "メモ"]


def test_utf8_bom_english_headers_emoji_names_quotes_and_newlines(store, tmp_path):
    path = write(tmp_path / "f.csv", [
        ENGLISH,
        [uid(1), "さくら🌸", "female", "1990-03-15", "東京", "2024/1/5", "following", "VIP;新規", "a, \"b\"\nc"],
        [uid(2), "Ken", "male", "", "", "", "blocked", "", ""],
    ])
    report = import_csv(path)
    assert (report.encoding, report.exit_code, report.imported, report.created) == ("utf-8-sig", 0, 2, 2)
    sakura = Friend.get(Friend.user_id == uid(1))
    assert sakura.display_name == "さくら🌸"
    assert (sakura.gender, sakura.birthday, sakura.region) == ("female", dt.date(1990, 3, 15), "東京都")
    assert (sakura.followed_at, sakura.status, sakura.source) == (dt.date(2024, 1, 5), "following", "csv")
    assert sakura.memo == 'a, "b"\nc'
    assert tags_of(uid(1)) == ["VIP", "新規"]
    ken = Friend.get(Friend.user_id == uid(2))
    assert (ken.gender, ken.birthday, ken.status, ken.memo) == ("male", None, "blocked", "")


def test_cp932_file_with_japanese_headers_and_lf(store, tmp_path):
    path = write(tmp_path / "sjis.csv", [
        JAPANESE + ["会員ランク"],
        [uid(1), "山田 花子", "女性", "1985/7/3", "大阪府", "2023-12-01", "友だち", "常連；ＶＩＰ", "ﾒﾓです",
         "ゴールド"],
    ], encoding="cp932", newline="\n")
    report = import_csv(path)
    assert report.encoding == "cp932" and report.exit_code == 0
    friend = Friend.get(Friend.user_id == uid(1))
    assert (friend.display_name, friend.gender, friend.birthday) == ("山田 花子", "female", dt.date(1985, 7, 3))
    assert friend.memo == "ﾒﾓです"
    assert tags_of(uid(1)) == ["VIP", "常連"]
    assert values_of(uid(1)) == {"会員ランク": ("ゴールド", None)}


def test_utf8_without_bom_is_detected(store, tmp_path):
    path = write(tmp_path / "plain.csv", [["user_id", "名前"], [uid(1), "太郎"]], encoding="utf-8", newline="\n")
    assert import_csv(path).encoding == "utf-8"
    assert Friend.get().display_name == "太郎"


def test_tab_separated_file(store, tmp_path):
    (tmp_path / "t.csv").write_text(f"line_user_id\tdisplay_name\n{uid(1)}\tA, B\n", encoding="utf-8")
    import_csv(tmp_path / "t.csv")
    assert Friend.get().display_name == "A, B"


@pytest.mark.parametrize(("gender", "status", "date", "expected"), [
    ("女性", "友だち", "2001-02-03", ("female", "following", dt.date(2001, 2, 3))),
    ("男性", "ブロック", "2001/02/03", ("male", "blocked", dt.date(2001, 2, 3))),
    ("その他", "", "2001/2/3", ("other", "following", dt.date(2001, 2, 3))),
    ("未回答", "blocked", "", ("unknown", "blocked", None)),
    ("", "following", "２００１/２/３", ("unknown", "following", dt.date(2001, 2, 3))),
    ("Female", "友だち", " 2001-2-3 ", ("female", "following", dt.date(2001, 2, 3))),
])
def test_value_aliases(store, tmp_path, gender, status, date, expected):
    write(tmp_path / "v.csv", [["ユーザーID", "性別", "状態", "誕生日"], [uid(1), gender, status, date]])
    assert import_csv(tmp_path / "v.csv").exit_code == 0
    f = Friend.get()
    assert (f.gender, f.status, f.birthday) == expected


def test_unknown_columns_become_fields_with_inferred_kinds(store, tmp_path):
    write(tmp_path / "c.csv", [
        ["ユーザーID", "来店回数", "最終来店日", "好きな色", "空の列"],
        [uid(1), "12", "2024/5/1", "青", ""],
        [uid(2), "1,200", "2024-05-02", "12", ""],
        [uid(3), "", "", "", ""],
    ])
    report = import_csv(tmp_path / "c.csv")
    assert report.new_fields == ["来店回数", "最終来店日", "好きな色", "空の列"]
    kinds = {f.name: f.kind for f in Field.select()}
    assert kinds == {"来店回数": "number", "最終来店日": "date", "好きな色": "text", "空の列": "text"}
    assert values_of(uid(1)) == {"来店回数": ("12", 12.0), "最終来店日": ("2024-05-01", None), "好きな色": ("青", None)}
    assert values_of(uid(2))["来店回数"] == ("1,200", 1200.0)
    assert values_of(uid(3)) == {}


def test_existing_number_field_refuses_a_word(store, tmp_path):
    write(tmp_path / "a.csv", [["ユーザーID", "来店回数"], [uid(1), "3"]])
    import_csv(tmp_path / "a.csv")
    write(tmp_path / "b.csv", [["ユーザーID", "来店回数"], [uid(2), "たくさん"], [uid(3), "4"]])
    report = import_csv(tmp_path / "b.csv")
    assert [(e.row, e.column) for e in report.refused] == [(2, "来店回数")]
    assert "数値ではありません" in report.refused[0].reason.ja
    assert Friend.select().count() == 2


def test_reimport_changes_nothing(store, tmp_path):
    path = write(tmp_path / "f.csv", [
        JAPANESE + ["来店回数"],
        [uid(1), "花子", "女性", "1990/1/2", "東京", "2024/1/1", "友だち", "VIP;新規", "メモ", "3"],
        [uid(2), "太郎", "", "", "", "", "", "", "", ""],
    ])
    import_csv(path)
    before = dump()
    report = import_csv(path)
    assert (report.created, report.updated, report.imported) == (0, 0, 2)
    assert dump() == before


def test_upsert_updates_values_adds_tags_and_keeps_blank_cells(store, tmp_path):
    write(tmp_path / "a.csv", [["ユーザーID", "表示名", "状態", "誕生日", "タグ", "色"],
                               [uid(1), "花子", "ブロック", "1990-01-02", "VIP;新規", "赤"]])
    import_csv(tmp_path / "a.csv")
    write(tmp_path / "b.csv", [["ユーザーID", "表示名", "状態", "誕生日", "タグ", "色"],
                               [uid(1), "花子さん", "", "", "常連", "青"]])
    report = import_csv(tmp_path / "b.csv")
    assert (report.created, report.updated) == (0, 1)
    f = Friend.get()
    assert (f.display_name, f.status, f.birthday) == ("花子さん", "blocked", dt.date(1990, 1, 2))
    assert tags_of(uid(1)) == ["VIP", "常連", "新規"]
    assert values_of(uid(1)) == {"色": ("青", None)}


def test_same_id_twice_in_a_file_merges(store, tmp_path):
    write(tmp_path / "d.csv", [["ユーザーID", "表示名", "タグ"], [uid(1), "A", "x"], [uid(1), "", "y"]])
    report = import_csv(tmp_path / "d.csv")
    assert (report.imported, report.created) == (2, 1)
    assert Friend.get().display_name == "A" and tags_of(uid(1)) == ["x", "y"]


BAD_ROWS = [
    JAPANESE,
    [uid(1), "ok", "", "", "", "", "", "", ""],
    ["U123", "short id", "", "", "", "", "", "", ""],
    [uid(3), "bad date", "", "2024/13/40", "", "", "", "", ""],
    [uid(4), "bad tag", "", "", "", "", "", "VIP;🎉", ""],
    [uid(5), "too few columns"],
    [uid(6), "bad gender and region", "猫", "", "火星", "", "", "", ""],
]


def test_bad_rows_are_reported_and_written_to_an_errors_csv(store, tmp_path):
    path = write(tmp_path / "bad.csv", BAD_ROWS)
    report = import_csv(path)
    assert report.exit_code == 1 and report.imported == 1 and report.total_rows == 6
    assert [(e.row, e.column) for e in report.refused] == [
        (3, "ユーザーID"), (4, "誕生日"), (5, "タグ"), (6, ""), (7, "性別"), (7, "地域")]
    assert "U123" in report.refused[0].reason.ja and "32" in report.refused[0].reason.en
    assert "🎉" in report.refused[2].reason.ja
    assert "列の数" in report.refused[3].reason.ja
    assert report.errors_path == tmp_path / "bad_errors.csv"
    with open(report.errors_path, encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))
    assert written[0] == ["行番号"] + JAPANESE + ["エラー理由"]
    assert [r[0] for r in written[1:]] == ["3", "4", "5", "6", "7"]  # the rows the window and the CLI name
    assert [r[1:10] for r in written[1:]] == [r for r in BAD_ROWS[2:] if len(r) == 9][:3] + [
        [uid(5), "too few columns", "", "", "", "", "", "", ""], BAD_ROWS[6]]
    assert "性別" in written[5][10] and "地域" in written[5][10]
    assert "ok" == Friend.get().display_name


def test_fixed_errors_csv_imports_without_the_reason_column(store, tmp_path):
    report = import_csv(write(tmp_path / "bad.csv", BAD_ROWS))
    with open(report.errors_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for n, row in enumerate(rows[1:]):
        row[1] = uid(100 + n)
        row[3:10] = ["", "", "", "", "", "VIP", ""]
    fixed = write(tmp_path / "fixed.csv", rows)
    again = import_csv(fixed)
    assert again.exit_code == 0 and again.created == 5 and again.new_fields == []
    assert not Field.select().exists()


def test_errors_csv_goes_to_exports_when_the_data_folder_is_read_only(store, tmp_path, monkeypatch):
    path = write(tmp_path / "bad.csv", BAD_ROWS)
    real_open = open

    def refuse_beside_the_data(file, *args, **kwargs):
        if str(file) == str(tmp_path / "bad_errors.csv"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse_beside_the_data)
    report = import_csv(path)
    assert report.errors_path == store / "exports" / "bad_errors.csv" and report.errors_path.exists()
    # Not where the shop would look: the summary names the whole path and why it is there.
    assert str(report.errors_path) in report.summary().ja and "書き込めなかった" in report.summary().ja
    assert str(report.errors_path) in report.summary().en


def test_errors_csv_of_a_cp932_file_is_cp932(store, tmp_path):
    path = write(tmp_path / "s.csv", [JAPANESE, [uid(1), "名前", "", "昨日", "", "", "", "", ""]], encoding="cp932")
    report = import_csv(path)
    text = report.errors_path.read_bytes().decode("cp932")
    assert text.startswith("行番号,ユーザーID,") and "\r\n2,U" in text and "昨日" in text


def test_dry_run_writes_nothing(store, tmp_path):
    before = dump()
    report = import_csv(write(tmp_path / "bad.csv", BAD_ROWS), dry_run=True)
    assert (report.imported, report.created, report.exit_code) == (1, 1, 1)
    assert dump() == before
    assert report.errors_path.exists()
    assert "変わっていません" in report.summary().ja


@pytest.mark.parametrize(("content", "words"), [
    (b"", "空"),
    (b"  \r\n", "空"),
    (b"PK\x03\x04" + bytes(40), ".xlsx"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "バイナリ"),
    ("\ufeffline_user_id\n".encode("utf-16-le"), "UTF-16"),
    ("名前,メモ\n太郎,x\n".encode(), "ユーザーIDの列がありません"),
    ("ユーザーID,名前\r\n,\r\n".encode(), "見出しの行しかありません"),
    (f"{uid(1)},太郎\n".encode(), "見出しではなく"),
    ("ユーザーID,user_id\n".encode(), "同じ意味の列"),
    (b"line_user_id,name\n" + bytes([0x82, 0xa0, 0xff, 0xfe]) * 3, "文字コードが分かりません"),
    (b"line_user_id,name\n\x82\x20\x90", "文字コードが分かりません"),
])
def test_unusable_files_exit_2_with_a_reason(store, tmp_path, content, words):
    (tmp_path / "x.csv").write_bytes(content)
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(tmp_path / "x.csv")
    assert caught.value.exit_code == 2
    assert words in caught.value.text.ja
    assert caught.value.text.en and caught.value.text.en != caught.value.text.ja


def test_forced_encoding_that_does_not_fit_is_unusable(store, tmp_path):
    path = write(tmp_path / "s.csv", [JAPANESE, [uid(1), "名前"] + [""] * 7], encoding="cp932")
    with pytest.raises(CsvUnusableError, match="utf-8"):
        import_csv(path, encoding="utf-8")
    assert import_csv(path, encoding="cp932").exit_code == 0


def test_cancel_rolls_back(store, tmp_path):
    rows = [["ユーザーID", "タグ"]] + [[uid(i), "VIP"] for i in range(3000)]
    path = write(tmp_path / "big.csv", rows)
    before = dump()
    with pytest.raises(ImportCancelled):
        import_csv(path, cancelled=lambda: True)
    assert dump() == before


def test_progress_reaches_the_total(store, tmp_path):
    calls = []
    path = write(tmp_path / "p.csv", [["ユーザーID"]] + [[uid(i)] for i in range(2500)])
    import_csv(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (2500, 2500)
    assert len(calls) <= 5
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


def test_preview_maps_headers(store, tmp_path):
    path = write(tmp_path / "p.csv", [["ＩＤ", "User ID", "性別", "会員ランク", ""], [uid(1), "x", "女性", "金", ""]])
    preview = preview_csv(path, rows=5)
    assert preview.encoding == "utf-8-sig"
    assert preview.mapping == {"ＩＤ": "ID", "User ID": "line_user_id", "性別": "gender",
                               "会員ランク": "会員ランク", "": "列5"}
    assert preview.rows == [[uid(1), "x", "女性", "金", ""]]
    assert preview.new_fields == ["ID", "会員ランク", "列5"]


def test_english_messages(store, tmp_path):
    messages.set_language("en")
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(CsvUnusableError, match="is empty"):
        import_csv(tmp_path / "e.csv")


def run_cli(monkeypatch, *argv):
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_import", "shopline.cli.cmd_export"])
    return cli.main(list(argv))


def test_cli_exit_codes(store, tmp_path, monkeypatch, capsys):
    good = write(tmp_path / "good.csv", [["ユーザーID"], [uid(1)]])
    assert run_cli(monkeypatch, "--data-dir", str(store), "import", str(good)) == 0
    assert "1行のうち1行を読み込みました" in capsys.readouterr().out
    bad = write(tmp_path / "bad.csv", BAD_ROWS)
    assert run_cli(monkeypatch, "--data-dir", str(store), "import", str(bad), "--dry-run") == 1
    out = capsys.readouterr().out
    assert "3行目 ユーザーID" in out and "bad_errors.csv" in out and "変わっていません" in out
    (tmp_path / "empty.csv").write_bytes(b"")
    assert run_cli(monkeypatch, "--data-dir", str(store), "import", str(tmp_path / "empty.csv")) == 2
    assert "空です" in capsys.readouterr().err


def test_a_bulk_import_refolds_the_search_column_of_friends_it_updates(store, tmp_path, monkeypatch):
    from shopline.csvio import writer

    write(tmp_path / "a.csv", [["ユーザーID", "表示名"], [uid(1), "ＡＢ"], [uid(2), "ＸＹ"]])
    import_csv(tmp_path / "a.csv")
    monkeypatch.setattr(writer, "_SUSPEND_AT", 1)  # the bulk path: search triggers away, folding deferred
    write(tmp_path / "b.csv", [["ユーザーID", "表示名"], [uid(1), "ＣＤ"], [uid(3), "ＥＦ"], [uid(2), ""]])
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = db.execute_sql(triggers).fetchall()
    assert import_csv(tmp_path / "b.csv").created == 1
    assert db.execute_sql(triggers).fetchall() == before  # the search triggers are back
    folded = dict(db.execute_sql('SELECT user_id, search_text FROM "friend"').fetchall())
    assert folded[uid(1)].startswith("cd") and folded[uid(3)].startswith("ef") and folded[uid(2)].startswith("xy")
