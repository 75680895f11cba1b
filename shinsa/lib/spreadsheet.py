"""Formula injection (CSV/XLSX): text a spreadsheet would evaluate gets a leading quote (pure)."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a formula-looking start gets a leading quote."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: object) -> object:
    """Numbers, dates and None as they are; text neutralised."""
    return neutralise(value) if isinstance(value, str) else value
