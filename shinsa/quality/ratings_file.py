"""Reading long-format ratings from CSV: header ``unit,rater,label``, one rating per row (no Django here).

UTF-8, with or without a byte-order mark. Fields are stripped of surrounding spaces; blank lines are
skipped. A missing rating is simply an absent row.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from enum import StrEnum
from pathlib import Path

from shinsa.quality.metrics.errors import AgreementError
from shinsa.quality.metrics.kinds import gettext_noop
from shinsa.quality.metrics.table import Rating

HEADER = ("unit", "rater", "label")


class FileProblem(StrEnum):
    UNREADABLE = "unreadable"
    NOT_UTF8 = "not_utf8"
    EMPTY = "empty"
    BAD_HEADER = "bad_header"
    CSV_SYNTAX = "csv_syntax"
    CELL_COUNT = "cell_count"
    INVISIBLE = "invisible"


FILE_MESSAGES: dict[FileProblem, str] = {
    FileProblem.UNREADABLE: gettext_noop("cannot read the file: %(cause)s"),
    FileProblem.NOT_UTF8: gettext_noop("the file is not UTF-8 text; save it as UTF-8 CSV"),
    FileProblem.EMPTY: gettext_noop("the file is empty; it needs the header unit,rater,label"),
    FileProblem.BAD_HEADER: gettext_noop('the header must be exactly unit,rater,label, not "%(found)s"'),
    FileProblem.CSV_SYNTAX: gettext_noop("malformed CSV (%(cause)s)"),
    FileProblem.CELL_COUNT: gettext_noop(
        "the row has %(cells)s cells; each row needs exactly unit,rater,label"
    ),
    FileProblem.INVISIBLE: gettext_noop(
        "the row holds an invisible or control character (%(code)s); labels must be plain text"
    ),
}


class RatingsFileError(AgreementError):
    """The file cannot be read as long-format ratings."""

    messages = FILE_MESSAGES


def read_ratings_csv(path: Path) -> list[Rating]:
    """The rows of a ratings CSV, each with its line number; raises ``RatingsFileError`` on a bad file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RatingsFileError(FileProblem.UNREADABLE, cause=error.strerror or error) from None
    try:
        if b"\x00" in data:  # UTF-16 decodes "successfully" as UTF-8 with a NUL after each letter
            raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1, "NUL")
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RatingsFileError(FileProblem.NOT_UTF8, line=line) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Rating] = []
    header: tuple[str, ...] | None = None
    try:
        for cells in reader:
            if not cells or all(not cell.strip() for cell in cells):
                continue
            stripped = tuple(cell.strip() for cell in cells)
            if header is None:
                header = stripped
                if header != HEADER:
                    raise RatingsFileError(
                        FileProblem.BAD_HEADER, line=reader.line_num, found=",".join(cells)
                    )
                continue
            if len(stripped) != len(HEADER):
                raise RatingsFileError(FileProblem.CELL_COUNT, line=reader.line_num, cells=len(stripped))
            hidden = _invisible(stripped)
            if hidden:
                raise RatingsFileError(FileProblem.INVISIBLE, line=reader.line_num, code=hidden)
            unit, rater, label = stripped
            rows.append(Rating(unit, rater, label, line=reader.line_num))
    except csv.Error as error:
        raise RatingsFileError(FileProblem.CSV_SYNTAX, line=reader.line_num, cause=error) from None
    if header is None:
        raise RatingsFileError(FileProblem.EMPTY)
    return rows


def _invisible(cells: tuple[str, ...]) -> str | None:
    """The first control or format character (bidi overrides, zero-width spaces) in the cells, as U+XXXX.

    Such characters make two labels that look the same compare different (or hide text), so a
    file holding them is refused rather than silently counted as disagreement.
    """
    for cell in cells:
        for char in cell:
            if unicodedata.category(char) in ("Cc", "Cf"):
                return f"U+{ord(char):04X}"
    return None
