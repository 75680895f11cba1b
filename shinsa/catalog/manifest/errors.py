"""Typed errors of the manifest parser: one ``IngestError`` per problem, gathered in ``ManifestErrors``.

Reasons are stable codes; ``shinsa.catalog.messages`` turns each into one sentence in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Reason(StrEnum):
    # The file as a whole
    FILE_MISSING = "file_missing"
    UNSUPPORTED_FORMAT = "unsupported_format"
    MACRO_WORKBOOK = "macro_workbook"
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    ENCODING_UNKNOWN = "encoding_unknown"
    BINARY_FILE = "binary_file"
    JSON_SYNTAX = "json_syntax"
    JSON_TOO_DEEP = "json_too_deep"
    JSON_DUPLICATE_KEY = "json_duplicate_key"
    JSON_CONSTANT = "json_constant"
    FORMAT_UNKNOWN = "format_unknown"
    NOT_A_WORKBOOK = "not_a_workbook"
    WORKBOOK_TOO_LARGE = "workbook_too_large"
    CSV_SYNTAX = "csv_syntax"
    TOO_MANY_ROWS = "too_many_rows"
    # Columns and structure
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    UNKNOWN_FIELD = "unknown_field"
    WRONG_CELL_COUNT = "wrong_cell_count"
    # Values
    REQUIRED = "required"
    NOT_TEXT = "not_text"
    NOT_INTEGER = "not_integer"
    NOT_LIST = "not_list"
    NOT_OBJECT = "not_object"
    BAD_ID = "bad_id"
    BAD_CHOICE = "bad_choice"
    BAD_LANGUAGE = "bad_language"
    BAD_TERRITORY = "bad_territory"
    BAD_DATE = "bad_date"
    OUT_OF_RANGE = "out_of_range"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    HOSTILE_CHARACTER = "hostile_character"
    CONTROL_CHARACTER = "control_character"
    FORMULA = "formula"
    EXTERNAL_IDS_FORMAT = "external_ids_format"
    AVAILABILITY_FORMAT = "availability_format"
    # Relations between rows
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_VERSION = "duplicate_version"
    DUPLICATE_ASSET = "duplicate_asset"
    DUPLICATE_EXTERNAL_ID = "duplicate_external_id"
    DUPLICATE_NUMBER = "duplicate_number"
    CONFLICTING_VALUE = "conflicting_value"
    WINDOW_ORDER = "window_order"
    WINDOW_OVERLAP = "window_overlap"
    # Hierarchy
    PARENT_UNKNOWN = "parent_unknown"
    PARENT_KIND = "parent_kind"
    PARENT_NOT_ALLOWED = "parent_not_allowed"
    NUMBER_NOT_ALLOWED = "number_not_allowed"
    # Assets and their files
    NOT_FOR_KIND = "not_for_kind"
    PATH_OUTSIDE = "path_outside"
    ASSET_FILE_MISSING = "asset_file_missing"
    FILE_TYPE = "file_type"
    FILES_NOT_ALLOWED = "files_not_allowed"
    FILE_CHANGED = "file_changed"
    SUBTITLE_ENCODING_UNKNOWN = "subtitle_encoding_unknown"
    SUBTITLE_DECODE = "subtitle_decode"
    BAD_ENCODING_NAME = "bad_encoding_name"
    SUBTITLE_TOO_LARGE = "subtitle_too_large"
    # Against what the catalog already holds
    KIND_CHANGED = "kind_changed"
    EXTERNAL_ID_TAKEN = "external_id_taken"
    NUMBER_TAKEN = "number_taken"
    CATALOG_CONFLICT = "catalog_conflict"


@dataclass(frozen=True)
class IngestError:
    """One problem: where (spreadsheet row and/or field path) and why (a reason code with its values).

    In CSV/XLSX manifests ``row`` is the spreadsheet row (the header is row 1) and ``field`` a column name;
    in JSON ``row`` is None and ``field`` a path such as ``titles[2].versions[0].label``. ``params`` may
    hold ``first_row``/``first_field`` pointing at the earlier place a duplicate or conflict refers to.
    """

    row: int | None
    field: str | None
    reason: Reason
    params: Mapping[str, str | int | None] = field(default_factory=dict)

    def sort_key(self) -> int:
        # A stable sort on the row alone keeps the order problems were found in within a row (and in JSON).
        return self.row if self.row is not None else 0


class ManifestErrors(Exception):
    """A manifest that must not be stored: every problem found, in file order."""

    def __init__(self, errors: Iterable[IngestError]) -> None:
        self.errors: list[IngestError] = sorted(errors, key=IngestError.sort_key)
        super().__init__(f"{len(self.errors)} problem(s) in the manifest")


def file_error(reason: Reason, **params: str | int | None) -> ManifestErrors:
    """A problem with the file as a whole (no row, no field)."""
    return ManifestErrors([IngestError(None, None, reason, params)])
