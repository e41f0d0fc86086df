"""Errors of the CSV layer that a shop owner reads, with the exit code the CLI returns."""

from __future__ import annotations

from dataclasses import dataclass

from shopline.core.messages import ShopLineError, Text


class CsvUnusableError(ShopLineError):
    """The file cannot be used at all (empty, binary, undecodable, no ID column)."""

    exit_code = 2


class ImportCancelled(ShopLineError):
    """The caller cancelled; the transaction was rolled back and nothing was written."""

    exit_code = 130


@dataclass(frozen=True)
class Unencodable:
    row: int  # the row in the CSV file, the header being row 1
    user_id: str
    column: str
    chars: str  # the characters the encoding cannot hold, each once


class ExportEncodingError(ShopLineError):
    """The chosen encoding cannot hold some characters; no file was written."""

    exit_code = 2

    def __init__(self, text: Text, problems: list[Unencodable]) -> None:
        super().__init__(text)
        self.problems = problems
