"""Ingest problems as one sentence each, in the user's language (reason codes -> translatable text)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.manifest import IngestError, Reason
from shinsa.lib.printable import printable

REASONS: dict[Reason, Any] = {
    Reason.FILE_MISSING: _("the file does not exist or is not a regular file"),
    Reason.UNSUPPORTED_FORMAT: _("files ending in %(extension)s are not manifests; use .json, .csv or .xlsx"),
    Reason.MACRO_WORKBOOK: _("macro-enabled workbooks are refused; save the sheet as .xlsx"),
    Reason.FILE_TOO_LARGE: _(
        "the file is larger than the limit of %(limit_mb)s MB; split it into smaller files"
    ),
    Reason.FILE_EMPTY: _("the file is empty"),
    Reason.ENCODING_UNKNOWN: _("the text encoding could not be recognised; save the file as UTF-8"),
    Reason.BINARY_FILE: _("the file holds binary data, not text"),
    Reason.JSON_SYNTAX: _("the file is not valid JSON (line %(line)s, column %(column)s)"),
    Reason.JSON_TOO_DEEP: _("the JSON is nested deeper than %(limit)s levels"),
    Reason.JSON_DUPLICATE_KEY: _('the key "%(key)s" appears twice in one object'),
    Reason.JSON_CONSTANT: _("NaN and Infinity are not allowed in a manifest"),
    Reason.FORMAT_UNKNOWN: _('must be "%(expected)s"'),
    Reason.NOT_A_WORKBOOK: _("the file is not an Excel .xlsx workbook"),
    Reason.WORKBOOK_TOO_LARGE: _("the workbook unpacks to more than %(limit_mb)s MB; it is refused"),
    Reason.CSV_SYNTAX: _("the CSV is malformed near row %(row)s (check the quotes)"),
    Reason.TOO_MANY_ROWS: _("the manifest has more than %(limit)s rows; split it into smaller files"),
    Reason.MISSING_COLUMN: _("the column is missing from the header"),
    Reason.UNKNOWN_COLUMN: _("unknown column"),
    Reason.DUPLICATE_COLUMN: _("the column appears twice in the header"),
    Reason.UNKNOWN_FIELD: _("unknown field"),
    Reason.WRONG_CELL_COUNT: _("the row has %(cells)s cells but the header has %(expected)s"),
    Reason.REQUIRED: _("is required"),
    Reason.NOT_TEXT: _("must be text"),
    Reason.NOT_INTEGER: _("must be a whole number"),
    Reason.NOT_LIST: _("must be a list"),
    Reason.NOT_OBJECT: _("must be an object"),
    Reason.BAD_ID: _("must be 1 to 64 letters, digits or . _ : - (no spaces)"),
    Reason.BAD_CHOICE: _("must be one of: %(choices)s"),
    Reason.BAD_LANGUAGE: _('"%(value)s" is not a language code (use a primary language such as ja or en)'),
    Reason.BAD_TERRITORY: _('"%(value)s" is not an ISO 3166-1 two-letter territory code'),
    Reason.BAD_DATE: _('"%(value)s" is not a date in the form YYYY-MM-DD'),
    Reason.OUT_OF_RANGE: _("must be between %(min)s and %(max)s"),
    Reason.TOO_LONG: _("is longer than %(max)s characters"),
    Reason.TOO_MANY: _("has more than %(max)s items"),
    Reason.HOSTILE_CHARACTER: _(
        "contains an invisible or direction-changing character (%(codepoint)s at position %(position)s)"
    ),
    Reason.CONTROL_CHARACTER: _(
        "contains a control or unassigned character (%(codepoint)s at position %(position)s)"
    ),
    Reason.FORMULA: _("looks like a spreadsheet formula (starts with =); formulas are refused"),
    Reason.EXTERNAL_IDS_FORMAT: _("must look like namespace=value; namespace=value"),
    Reason.AVAILABILITY_FORMAT: _(
        "must look like JP 2026-01-01/2026-12-31; US 2026-01-01/ (empty end: open)"
    ),
    Reason.DUPLICATE_ID: _("the same id is already used at %(first)s"),
    Reason.DUPLICATE_VERSION: _("the same version label is already used at %(first)s"),
    Reason.DUPLICATE_ASSET: _("the same asset (kind, language, name) is already given at %(first)s"),
    Reason.DUPLICATE_EXTERNAL_ID: _(
        "the same %(namespace)s id is already given to another title at %(first)s"
    ),
    Reason.DUPLICATE_NUMBER: _("number %(number)s is already used under the same parent at %(first)s"),
    Reason.CONFLICTING_VALUE: _("differs from the value for the same title or version at %(first)s"),
    Reason.WINDOW_ORDER: _("the end date must be after the start date"),
    Reason.WINDOW_OVERLAP: _("overlaps another window for %(territory)s"),
    Reason.PARENT_UNKNOWN: _('no title "%(parent)s" in this file or the catalog'),
    Reason.PARENT_KIND: _("the parent is a %(parent_kind)s; it must be one of: %(allowed)s"),
    Reason.PARENT_NOT_ALLOWED: _("a %(kind)s has no parent"),
    Reason.NUMBER_NOT_ALLOWED: _("a %(kind)s has no number"),
    Reason.NOT_FOR_KIND: _("does not apply to a %(kind)s asset"),
    Reason.PATH_OUTSIDE: _("the path must be relative and stay inside the manifest's folder"),
    Reason.ASSET_FILE_MISSING: _("the file does not exist"),
    Reason.FILE_TYPE: _("files ending in %(extension)s are not accepted here (accepted: %(choices)s)"),
    Reason.FILES_NOT_ALLOWED: _(
        "files cannot be sent through the API; ingest manifests with files on the server with `shinsa ingest`"
    ),
    Reason.FILE_CHANGED: _("the file changed while it was being ingested; run the ingest again"),
    Reason.SUBTITLE_ENCODING_UNKNOWN: _(
        "the subtitle's text encoding could not be recognised; give it in encoding"
    ),
    Reason.SUBTITLE_DECODE: _("the subtitle file cannot be read as %(encoding)s"),
    Reason.BAD_ENCODING_NAME: _('"%(encoding)s" is not a known text encoding'),
    Reason.SUBTITLE_TOO_LARGE: _("the subtitle file is larger than %(limit_mb)s MB"),
    Reason.KIND_CHANGED: _("the catalog holds this title as a %(was)s; a title's kind cannot change"),
    Reason.EXTERNAL_ID_TAKEN: _('this %(namespace)s id belongs to title "%(holder)s" in the catalog'),
    Reason.NUMBER_TAKEN: _(
        'number %(number)s under this parent belongs to title "%(holder)s" in the catalog'
    ),
    Reason.CATALOG_CONFLICT: _("the catalog changed while this manifest was being ingested; run it again"),
}


def location(row: int | None, field: str | None) -> str:
    if row is not None and field:
        return gettext("row %(row)s, field %(field)s") % {"row": row, "field": printable(field)}
    if row is not None:
        return gettext("row %(row)s") % {"row": row}
    if field:
        return gettext("field %(field)s") % {"field": printable(field)}
    return ""


def reason_text(error: IngestError) -> str:
    params = {key: printable(value) for key, value in error.params.items()}
    if "first_row" in params or "first_field" in params:
        params["first"] = location(error.params.get("first_row"), error.params.get("first_field"))  # type: ignore[arg-type]
    for key in ("line", "column"):
        if key in params and params[key] is None:
            params[key] = "?"
    return str(REASONS[error.reason]) % params


def describe(error: IngestError) -> str:
    """``row 12, field original_language: "xx" is not a language code ...`` in the active language."""
    where = location(error.row, error.field)
    text = reason_text(error)
    return f"{where}: {text}" if where else text
