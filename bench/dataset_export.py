"""Benchmark: dataset export of 100,000 labels in each format, against the stdlib csv module.

A synthetic snapshot (the canonical JSON Lines file ``shinsa dataset export`` writes from): 25,000
items, each with two labelers' segments and frame boxes (100,000 raw labels: 50,000 time ranges, 50,000
boxes) and one consensus segment. Each format is written from the snapshot file as the command does,
streaming line by line. The baseline, measured in the same run, is Python's ``csv.writer`` writing the
same 100,000 raw label rows from a list already in memory: the least work any export of these rows
needs. The figure to watch is each format's ratio to it.

    python bench/dataset_export.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from shinsa.labeling import writers

LABELS_PER_ITEM = 4


def items(count: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        start = (n % 500) * 1000
        yield {
            "item": f"tv:title-{n // 8}/ep-{n % 8}",
            "title": f"title-{n // 8}",
            "group": f"title-{n // 8}",
            "split": "test" if n % 5 == 0 else "train",
            "media": {"uri": f"shinsa:asset-version/{n:064x}", "width": 1920, "height": 1080},
            "labelers": ["haruka", "liam"],
            "labels": [
                {"labeler": "haruka", "label": "violence", "start_ms": start, "end_ms": start + 2002},
                {"labeler": "liam", "label": "violence", "start_ms": start + 42, "end_ms": start + 2044},
                {
                    "labeler": "haruka",
                    "label": "weapon",
                    "frame_ms": start + 500,
                    "box": [0.1, 0.2, 0.3, 0.4],
                },
                {
                    "labeler": "liam",
                    "label": "weapon",
                    "frame_ms": start + 500,
                    "box": [0.12, 0.2, 0.3, 0.38],
                },
            ],
            "consensus": [
                {
                    "label": "violence",
                    "method": "majority",
                    "posterior": {"none": 0.0, "violence": 1.0},
                    "support": 2,
                    "start_ms": start,
                    "end_ms": start + 2044,
                }
            ],
        }


def best_time(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 labels and one repeat (a smoke run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    labels = 10_000 if args.quick else 100_000
    repeats = 1 if args.quick else 3
    count = labels // LABELS_PER_ITEM
    header = {
        "project": "bench",
        "schema": {"id": "bench", "classes": [{"id": "violence"}, {"id": "weapon"}]},
    }

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        snapshot = root / "snapshot.jsonl"
        snapshot_s = best_time(lambda: writers.write_canonical(snapshot, header, items(count)), repeats)
        rows = [writers.label_row(item, "raw", label) for item in items(count) for label in item["labels"]]

        def baseline() -> None:
            with (root / "baseline.csv").open("w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)

        baseline_s = best_time(baseline, repeats)
        report: dict[str, Any] = {
            "benchmark": "dataset_export",
            "labels": labels,
            "items": count,
            "baseline": "stdlib csv.writer writing the same raw label rows from memory",
            "baseline_s": round(baseline_s, 4),
            "snapshot_s": round(snapshot_s, 4),
            "snapshot_bytes": snapshot.stat().st_size,
            "snapshot_ratio": round(snapshot_s / baseline_s, 2),
            "units": "seconds (best of repeats); ratio = format seconds / baseline seconds",
        }
        for fmt in writers.FORMATS:
            out = root / f"out-{fmt}"
            seconds = best_time(lambda fmt=fmt, out=out: writers.export(snapshot, fmt, out), repeats)
            report[f"{fmt}_s"] = round(seconds, 4)
            report[f"{fmt}_ratio"] = round(seconds / baseline_s, 2)
            report[f"{fmt}_labels_per_s"] = round(labels / seconds)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
