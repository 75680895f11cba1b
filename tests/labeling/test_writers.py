"""Snapshot files and the export formats (pure)."""

from __future__ import annotations

import csv
import json

import pytest

from shinsa.labeling import writers

HEADER = {
    "project": "p",
    "schema": {
        "id": "s",
        "version": "v1",
        "kind": "segments",
        "classes": [{"id": "violence"}, {"id": "weapon"}],
    },
    "items": 2,
    "labels": 3,
    "agreement": 0.5,
}
ITEMS = [
    {
        "item": "tv:film/a",
        "title": "film",
        "split": "train",
        "media": {"uri": "shinsa:asset-version/abc", "width": 320, "height": 180},
        "labels": [
            {
                "labeler": "rin",
                "label": "violence",
                "start_ms": 1001,
                "end_ms": 2002,
                "attributes": {"intensity": "mild"},
            },
            {"labeler": "sora", "label": "weapon", "frame_ms": 500, "box": [0.1, 0.2, 0.5, 0.25]},
        ],
        "consensus": [
            {
                "label": "violence",
                "start_ms": 1001,
                "end_ms": 2002,
                "posterior": {"violence": 0.9, "none": 0.1},
                "method": "majority",
                "support": 2,
            }
        ],
    },
    {
        "item": "tv:film/b",
        "title": "film-b",
        "split": "test",
        "media": None,
        "labels": [{"labeler": "rin", "label": "violence", "start_ms": 3_723_004, "end_ms": 3_724_000}],
        "consensus": [],
    },
]


@pytest.fixture
def snapshot(tmp_path):
    path = tmp_path / "snap.jsonl"
    digest = writers.write_canonical(path, HEADER, iter(ITEMS))
    assert digest == writers.sha256_of(path)
    return path


@pytest.mark.parametrize("fmt", writers.FORMATS)
def test_it_writes_the_same_bytes_for_the_same_snapshot(tmp_path, snapshot, fmt):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = writers.export(snapshot, fmt, tmp_path / "one" / f"out.{fmt}")
    second = writers.export(snapshot, fmt, tmp_path / "two" / f"out.{fmt}")
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_it_reads_back_what_it_wrote(snapshot):
    with snapshot.open(encoding="utf-8") as lines:
        header, items = writers.read_snapshot(lines)
        assert header["format"] == writers.FORMAT and header["agreement"] == 0.5
        assert list(items) == ITEMS


def test_it_writes_a_csv_row_per_label_with_time_ranges(tmp_path, snapshot):
    out = writers.export(snapshot, "csv", tmp_path / "d.csv")[0]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["source"], r["label"], r["start_ms"], r["end_ms"]) for r in rows] == [
        ("raw", "violence", "1001", "2002"),
        ("raw", "weapon", "", ""),
        ("consensus", "violence", "1001", "2002"),
        ("raw", "violence", "3723004", "3724000"),
    ]
    assert json.loads(rows[0]["attributes"]) == {"intensity": "mild"}


def test_it_writes_frame_boxes_as_coco(tmp_path, snapshot):
    out = writers.export(snapshot, "coco", tmp_path / "coco")[0]
    coco = json.loads(out.read_text(encoding="utf-8"))
    assert coco["categories"] == [{"id": 1, "name": "violence"}, {"id": 2, "name": "weapon"}]
    assert [image["frame_ms"] for image in coco["images"]] == [500]
    (annotation,) = coco["annotations"]
    assert annotation["category_id"] == 2 and annotation["bbox"] == [32.0, 36.0, 160.0, 45.0]


def test_it_writes_segments_as_webvtt_cues(tmp_path, snapshot):
    files = writers.export(snapshot, "vtt", tmp_path / "vtt")
    assert [p.name for p in files] == ["000001.vtt", "000002.vtt", "index.json"]
    first = files[0].read_text(encoding="utf-8")
    assert first.startswith("WEBVTT")
    assert "00:00:01.001 --> 00:00:02.002" in first
    assert "01:02:03.004 --> 01:02:04.000" in files[1].read_text(encoding="utf-8")
    assert json.loads(files[2].read_text(encoding="utf-8"))["files"][1]["item"] == "tv:film/b"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("[]\n", "each line must be a JSON object"),
        ('{"format":"x"}\n', "not a shinsa-labels/1 file"),
    ],
)
def test_it_refuses_what_is_not_a_snapshot(text, reason):
    with pytest.raises(writers.DatasetFormatError) as refused:
        header, items = writers.read_snapshot(text.splitlines(keepends=True))
        list(items)
    assert reason in str(refused.value)
