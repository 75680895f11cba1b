"""Dataset snapshots and their export formats (pure, no Django; every writer streams).

A snapshot is one canonical JSON Lines file: a header line (format, project, schema, counts,
agreement) and then one line per item with its media reference, split, every labeler's raw labels and
the consensus. Its SHA-256 is the snapshot's content hash. Every export format is written from that
file line by line, so exporting one snapshot twice gives the same bytes and memory stays flat:

- ``jsonl``: the canonical file itself;
- ``csv``: one row per label (raw and consensus), time ranges as ``start_ms``/``end_ms``;
- ``coco``: a folder with ``annotations.json`` (frame boxes as COCO images/annotations/categories);
- ``vtt``: a folder with one WebVTT file per item (segments and cue spans as cues carrying JSON) and
  ``index.json`` naming the item of each file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from shinsa.lib.clock import clock

FORMAT = "shinsa-labels/1"
FORMATS = ("jsonl", "coco", "vtt", "csv")
FOLDER_FORMATS = ("coco", "vtt")
CHUNK = 1 << 20

# The label fields in the order CSV columns show them.
LABEL_FIELDS = (
    "label",
    "start_ms",
    "end_ms",
    "cue_index",
    "text_start",
    "text_end",
    "frame_ms",
    "box_x",
    "box_y",
    "box_w",
    "box_h",
)
CSV_HEADER = ("item", "title", "split", "source", "labeler", *LABEL_FIELDS, "attributes", "posterior")


class DatasetFormatError(ValueError):
    """A dataset file cannot be read; ``line`` is 1-based where known."""

    def __init__(self, reason: str, *, line: int | None = None, code: str = "") -> None:
        self.code = code  # empty | not_snapshot | not_item | not_json | not_object
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


def canonical_line(value: Mapping[str, Any]) -> str:
    """One JSON line: sorted keys, no spacing, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_canonical(path: Path, header: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> str:
    """Write a snapshot file; its SHA-256 (hex)."""
    digest = hashlib.sha256()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in _chain(header, items):
            line = canonical_line(record)
            digest.update(line.encode())
            out.write(line)
    return digest.hexdigest()


def _chain(header: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    yield {"format": FORMAT, **header}
    yield from items


def read_snapshot(lines: Iterable[str]) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The header and a lazy iterator over the items of a snapshot (or a ``jsonl`` export)."""
    numbered = enumerate(lines, start=1)
    try:
        _, first = next(numbered)
    except StopIteration:
        raise DatasetFormatError("the file is empty", code="empty") from None
    header = _parse(first, 1)
    if header.get("format") != FORMAT:
        raise DatasetFormatError(
            f"not a {FORMAT} file (the first line has no matching format)", line=1, code="not_snapshot"
        )

    def items() -> Iterator[dict[str, Any]]:
        for number, text in numbered:
            if not text.strip():
                continue
            record = _parse(text, number)
            if not isinstance(record.get("item"), str) or not isinstance(record.get("labels"), list):
                raise DatasetFormatError(
                    "an item line needs an item key and a labels list", line=number, code="not_item"
                )
            yield record

    return header, items()


def _parse(text: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise DatasetFormatError(f"not JSON ({error.msg})", line=number, code="not_json") from None
    if not isinstance(value, dict):
        raise DatasetFormatError("each line must be a JSON object", line=number, code="not_object")
    return value


# --- formats --------------------------------------------------------------------------------------


def export(snapshot: Path, fmt: str, out: Path) -> list[Path]:
    """Write ``snapshot`` as ``fmt`` to ``out`` (a file for jsonl/csv, a folder for coco/vtt); the paths."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "jsonl":
        return [write_jsonl(snapshot, out)]
    with snapshot.open(encoding="utf-8") as lines:
        header, items = read_snapshot(lines)
        if fmt == "csv":
            return [write_csv(items, out)]
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "coco":
            return [write_coco(header, items, out)]
        return write_vtt(header, items, out)


def write_jsonl(snapshot: Path, out: Path) -> Path:
    with snapshot.open("rb") as source, out.open("wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
    return out


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def label_row(item: Mapping[str, Any], source: str, label: Mapping[str, Any]) -> list[str]:
    box = label.get("box") or [None, None, None, None]
    return [
        item["item"],
        item.get("title", ""),
        item.get("split", ""),
        source,
        label.get("labeler", ""),
        label["label"],
        _number(label.get("start_ms")),
        _number(label.get("end_ms")),
        _number(label.get("cue_index")),
        _number(label.get("text_start")),
        _number(label.get("text_end")),
        _number(label.get("frame_ms")),
        *(_number(v) for v in box),
        json.dumps(label["attributes"], sort_keys=True, ensure_ascii=False)
        if label.get("attributes")
        else "",
        json.dumps(label["posterior"], sort_keys=True) if label.get("posterior") else "",
    ]


def write_csv(items: Iterable[Mapping[str, Any]], out: Path) -> Path:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for item in items:
            writer.writerows(label_row(item, "raw", label) for label in item["labels"])
            writer.writerows(label_row(item, "consensus", mark) for mark in item.get("consensus", ()))
    return out


def write_coco(header: Mapping[str, Any], items: Iterable[Mapping[str, Any]], folder: Path) -> Path:
    """COCO detection JSON. Images are the labeled frames (media reference + ``frame_ms``); boxes are in
    pixels where the media's size is known, else in shares of the frame (``bbox_relative``)."""
    classes = [c["id"] for c in header.get("schema", {}).get("classes", ())]
    category = {name: index + 1 for index, name in enumerate(classes)}
    path = folder / "annotations.json"
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool, path.open("w", encoding="utf-8") as out:
        info = {
            "description": header.get("project", ""),
            "version": header.get("schema", {}).get("version", ""),
        }
        out.write('{"info":' + json.dumps(info, sort_keys=True, ensure_ascii=False) + ',"images":[')
        image_id = annotation_id = 0
        first_image = first_annotation = True
        for item in items:
            media = item.get("media") or {}
            frames: dict[int, int] = {}
            for label in item["labels"]:
                if label.get("frame_ms") is None or not label.get("box"):
                    continue
                frame = int(label["frame_ms"])
                if frame not in frames:
                    image_id += 1
                    frames[frame] = image_id
                    image = {
                        "id": image_id,
                        "file_name": f"{media.get('uri', item['item'])}#t={frame / 1000:.3f}",
                        "frame_ms": frame,
                        "item": item["item"],
                        "split": item.get("split", ""),
                        "width": media.get("width"),
                        "height": media.get("height"),
                    }
                    out.write(
                        ("" if first_image else ",") + json.dumps(image, sort_keys=True, ensure_ascii=False)
                    )
                    first_image = False
                annotation_id += 1
                x, y, w, h = label["box"]
                width, height = media.get("width"), media.get("height")
                pixels = [x * width, y * height, w * width, h * height] if width and height else None
                annotation = {
                    "id": annotation_id,
                    "image_id": frames[frame],
                    "category_id": category.get(label["label"], 0),
                    "bbox": [round(v, 2) for v in pixels] if pixels else None,
                    "bbox_relative": [x, y, w, h],
                    "area": round(pixels[2] * pixels[3], 2) if pixels else None,
                    "iscrowd": 0,
                    "labeler": label.get("labeler", ""),
                    "attributes": label.get("attributes") or {},
                }
                spool.write(
                    ("" if first_annotation else ",")
                    + json.dumps(annotation, sort_keys=True, ensure_ascii=False)
                )
                first_annotation = False
        out.write('],"annotations":[')
        spool.seek(0)
        shutil.copyfileobj(spool, out, CHUNK)
        categories = [{"id": category[name], "name": name} for name in classes]
        out.write('],"categories":' + json.dumps(categories, ensure_ascii=False) + "}\n")
    return path


def _vtt_cues(item: Mapping[str, Any]) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
    for source, key in (("raw", "labels"), ("consensus", "consensus")):
        for label in item.get(key, ()):
            start, end = label.get("start_ms"), label.get("end_ms")
            if start is None or end is None:
                continue
            payload = {k: v for k, v in label.items() if v is not None} | {"source": source}
            yield (
                int(start),
                int(end),
                f"{source}:{label.get('labeler', 'consensus')}:{label['label']}",
                payload,
            )


def write_vtt(header: Mapping[str, Any], items: Iterable[Mapping[str, Any]], folder: Path) -> list[Path]:
    """One WebVTT file per item with a time range, cues in time order; ``index.json`` maps files to items
    (written as it goes, one entry per line)."""
    written: list[Path] = []
    index_path = folder / "index.json"
    with index_path.open("w", encoding="utf-8") as index:
        index.write('{"project":' + json.dumps(header.get("project", ""), ensure_ascii=False) + ',"files":[')
        for number, item in enumerate(items, start=1):
            cues = sorted(_vtt_cues(item), key=lambda cue: (cue[0], cue[1], cue[2]))
            if not cues:
                continue
            name = f"{number:06d}.vtt"
            with (folder / name).open("w", encoding="utf-8", newline="\n") as out:
                out.write(f"WEBVTT - {header.get('project', '')} {item['item']}\n\n")
                for position, (start, end, ident, payload) in enumerate(cues, start=1):
                    out.write(f"{position} {ident}\n{clock(start)} --> {clock(end)}\n")
                    out.write(json.dumps(payload, sort_keys=True, ensure_ascii=False) + "\n\n")
            entry = {
                "file": name,
                "item": item["item"],
                "media": item.get("media"),
                "split": item.get("split"),
            }
            index.write(
                ("\n" if not written else ",\n") + json.dumps(entry, sort_keys=True, ensure_ascii=False)
            )
            written.append(folder / name)
        index.write("\n]}\n")
    return [*written, index_path]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_text(path: Path) -> IO[str]:
    return path.open(encoding="utf-8")
