"""JSON manifests: strict UTF-8, depth-capped, duplicate keys and non-finite numbers refused."""

from __future__ import annotations

import json
from typing import Any

from shinsa.catalog.manifest.entries import FORMAT_ID, ManifestLimits
from shinsa.catalog.manifest.errors import IngestError, ManifestErrors, Reason, file_error
from shinsa.catalog.manifest.raw import RawNode, path_label
from shinsa.catalog.manifest.validate import ASSET_FIELDS, AVAILABILITY_FIELDS, TITLE_FIELDS, VERSION_FIELDS
from shinsa.lib.jsondepth import json_depth

_CHILDREN = {
    "title": {"versions": "version"},
    "version": {"availability": "availability", "assets": "asset"},
    "availability": {},
    "asset": {},
}
_FIELDS = {
    "title": TITLE_FIELDS,
    "version": VERSION_FIELDS,
    "availability": AVAILABILITY_FIELDS,
    "asset": ASSET_FIELDS,
}


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


class _Constant(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


def load_json(data: bytes, limits: ManifestLimits) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(Reason.ENCODING_UNKNOWN) from None
    if json_depth(text) > limits.max_json_depth:
        raise file_error(Reason.JSON_TOO_DEEP, limit=limits.max_json_depth)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except _DuplicateKey as duplicate:
        raise file_error(Reason.JSON_DUPLICATE_KEY, key=duplicate.key[:64]) from None
    except _Constant:
        raise file_error(Reason.JSON_CONSTANT) from None
    except json.JSONDecodeError as error:
        raise file_error(Reason.JSON_SYNTAX, line=error.lineno, column=error.colno) from None
    except (ValueError, RecursionError):  # e.g. an integer longer than Python will convert
        raise file_error(Reason.JSON_SYNTAX, line=None, column=None) from None


def read_json(data: bytes, limits: ManifestLimits, errors: list[IngestError]) -> list[RawNode]:
    document = load_json(data, limits)
    if not isinstance(document, dict):
        raise ManifestErrors([IngestError(None, "(document)", Reason.NOT_OBJECT)])
    for key in document:
        if key not in ("format", "titles"):
            errors.append(IngestError(None, key, Reason.UNKNOWN_FIELD))
    if document.get("format") != FORMAT_ID:
        errors.append(IngestError(None, "format", Reason.FORMAT_UNKNOWN, {"expected": FORMAT_ID}))
    titles = document.get("titles")
    if not isinstance(titles, list):
        errors.append(IngestError(None, "titles", Reason.NOT_LIST))
        raise ManifestErrors(errors)
    if len(titles) > limits.max_rows:
        raise file_error(Reason.TOO_MANY_ROWS, limit=limits.max_rows)
    nodes = [_node(item, "title", f"titles[{index}]", errors) for index, item in enumerate(titles)]
    return [node for node in nodes if node is not None]


def _node(item: Any, level: str, path: str, errors: list[IngestError]) -> RawNode | None:
    if not isinstance(item, dict):
        errors.append(IngestError(None, path, Reason.NOT_OBJECT))
        return None
    children: dict[str, list[RawNode] | None] = {}
    values: dict[str, Any] = {}
    for key, value in item.items():
        if key in _CHILDREN[level]:
            children[key] = _children(value, _CHILDREN[level][key], f"{path}.{key}", errors)
        elif key in _FIELDS[level]:
            values[key] = value
        else:
            errors.append(IngestError(None, f"{path}.{key}", Reason.UNKNOWN_FIELD))
    return RawNode(values=values, row=None, label=path_label(f"{path}."), children=children)


def _children(value: Any, level: str, path: str, errors: list[IngestError]) -> list[RawNode] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        errors.append(IngestError(None, path, Reason.NOT_LIST))
        return None
    nodes = [_node(item, level, f"{path}[{index}]", errors) for index, item in enumerate(value)]
    return [node for node in nodes if node is not None]
