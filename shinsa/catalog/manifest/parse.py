"""``parse_manifest``: read a JSON, CSV or XLSX manifest into typed entries, or raise every problem."""

from __future__ import annotations

from pathlib import Path

from shinsa.catalog.manifest.csv_reader import read_csv
from shinsa.catalog.manifest.entries import ManifestLimits, ParsedManifest
from shinsa.catalog.manifest.errors import IngestError, Reason, file_error
from shinsa.catalog.manifest.json_reader import read_json
from shinsa.catalog.manifest.validate import Context, build_manifest
from shinsa.catalog.manifest.xlsx_reader import read_xlsx

SUFFIXES = (".json", ".csv", ".xlsx")
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")


def read_limited(path: Path, limits: ManifestLimits) -> bytes:
    """The file's bytes, refusing anything that is not a regular file or is over the size cap."""
    if not path.is_file():
        raise file_error(Reason.FILE_MISSING)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise file_error(
            Reason.FILE_TOO_LARGE, size_mb=round(size / 1_048_576, 1), limit_mb=limits.max_bytes // 1_048_576
        )
    with path.open("rb") as handle:
        data = handle.read(limits.max_bytes + 1)  # the file may grow between stat and read
    if len(data) > limits.max_bytes:
        raise file_error(Reason.FILE_TOO_LARGE, size_mb=None, limit_mb=limits.max_bytes // 1_048_576)
    if not data.strip():
        raise file_error(Reason.FILE_EMPTY)
    return data


def parse_manifest(
    path: Path | str,
    *,
    limits: ManifestLimits | None = None,
    allow_files: bool = True,
    base_dir: Path | None = None,
) -> ParsedManifest:
    """Parse and check a manifest; paths in it are relative to ``base_dir`` (default: its folder).

    ``allow_files=False`` refuses assets that name files (used for uploads over the API, which carry
    no media). Raises ``ManifestErrors`` with every problem found; stores and changes nothing.
    """
    path = Path(path)
    limits = limits or ManifestLimits()
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise file_error(Reason.MACRO_WORKBOOK)
    if suffix not in SUFFIXES:
        raise file_error(Reason.UNSUPPORTED_FORMAT, extension=suffix[:16] or "-")
    data = read_limited(path, limits)
    context = Context(base_dir=(base_dir or path.parent).resolve(), allow_files=allow_files, limits=limits)
    errors: list[IngestError] = []  # problems the readers found; validation adds its own
    if suffix == ".json":
        nodes, fmt, encoding = read_json(data, limits, errors), "json", "utf-8"
    elif suffix == ".csv":
        nodes, encoding = read_csv(data, limits, errors)
        fmt = "csv"
    else:
        nodes, fmt, encoding = read_xlsx(data, limits, errors), "xlsx", "xlsx"
    return build_manifest(nodes, fmt=fmt, encoding=encoding, context=context, errors=errors)
