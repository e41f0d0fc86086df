"""Which encoding a CSV file is in: UTF-8 (with or without BOM) or CP932, as Japanese Excel writes them.

The file is checked in one streaming pass over its bytes (encoding, NUL bytes, line count), so a
million-row file is never held in memory; the rows are then read from a second, decoding stream.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from shopline.core.messages import Text
from shopline.csvio.errors import CsvUnusableError

ENCODINGS = ("auto", "utf-8", "cp932")
# CP932 decodes almost any byte soup; these never come from Japanese Excel: control characters,
# and U+F8F0-U+F8F3, what the single bytes 0xA0 and 0xFD-0xFF (unused in Shift_JIS) decode to.
# Checked on the bytes (bytes.translate sweeps a million-row file in 0.04 s, a regex over its text took 0.24 s):
# a control byte or 0xFD-0xFF is never part of a two-byte CP932 character, so each is that character itself.
# 0xA0 can be a second byte, so U+F8F0 is looked for in the decoded text.
_NOT_SHIFT_JIS_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFD, 0xFE, 0xFF])
_SHIFT_JIS_BYTES = bytes(b for b in range(256) if b not in _NOT_SHIFT_JIS_BYTES)
_SAVE_AS = ("Excelで開き「名前を付けて保存」→「CSV UTF-8 (コンマ区切り)」で保存してから読み込んでください。",
            "Open it in Excel, choose Save As → \"CSV UTF-8 (Comma delimited)\", then import that file.")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sniffed:
    codec: str  # "utf-8-sig", "utf-8" or "cp932"
    lines: int  # line breaks in the file: the row count unless cells hold line breaks


def _unusable(ja: str, en: str) -> CsvUnusableError:
    return CsvUnusableError(Text(f"{ja}{_SAVE_AS[0]}", f"{en} {_SAVE_AS[1]}"))


def _cannot_open(path: Path, err: OSError) -> CsvUnusableError:
    return CsvUnusableError(Text(f"ファイル {path} を開けません({err.strerror})。場所と名前を確かめてください。",
                                 f"Cannot open {path} ({err.strerror}). Check the folder and name."))


def sniff(path: Path, encoding: str = "auto") -> Sniffed:
    """The codec to read the file with, after checking every byte; raises CsvUnusableError with the reason."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            if not head.strip() and not f.read(_CHUNK).strip() and _blank(f):
                raise CsvUnusableError(Text(
                    f"ファイル {path.name} は空です。友だちの行が入ったCSVを選んでください。",
                    f"The file {path.name} is empty. Choose a CSV that holds friends."))
            if head == b"PK\x03\x04":
                raise _unusable(f"{path.name} はExcelブック(.xlsx)で、CSVではありません。",
                                f"{path.name} is an Excel workbook (.xlsx), not a CSV.")
            if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise _unusable(f"{path.name} はUTF-16(Excelの「Unicodeテキスト」)で保存されています。",
                                f"{path.name} is saved as UTF-16 (Excel's \"Unicode Text\").")
            bom = head[:3] == b"\xef\xbb\xbf"
            if encoding == "auto":
                candidates = ("utf-8-sig",) if bom else ("utf-8", "cp932")
            else:
                candidates = ("utf-8-sig" if encoding == "utf-8" and bom else encoding,)
            for codec in candidates:
                f.seek(0)
                lines = _scan(path, f, codec, forced=encoding != "auto")
                if lines is not None:
                    return Sniffed(codec, lines)
    except OSError as err:
        raise _cannot_open(path, err) from None
    # A BOM is a promise: a file that breaks it is damaged, not CP932.
    raise _unusable(f"{path.name} の文字コードが分かりません(UTF-8でもShift_JISでもありません)。",
                    f"Cannot tell the encoding of {path.name} (it is neither UTF-8 nor Shift_JIS).")


def _blank(f: IO[bytes]) -> bool:
    while chunk := f.read(_CHUNK):
        if chunk.strip():
            return False
    return True


def _scan(path: Path, f: IO[bytes], codec: str, *, forced: bool) -> int | None:
    """Line count when the whole file decodes as codec; None when it does not (auto detection tries the next)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    lines = 0
    while True:
        chunk = f.read(_CHUNK)
        nul = chunk.find(b"\x00")
        if nul >= 0:
            _refuse_nul(path, lines + chunk.count(b"\n", 0, nul) + 1)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            if not forced:
                return None
            line = lines + chunk.count(b"\n", 0, max(0, err.start)) + 1
            raise CsvUnusableError(Text(
                f"{path.name} の{line}行目が {codec.removesuffix('-sig')} として読めません。--encoding auto で試すか、"
                f"{_SAVE_AS[0]}",
                f"Line {line} of {path.name} cannot be read as {codec.removesuffix('-sig')}. "
                f"Try --encoding auto, or: {_SAVE_AS[1]}",
            )) from None
        if codec == "cp932" and not forced and (chunk.translate(None, _SHIFT_JIS_BYTES) or "\uf8f0" in text):
            return None
        lines += chunk.count(b"\n")
        if not chunk:
            return lines


def _refuse_nul(path: Path, line: int) -> None:
    # A NUL byte is never text: refused the same way wherever it is, naming the line.
    raise _unusable(f"{path.name} の{line}行目に文字ではないデータ(NULバイト)があります。"
                    "画像などのバイナリか、壊れたファイルです。",
                    f"Line {line} of {path.name} holds a NUL byte, which is never text: the file is binary "
                    "(an image or the like) or damaged.")


def open_text(path: Path, codec: str) -> IO[str]:
    try:
        return open(path, encoding=codec, newline="")
    except OSError as err:
        raise _cannot_open(path, err) from None


def output_encoding(input_encoding: str) -> str:
    """The encoding for a file written back for Excel: UTF-8 always with a BOM, or Excel opens it garbled."""
    return "cp932" if input_encoding == "cp932" else "utf-8-sig"
