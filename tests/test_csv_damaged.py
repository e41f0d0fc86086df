"""Damaged CSV files: stray quotes, very long cells, NUL bytes, byte order marks inside, repeated IDs."""

from __future__ import annotations

import csv

import pytest

from shopline.csvio.errors import CsvUnusableError
from shopline.csvio.importer import import_csv
from shopline.csvio.reader import FIELD_LIMIT
from shopline.store import db
from shopline.store.models import Friend

HEADER = "ユーザーID,表示名,性別,メモ"


def uid(n: int) -> str:
    return f"U{n:032x}"


def lines(n: int, broken: dict[int, str] | None = None) -> list[str]:
    """n data rows; broken maps a data row (1-based) to the line to put there instead."""
    broken = broken or {}
    return [HEADER] + [broken.get(i, f"{uid(i)},名前{i},女性,メモ{i}") for i in range(1, n + 1)]


def save(path, rows, encoding="utf-8-sig"):
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


def friends():
    return db.execute_sql('SELECT COUNT(*) FROM "friend"').fetchone()[0]


def test_a_stray_quote_in_the_last_column_refuses_the_file_naming_the_row(store, tmp_path):
    path = save(tmp_path / "q.csv", lines(300, {150: f'{uid(150)},名前150,女性,"VIP候補'}))
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(path)
    assert caught.value.exit_code == 2
    # Data row 150 is row 151 as Excel numbers it (the header is row 1).
    assert "151行目「メモ」" in caught.value.text.ja and "引用符" in caught.value.text.ja
    assert "row 151" in caught.value.text.en
    assert friends() == 0 and not (tmp_path / "q_errors.csv").exists()


def test_a_stray_quote_in_a_middle_column_refuses_the_file(store, tmp_path):
    path = save(tmp_path / "q.csv", lines(300, {150: f'{uid(150)},"VIP候補,女性,メモ'}))
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(path)
    assert "151行目「表示名」" in caught.value.text.ja
    assert friends() == 0


def test_a_stray_quote_that_closes_on_a_later_quote_is_refused(store, tmp_path):
    later = f'{uid(200)},"山田, 花子",女性,メモ'
    path = save(tmp_path / "q.csv", lines(300, {150: f'{uid(150)},名前,女性,"VIP候補', 200: later}))
    with pytest.raises(CsvUnusableError, match="151行目"):
        import_csv(path)


def test_a_quoted_memo_with_line_breaks_is_still_fine(store, tmp_path):
    memo = '"1行目\r\n2行目, ""引用""\r\n3行目"'
    path = save(tmp_path / "m.csv", lines(3, {2: f"{uid(2)},名前,女性,{memo}"}))
    report = import_csv(path)
    assert (report.exit_code, report.imported) == (0, 3)
    assert Friend.get(Friend.user_id == uid(2)).memo == '1行目\r\n2行目, "引用"\r\n3行目'


def test_a_long_cell_is_read(store, tmp_path):
    memo = "あ" * 200_000  # over Python's default limit of 131,072
    path = save(tmp_path / "long.csv", lines(3, {2: f'{uid(2)},名前,女性,"{memo}"'}))
    assert import_csv(path).exit_code == 0
    assert len(Friend.get(Friend.user_id == uid(2)).memo) == 200_000


def test_a_cell_over_the_limit_names_the_row_column_and_length(store, tmp_path):
    memo = "x" * (FIELD_LIMIT + 10)
    path = save(tmp_path / "huge.csv", lines(3, {2: f'{uid(2)},名前,女性,"{memo}"'}))
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(path)
    assert f"3行目「メモ」の値が{FIELD_LIMIT + 10:,}文字" in caught.value.text.ja
    assert f"{FIELD_LIMIT + 10:,} characters" in caught.value.text.en
    assert friends() == 0


