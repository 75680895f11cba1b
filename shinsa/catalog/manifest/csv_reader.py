"""CSV manifests: encoding detected (UTF-8 with or without BOM, UTF-16, CP932, EUC-JP), binary refused."""

from __future__ import annotations

import csv
import io
import unicodedata
from typing import Any

from shinsa.catalog.manifest.encodings import BinaryData, decode, detect_encoding
from shinsa.catalog.manifest.entries import ManifestLimits
from shinsa.catalog.manifest.errors import IngestError, Reason, file_error
from shinsa.catalog.manifest.flat import check_header, group_rows
from shinsa.catalog.manifest.raw import RawNode


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text and the codec it was read with; raises for binary data or an unknown encoding."""
    try:
        codec = detect_encoding(data)
    except BinaryData:
        raise file_error(Reason.BINARY_FILE) from None
    if codec is None:
        raise file_error(Reason.ENCODING_UNKNOWN)
    try:
        text = decode(data, codec)
    except UnicodeDecodeError:
        raise file_error(Reason.ENCODING_UNKNOWN) from None
    # Text full of control characters is a binary file that happened to decode.
    controls = sum(1 for char in text[:65536] if unicodedata.category(char) == "Cc" and char not in "\r\n\t")
    if controls:
        raise file_error(Reason.BINARY_FILE)
    return text.removeprefix("\ufeff"), codec


def read_csv(data: bytes, limits: ManifestLimits, errors: list[IngestError]) -> tuple[list[RawNode], str]:
    text, codec = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[Any]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise file_error(Reason.FILE_EMPTY)
        for number, row in enumerate(reader, start=2):
            if number > limits.max_rows + 1:
                raise file_error(Reason.TOO_MANY_ROWS, limit=limits.max_rows)
            rows.append((number, row))
    except csv.Error:
        raise file_error(Reason.CSV_SYNTAX, row=len(rows) + 2) from None
    used = {index for _, row in rows for index, value in enumerate(row) if value.strip()}
    names = check_header(header, used)
    errors += [
        IngestError(number, None, Reason.WRONG_CELL_COUNT, {"cells": len(row), "expected": len(header)})
        for number, row in rows
        if len(row) != len(header) and any(value.strip() for value in row)
    ]
    return group_rows(names, rows, errors), codec
