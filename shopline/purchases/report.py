"""What a purchases import did, for the command's output and the import dialog: rows added, already there,
kept as unmatched (and the first few of their customers), refused (with the errors file), and what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shopline.core.changes import Changes
from shopline.core.messages import Text
from shopline.csvio.report import Refusals
from shopline.csvio.rows import RowError

SHOWN_UNMATCHED = 5  # customer keys named in the summary; the rest are counted


@dataclass
class PurchaseReport(Refusals):
    encoding: str
    dry_run: bool = False
    total_rows: int = 0
    imported: int = 0  # rows read without a fault
    added: int = 0  # rows new to the store
    already: int = 0  # rows the store held from an earlier import (or repeated in this file)
    unmatched_rows: int = 0  # added rows whose customer is no friend (yet)
    unmatched: list[str] = field(default_factory=list)  # the first such customer keys
    unmatched_customers: int = 0
    refused: list[RowError] = field(default_factory=list)
    refused_count: int = 0
    refused_rows: int = 0
    errors_path: Path | None = None
    errors_moved: bool = False
    changes: Changes = field(default_factory=Changes)

    def summary(self) -> Text:
        tail = ("(試しに読み込んだだけで、データベースは変わっていません)", " (dry run: the database is unchanged)") \
            if self.dry_run else ("", "")
        text = Text(f"{self.total_rows}行のうち{self.added}行を追加しました"
                    f"(読み込み済みで飛ばした行{self.already}){tail[0]}。",
                    f"Added {self.added} of {self.total_rows} rows ({self.already} were already there){tail[1]}.")
        if self.unmatched_rows:
            shown = "、".join(self.unmatched[:SHOWN_UNMATCHED])
            more = self.unmatched_customers - min(SHOWN_UNMATCHED, len(self.unmatched))
            text = Text(
                f"{text.ja}友だちが見つからないお客様{self.unmatched_customers}人({shown}"
                + (f" ほか{more}人" if more > 0 else "") + f")の{self.unmatched_rows}行は未連携として保存しました。"
                "その会員番号やユーザーIDの友だちが来たときに自動でつながります。",
                f"{text.en} {self.unmatched_rows} rows of {self.unmatched_customers} customers who are no friend yet ("
                + ", ".join(self.unmatched[:SHOWN_UNMATCHED]) + (f" and {more} more" if more > 0 else "")
                + ") were kept as unmatched: they attach themselves when a friend with that member number or "
                "user ID arrives.")
        if self.refused_count and self.errors_path is not None:
            where = str(self.errors_path) if self.errors_moved else self.errors_path.name
            text = Text(
                f"{text.ja}{self.refused_rows}行は読み込めませんでした。{where} に行番号と理由を書き出したので、"
                "Excelで直して、そのファイルをもう一度読み込んでください。",
                f"{text.en} {self.refused_rows} rows were refused. The row numbers and reasons are in {where}: "
                "fix them in Excel and import that file again.")
        return text
