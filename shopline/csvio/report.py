"""What an import did, and the errors CSV the shop fixes in Excel and imports again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shopline import paths
from shopline.core.messages import Text
from shopline.csvio.encoding import output_encoding
from shopline.csvio.formulas import SafeWriter
from shopline.csvio.headers import REASON_HEADER
from shopline.csvio.rows import RowError
from shopline.store.connection import data_folder

# Lines shown in the summary before "and N more": the errors CSV has them all.
SHOWN_ERRORS = 20


@dataclass
class ImportReport:
    encoding: str
    total_rows: int = 0  # data rows in the file (blank lines not counted)
    imported: int = 0  # rows written, or that would be with --dry-run
    created: int = 0
    updated: int = 0  # existing friends that changed (a value, a field or a new tag)
    refused: list[RowError] = field(default_factory=list)
    errors_path: Path | None = None
    new_fields: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def refused_rows(self) -> int:
        return len({e.row for e in self.refused})

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    def summary(self) -> Text:
        """One sentence on the outcome and, when rows were refused, what to do about it."""
        would = ("(試しに読み込んだだけで、データベースは変わっていません)", " (dry run: the database is unchanged)")
        tail = would if self.dry_run else ("", "")
        counts = Text(
            f"{self.total_rows}行のうち{self.imported}行を読み込みました(新規{self.created}人、更新{self.updated}人){tail[0]}。",
            f"Imported {self.imported} of {self.total_rows} rows "
            f"({self.created} new, {self.updated} updated){tail[1]}.")
        if not self.refused:
            return counts
        where = self.errors_path.name if self.errors_path else ""
        return Text(
            f"{counts.ja}{self.refused_rows}行は読み込めませんでした。{where} に理由を書き出したので、"
            "Excelで直して、そのファイルをもう一度読み込んでください。",
            f"{counts.en} {self.refused_rows} rows were refused. The reasons are in {where}: "
            "fix them in Excel and import that file again.")


def write_errors_csv(data_path: Path, encoding: str, headers: list[str],
                     refused: list[tuple[list[str], list[RowError]]]) -> Path:
    """The refused rows as they were, plus a reason column, in an encoding Excel opens as the input was.
    Beside the data file where the shop will look; in the data folder's exports/ when that folder is read-only."""
    name = f"{data_path.stem}_errors.csv"
    try:
        return _write(data_path.with_name(name), encoding, headers, refused)
    except OSError:
        return _write(paths.exports_dir(data_folder()) / name, encoding, headers, refused)


def _write(path: Path, encoding: str, headers: list[str], refused: list[tuple[list[str], list[RowError]]]) -> Path:
    with open(path, "w", encoding=output_encoding(encoding), errors="replace", newline="") as f:
        out = SafeWriter(f, lineterminator="\r\n")
        out.writerow([*headers, REASON_HEADER])
        for cells, errors in refused:
            reason = " / ".join(f"{e.column}: {e.reason}" if e.column else str(e.reason) for e in errors)
            # A short row is padded so the reason lands in the reason column, where Excel shows it.
            out.writerow([*cells, *[""] * (len(headers) - len(cells)), reason])
    return path
