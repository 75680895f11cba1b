"""Bank CSV problems as one sentence each, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from shinsa.banks.index.csvfile import MAX_ROWS, CsvProblem, Problem


def describe_csv_problem(problem: CsvProblem) -> str:
    texts = {
        Problem.TOO_LARGE: _("the file is larger than 64 MB"),
        Problem.NOT_UTF8: _("the file is not UTF-8 text; save it as UTF-8 CSV"),
        Problem.NOT_CSV: _("the file is not readable as CSV"),
        Problem.NO_HEADER: _("the file is empty; it needs a header row with a value column"),
        Problem.UNKNOWN_COLUMN: _("unknown column “%(column)s”; allowed: value, label, source_ref"),
        Problem.MISSING_VALUE_COLUMN: _("the header needs one value column and no repeated column"),
        Problem.TOO_MANY_ROWS: _("more than %(max)d rows") % {"max": MAX_ROWS},
        Problem.FORMULA: _("the %(column)s cell starts like a spreadsheet formula (= + - @)"),
        Problem.BAD_VALUE: _("the value is not a valid hash for this bank"),
        Problem.DUPLICATE: _("the same value appears earlier in the file"),
        Problem.TOO_LONG: _("the %(column)s cell is longer than 200 characters"),
        Problem.NO_ROWS: _("the file has a header but no rows"),
    }
    text = texts[problem.problem]
    if "%(column)s" in text:
        text = text % {"column": problem.column}
    if problem.row is None:
        return text
    return _("row %(row)d: %(problem)s") % {"row": problem.row, "problem": text}
