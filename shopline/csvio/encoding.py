"""Which encoding a CSV file is in: UTF-8 (with or without BOM) or CP932, as Japanese Excel writes them."""

from __future__ import annotations

import re
from pathlib import Path

from shopline.core.messages import Text
from shopline.csvio.errors import CsvUnusableError

ENCODINGS = ("auto", "utf-8", "cp932")
# CP932 decodes almost any byte soup; these never come from Japanese Excel: control characters,
# and U+F8F0-U+F8F3, what the single bytes 0xA0 and 0xFD-0xFF (unused in Shift_JIS) decode to.
_NOT_SHIFT_JIS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uf8f0-\uf8f3]")
_SAVE_AS = ("Excelで開き「名前を付けて保存」→「CSV UTF-8 (コンマ区切り)」で保存してから読み込んでください。",
            "Open it in Excel, choose Save As → \"CSV UTF-8 (Comma delimited)\", then import that file.")


def _unusable(ja: str, en: str) -> CsvUnusableError:
    return CsvUnusableError(Text(f"{ja}{_SAVE_AS[0]}", f"{en} {_SAVE_AS[1]}"))


def read_text(path: Path, encoding: str = "auto") -> tuple[str, str]:
    """Return (text, encoding) where encoding is "utf-8-sig", "utf-8" or "cp932"."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CsvUnusableError(Text(f"ファイル {path} を開けません({err.strerror})。場所と名前を確かめてください。",
                                    f"Cannot open {path} ({err.strerror}). Check the folder and name.")) from None
    if not data.strip():
        raise CsvUnusableError(Text(f"ファイル {path.name} は空です。友だちの行が入ったCSVを選んでください。",
                                    f"The file {path.name} is empty. Choose a CSV that holds friends."))
    if data[:4] == b"PK\x03\x04":
        raise _unusable(f"{path.name} はExcelブック(.xlsx)で、CSVではありません。",
                        f"{path.name} is an Excel workbook (.xlsx), not a CSV.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _unusable(f"{path.name} はUTF-16(Excelの「Unicodeテキスト」)で保存されています。",
                        f"{path.name} is saved as UTF-16 (Excel's \"Unicode Text\").")
    if b"\x00" in data[:65536]:
        raise _unusable(f"{path.name} は文字のファイルではありません(画像などのバイナリです)。",
                        f"{path.name} is not a text file (it looks binary).")
    if encoding == "auto":
        return _detect(path, data)
    codec = "utf-8-sig" if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf") else encoding
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise CsvUnusableError(Text(
            f"{path.name} の{line}行目が {encoding} として読めません。--encoding auto で試すか、"
            f"{_SAVE_AS[0]}",
            f"Line {line} of {path.name} cannot be read as {encoding}. Try --encoding auto, or: {_SAVE_AS[1]}",
        )) from None


def _detect(path: Path, data: bytes) -> tuple[str, str]:
    # A BOM is a promise: a file that breaks it is damaged, not CP932.
    for codec in ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp932"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec != "cp932" or not _NOT_SHIFT_JIS.search(text):
            return text, codec
    raise _unusable(f"{path.name} の文字コードが分かりません(UTF-8でもShift_JISでもありません)。",
                    f"Cannot tell the encoding of {path.name} (it is neither UTF-8 nor Shift_JIS).")


def output_encoding(input_encoding: str) -> str:
    """The encoding for a file written back for Excel: UTF-8 always with a BOM, or Excel opens it garbled."""
    return "cp932" if input_encoding == "cp932" else "utf-8-sig"
