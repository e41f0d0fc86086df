"""What an import did, and the errors CSV the shop fixes in Excel and imports again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from shopline import paths
from shopline.core.messages import Text
from shopline.csvio.encoding import output_encoding
from shopline.csvio.formulas import SafeWriter
from shopline.csvio.headers import REASON_HEADER, ROW_HEADER
from shopline.csvio.rows import RowError
from shopline.store.connection import data_folder

# Lines shown in the summary before "and N more": the errors CSV has them all.
SHOWN_ERRORS = 20
# Row errors the report keeps in memory: plenty to show; a file with a million bad rows has them in the errors CSV.
KEPT_ERRORS = 1_000
_SHOWN_DUPLICATES = 3


class Refusals:
    """What an import's report does with refused rows: every one counted, the first KEPT_ERRORS reasons kept (the
    errors CSV has them all), and a refusal makes the command's exit code 1."""

    refused: list[RowError]
    refused_count: int  # every reason, one per refused cell (a row may have several)
    refused_rows: int

    @property
    def exit_code(self) -> int:
        return 1 if self.refused_count else 0

    def refuse(self, errors: list[RowError]) -> None:
        self.refused_rows += 1
        self.refused_count += len(errors)
        if len(self.refused) < KEPT_ERRORS:
            self.refused += errors


@dataclass
class ImportReport(Refusals):
    encoding: str
    total_rows: int = 0  # data rows in the file (blank lines not counted)
    imported: int = 0  # rows written, or that would be with --dry-run
    created: int = 0  # friends new to the shop
    updated: int = 0  # existing friends that changed (a value, a field or a new tag)
    refused: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS reasons
    refused_count: int = 0  # every reason, one per refused cell (a row may have several)
    refused_rows: int = 0
    duplicates: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS rows repeating a user ID
    duplicate_rows: int = 0  # imported rows whose user ID an earlier row had: the later row's values won
    errors_path: Path | None = None
    errors_moved: bool = False  # the errors CSV could not go beside the file and went to the data folder
    new_fields: list[str] = field(default_factory=list)
    dry_run: bool = False

    def duplicate(self, note: RowError) -> None:
        self.duplicate_rows += 1
        if len(self.duplicates) < KEPT_ERRORS:
            self.duplicates.append(note)

    def summary(self) -> Text:
        """One sentence on the outcome and, when rows were refused or repeated, what to do about it."""
        would = ("(試しに読み込んだだけで、データベースは変わっていません)", " (dry run: the database is unchanged)")
        tail = would if self.dry_run else ("", "")
        text = Text(
            f"{self.total_rows}行のうち{self.imported}行を読み込みました(新規{self.created}人、更新{self.updated}人){tail[0]}。",
            f"Imported {self.imported} of {self.total_rows} rows "
            f"({self.created} new, {self.updated} updated){tail[1]}.")
        if self.duplicate_rows:
            shown = self.duplicates[:_SHOWN_DUPLICATES]
            more = self.duplicate_rows - len(shown)
            text = Text(
                f"{text.ja}同じユーザーIDの行が{self.duplicate_rows}行ありました("
                + "、".join(d.reason.ja for d in shown) + (f" ほか{more}行" if more else "") + ")。",
                f"{text.en} {self.duplicate_rows} rows repeat an earlier row's user ID ("
                + "; ".join(d.reason.en for d in shown) + (f"; and {more} more" if more else "") + ").")
        if self.errors_path is None:
            return text
        where = self._where()
        if not self.refused_count:
            return Text(f"{text.ja}{where.ja}に行番号を書き出しました。",
                        f"{text.en} The row numbers are in {where.en}.")
        return Text(
            f"{text.ja}{self.refused_rows}行は読み込めませんでした。{where.ja}に行番号と理由を書き出したので、"
            "Excelで直して、そのファイルをもう一度読み込んでください。",
            f"{text.en} {self.refused_rows} rows were refused. The row numbers and reasons are in {where.en}: "
            "fix them in Excel and import that file again.")

    def _where(self) -> Text:
        assert self.errors_path is not None
        if self.errors_moved:
            # Not where the shop will look, so the whole path, and why it is there.
            return Text(f"元のCSVのフォルダに書き込めなかったため、{self.errors_path} ",
                        f"{self.errors_path} (the CSV's own folder could not be written to)")
        return Text(f"{self.errors_path.name} ", self.errors_path.name)


class ErrorsFile:
    """The errors CSV, written as rows are refused so a file of many bad rows is never held in memory:
    the source row number, the row as it was, and the reason, in an encoding Excel opens as the input was.
    Beside the data file where the shop will look; in the data folder's exports/ when that folder is read-only.
    Opened at the first row it receives, so a clean import writes nothing."""

    def __init__(self, data_path: Path, encoding: str, headers: list[str]) -> None:
        self.data_path = data_path
        self.encoding = output_encoding(encoding)
        self.headers = headers
        self.path: Path | None = None
        self.moved = False
        self._file: IO[str] | None = None
        self._out: SafeWriter | None = None

    def add(self, row: int, cells: list[str], errors: list[RowError]) -> None:
        if self._out is None:
            self._open()
        assert self._out is not None
        reason = " / ".join(f"{e.column}: {e.reason}" if e.column else str(e.reason) for e in errors)
        # A short row is padded so the reason lands in the reason column, where Excel shows it.
        self._out.writerow([str(row), *cells, *[""] * (len(self.headers) - len(cells)), reason])

    def _open(self) -> None:
        name = f"{self.data_path.stem}_errors.csv"
        try:
            self._start(self.data_path.with_name(name))
        except OSError:
            self._start(paths.exports_dir(data_folder()) / name)
            self.moved = True

    def _start(self, path: Path) -> None:
        self._file = open(path, "w", encoding=self.encoding, errors="replace", newline="")
        self.path = path
        self._out = SafeWriter(self._file, lineterminator="\r\n")
        self._out.writerow([ROW_HEADER, *self.headers, REASON_HEADER])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def discard(self) -> None:
        """The import failed as a whole: a partial list of its rows would only mislead."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
