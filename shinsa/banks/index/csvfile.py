"""The bank CSV format (pure): read it strictly, write it plainly.

A file is UTF-8 (a BOM is allowed), comma-separated, with a header row. Columns: ``value`` (required:
PDQ hex, md5 hex, or a vPDQ feature list for video banks), ``label`` and ``source_ref`` (optional).
An export also writes ``status``, ``added_by``, ``confirmed_by`` and ``added_at``; an import accepts
and ignores those four (imported entries always start pending), and refuses any other column.

Hostile input is refused, never half-read: a file that is not UTF-8 text, a cell that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return), a
value that is not a hash of the bank's kind, the same value twice, more than ``MAX_ROWS`` rows or a
cell over ``MAX_CELL`` characters. Every problem is reported with its row (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from shinsa.banks.index.matcher import BankKind
from shinsa.banks.index.values import BadEntryValue, canonical_value
from shinsa.lib.spreadsheet import FORMULA_STARTS

MAX_BYTES = 64 * 2**20
MAX_ROWS = 1_000_000
MAX_CELL = 2_000_000  # a vPDQ list of a two-hour video at 1 fps is about 600k characters
MAX_PROBLEMS = 20
IMPORT_COLUMNS = ("value", "label", "source_ref")
EXPORT_COLUMNS = (*IMPORT_COLUMNS, "status", "added_by", "confirmed_by", "added_at")
TEXT_LIMITS = {"label": 200, "source_ref": 200}


class Problem(StrEnum):
    TOO_LARGE = "too_large"
    NOT_UTF8 = "not_utf8"
    NOT_CSV = "not_csv"
    NO_HEADER = "no_header"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_VALUE_COLUMN = "missing_value_column"
    TOO_MANY_ROWS = "too_many_rows"
    FORMULA = "formula"
    BAD_VALUE = "bad_value"
    DUPLICATE = "duplicate"
    TOO_LONG = "too_long"
    NO_ROWS = "no_rows"


@dataclass(frozen=True)
class CsvProblem:
    problem: Problem
    row: int | None = None  # 1 is the header
    column: str = ""


class BankCsvError(Exception):
    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{p.problem.value} row {p.row} {p.column}".strip() for p in self.problems)
        )


@dataclass(frozen=True)
class EntryRow:
    row: int
    value: str  # canonical (see values.canonical_value)
    label: str
    source_ref: str


def is_formula(cell: str) -> bool:
    """Whether a spreadsheet would evaluate ``cell`` (CSV injection)."""
    return cell.startswith(FORMULA_STARTS)


def read_bank_csv(data: bytes, kind: BankKind) -> list[EntryRow]:
    """The rows of a bank CSV, all checked; ``BankCsvError`` with every problem found (up to 20)."""
    if len(data) > MAX_BYTES:
        raise BankCsvError([CsvProblem(Problem.TOO_LARGE)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BankCsvError([CsvProblem(Problem.NOT_UTF8)]) from None
    if "\x00" in text:
        raise BankCsvError([CsvProblem(Problem.NOT_CSV)])
    csv.field_size_limit(MAX_CELL + 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise BankCsvError([CsvProblem(Problem.NO_HEADER)])
        columns = [name.strip().lower() for name in header]
        unknown = [name for name in columns if name not in EXPORT_COLUMNS]
        if unknown:
            raise BankCsvError([CsvProblem(Problem.UNKNOWN_COLUMN, 1, unknown[0][:40])])
        if "value" not in columns or len(set(columns)) != len(columns):
            raise BankCsvError([CsvProblem(Problem.MISSING_VALUE_COLUMN, 1, "value")])
        return _rows(reader, columns, kind)
    except csv.Error:
        raise BankCsvError([CsvProblem(Problem.NOT_CSV, reader.line_num or None)]) from None


def _rows(reader: Iterable[list[str]], columns: list[str], kind: BankKind) -> list[EntryRow]:
    problems: list[CsvProblem] = []
    rows: list[EntryRow] = []
    seen: set[str] = set()
    for number, cells in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise BankCsvError([CsvProblem(Problem.TOO_MANY_ROWS, number)])
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        record = dict(zip(columns, cells, strict=False))
        found = _row_problems(number, record, kind)
        if found:
            problems.extend(found)
        else:
            value = canonical_value(kind, record["value"])
            if value in seen:
                problems.append(CsvProblem(Problem.DUPLICATE, number, "value"))
            seen.add(value)
            rows.append(
                EntryRow(
                    row=number,
                    value=value,
                    label=record.get("label", "").strip(),
                    source_ref=record.get("source_ref", "").strip(),
                )
            )
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise BankCsvError(problems[:MAX_PROBLEMS])
    if not rows:
        raise BankCsvError([CsvProblem(Problem.NO_ROWS)])
    return rows


def _row_problems(number: int, record: dict[str, str], kind: BankKind) -> list[CsvProblem]:
    problems = []
    for column, cell in record.items():
        if is_formula(cell):
            problems.append(CsvProblem(Problem.FORMULA, number, column))
        elif column in TEXT_LIMITS and len(cell.strip()) > TEXT_LIMITS[column]:
            problems.append(CsvProblem(Problem.TOO_LONG, number, column))
    if not problems:
        try:
            canonical_value(kind, record.get("value", ""))
        except BadEntryValue:
            problems.append(CsvProblem(Problem.BAD_VALUE, number, "value"))
    return problems


def write_bank_csv(rows: Iterable[Sequence[str]]) -> str:
    """CSV text with the export header. Values, labels and references are never formula-like (they are
    refused when stored); any other cell that is (a user name starting with ``+``) gets a leading ``'``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([f"'{cell}" if is_formula(cell) else cell for cell in row] for row in rows)
    return out.getvalue()
