"""Telling CP932 from byte soup on the bytes: each byte Japanese Excel never writes alone refuses a file that
decodes as CP932, wherever the 1 MiB chunk it falls in, and 0xA0 as the second byte of a character does not."""

from __future__ import annotations

import pytest

from shopline.csvio.encoding import sniff
from shopline.csvio.errors import CsvUnusableError

HEADER = "会員番号,商品名\r\n".encode("cp932")
ROW = "M1,あんぱん\r\n".encode("cp932")  # あ is 0x82 0xA0: 0xA0 as a second byte


@pytest.mark.parametrize("at", [0, 1 << 20])
@pytest.mark.parametrize("byte", [*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xA0, 0xFD, 0xFE, 0xFF])
def test_a_byte_cp932_never_writes_alone_makes_the_file_unreadable(tmp_path, byte, at):
    rows = HEADER + ROW * ((at // len(ROW)) + 2)
    cut = rows.rindex(b"\r\n", 0, max(len(HEADER), at)) + 2
    path = tmp_path / "pos.csv"
    path.write_bytes(rows[:cut] + b"M2," + bytes([byte]) + b"\r\n" + rows[cut:])
    with pytest.raises(CsvUnusableError, match="文字コードが分かりません"):
        sniff(path)


def test_second_bytes_and_plain_rows_read_as_cp932(tmp_path):
    path = tmp_path / "pos.csv"
    path.write_bytes(HEADER + ROW * 200_000)
    assert sniff(path).codec == "cp932" and sniff(path).lines == 200_001