def test_a_stray_quote_swallowing_more_than_the_limit_says_the_quote(store, tmp_path):
    rows = lines(3, {2: f'{uid(2)},名前,女性,"VIP候補'}) + ["x" * 1000] * (FIELD_LIMIT // 1000 + 5)
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(save(tmp_path / "swallow.csv", rows))
    assert "3行目「メモ」" in caught.value.text.ja and "閉じていない" in caught.value.text.ja


@pytest.mark.parametrize("where", [5, 20_000])  # inside the first 64 KiB, and far beyond it
def test_a_nul_byte_refuses_the_file_wherever_it_is(store, tmp_path, where):
    rows = lines(where + 5, {where: f"{uid(where)},a\x00b,女性,メモ"})
    with pytest.raises(CsvUnusableError) as caught:
        import_csv(save(tmp_path / "nul.csv", rows))
    assert f"{where + 1}行目" in caught.value.text.ja and "NUL" in caught.value.text.ja
    assert caught.value.exit_code == 2 and friends() == 0


def test_a_byte_order_mark_inside_the_file_is_dropped(store, tmp_path):
    first = save(tmp_path / "a.csv", lines(2))
    second = save(tmp_path / "b.csv", [f"{uid(5)},五,男性,"])
    joined = tmp_path / "joined.csv"
    joined.write_bytes(first.read_bytes() + second.read_bytes())  # two files with a BOM each, joined
    report = import_csv(joined)
    assert (report.exit_code, report.created) == (0, 3)
    assert Friend.get(Friend.user_id == uid(5)).display_name == "五"


def test_a_second_header_from_joined_files_is_refused_with_a_reason_that_says_so(store, tmp_path):
    joined = tmp_path / "joined.csv"
    joined.write_bytes(save(tmp_path / "a.csv", lines(2)).read_bytes() * 2)
    report = import_csv(joined)
    assert [(e.row, e.column) for e in report.refused] == [(4, "")]
    assert "見出しの行と同じ" in report.refused[0].reason.ja
    assert "\ufeff" not in str(report.refused[0].reason)
    assert report.duplicate_rows == 2  # the second copy's rows repeat the first copy's


def test_a_repeated_user_id_is_reported_with_both_rows_and_the_later_row_wins(store, tmp_path):
    rows = lines(46, {35: f"{uid(34)},後の名前,男性,後のメモ"})
    report = import_csv(save(tmp_path / "dup.csv", rows))
    assert (report.total_rows, report.imported, report.created, report.updated) == (46, 46, 45, 0)
    assert report.duplicate_rows == 1 and report.exit_code == 0
    assert "36行目のユーザーID" in report.summary().ja and "35行目と同じ" in report.summary().ja
    assert "新規45人" in report.summary().ja
    friend = Friend.get(Friend.user_id == uid(34))
    assert (friend.display_name, friend.gender, friend.memo) == ("後の名前", "male", "後のメモ")
    with open(report.errors_path, encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))
    assert written[1][0] == "36" and "35行目と同じ" in written[1][-1]


def test_a_repeated_id_far_apart_and_of_an_existing_friend_is_counted_once(store, tmp_path):
    import_csv(save(tmp_path / "first.csv", lines(1)))
    rows = lines(12_000, {11_000: f"{uid(1)},別の名前,男性,", 11_500: f"{uid(20)},また,,"})
    report = import_csv(save(tmp_path / "dup.csv", rows))
    # 11,998 distinct IDs, one of them already a friend.
    assert (report.created, report.updated, report.duplicate_rows) == (11_997, 1, 2)
    assert Friend.get(Friend.user_id == uid(1)).display_name == "別の名前"
    assert Friend.get(Friend.user_id == uid(20)).display_name == "また"
    assert [d.row for d in report.duplicates] == [11_001, 11_501]
    assert "2行目と同じ" in report.duplicates[0].reason.ja and "21行目と同じ" in report.duplicates[1].reason.ja


def test_many_bad_rows_go_to_the_errors_file_while_the_report_keeps_a_few(store, tmp_path, monkeypatch, capsys):
    from shopline import cli
    from shopline.csvio.report import KEPT_ERRORS

    rows = [HEADER] + [f"{uid(i)},名前,猫,メモ" for i in range(1, KEPT_ERRORS + 501)] + [f"{uid(9999)},ok,,"]
    path = save(tmp_path / "bad.csv", rows)
    report = import_csv(path)
    assert (report.refused_count, report.refused_rows, len(report.refused)) == (KEPT_ERRORS + 500,) * 2 + (KEPT_ERRORS,)
    assert (report.imported, report.exit_code) == (1, 1)
    with open(report.errors_path, encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))
    assert len(written) == KEPT_ERRORS + 501 and written[-1][0] == str(KEPT_ERRORS + 501)
    monkeypatch.setattr(cli, "COMMAND_MODULES", ["shopline.cli.cmd_import"])
    assert cli.main(["--data-dir", str(store), "import", str(path)]) == 1
    assert f"ほか{KEPT_ERRORS + 500 - 20}件" in capsys.readouterr().out
