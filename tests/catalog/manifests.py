"""Builders of manifest files for tests (written into a tmp folder, as a provider would deliver them)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from shinsa.catalog.manifest.flat import COLUMNS

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def copy_examples(target: Path) -> Path:
    """A private copy of docs/examples, so a test can change files without touching the repository."""
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def film(external_id: str = "film-1", **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": external_id,
        "kind": "film",
        "original_title": f"Film {external_id}",
        "original_language": "en",
        "year": 2020,
    }
    entry.update(fields)
    return entry


def metadata(language: str = "en", title: str = "A title", **fields: Any) -> dict[str, Any]:
    return {"kind": "metadata", "language": language, "title": title, **fields}


def write_json(folder: Path, titles: list[dict[str, Any]], name: str = "manifest.json") -> Path:
    path = folder / name
    path.write_text(
        json.dumps({"format": "shinsa-manifest/1", "titles": titles}, ensure_ascii=False), "utf-8"
    )
    return path


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row[column] for column in columns])
    return buffer.getvalue()


def write_csv(
    folder: Path,
    rows: list[dict[str, Any]],
    *,
    encoding: str = "utf-8",
    name: str = "manifest.csv",
    **kwargs: Any,
) -> Path:
    path = folder / name
    path.write_bytes(csv_text(rows, **kwargs).encode(encoding))
    return path


def one_file_title(external_id: str, kind: str, path: str, **asset: Any) -> dict[str, Any]:
    """A film with one version ``main`` holding one asset delivered as the file ``path``."""
    entry = {"kind": kind, "name": "main", "path": path, **asset}
    return film(external_id, versions=[{"label": "main", "assets": [entry]}])
