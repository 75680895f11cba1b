"""Benchmark: exporting 1,000,000 decisions to XLSX, as ratios to writing the same rows as CSV with the
standard library, in the same run.

Each writer runs in its own fresh Python process (so one's memory cannot hide the other's): the XLSX
export is ``shinsa.insights.exports.write_xlsx`` (openpyxl write-only mode, typed cells, formula
neutralisation, continuation sheets); the baseline is a bare ``csv.writer`` over the same rows. Peak
memory is the process's maximum resident set size (``resource.getrusage``), which includes the
interpreter and imports, so the figure is what a machine must actually have. Target: ≤ 300 MB.

The rows come from a generator with the export's own row shape (17 typed columns, Japanese and English
titles, some formula-looking text), not from the database: loading a million decisions into a test
database would measure the database, and the export streams rows from the database in chunks of 2,000
either way.

    python bench/exports.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROWS = 1_000_000
QUICK_ROWS = 50_000
TARGET_MB = 300
ROOT = Path(__file__).resolve().parents[1]


def rows(count: int) -> Iterator[tuple[Any, ...]]:
    start = datetime.datetime(2026, 1, 1)
    areas = ("violence", "sexual_content", "hate", "maturity_rating", "subtitle_quality")
    actions = ("approve", "restrict", "age_gate", "edit_request", "remove")
    titles = ("風の街", "Dust on Copper Ridge", '=HYPERLINK("x")', "星の旅 第3話", "Tetsu no Shiro")
    for n in range(count):
        decided = start + datetime.timedelta(seconds=17 * n)
        yield (
            n + 1,
            decided,
            decided if n % 7 else None,
            "pending" if n % 50 == 0 else ("overturned" if n % 97 == 0 else "final"),
            actions[n % 5],
            areas[n % 5],
            f"VIO-{n % 3 + 1}",
            "screening" if n % 2 else "customer_report",
            bool(n % 2),
            "JP US" if n % 4 == 0 else "JP",
            f"title-{n % 5000}",
            titles[n % 5],
            "theatrical",
            "review",
            ("haruka", "liam", "kenji")[n % 3],
            round((n % 400) / 7, 3),
            "" if n % 20 else "upheld",
        )


def _child(kind: str, count: int, out: Path) -> None:
    import csv
    import resource
    import time

    import django

    # Both writers load Django and the export module, so the interpreter's own footprint cancels out.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")
    django.setup()
    from shinsa.insights.exports import COLUMNS, write_xlsx

    started = time.perf_counter()
    if kind == "xlsx":
        written = write_xlsx(rows(count), out)
    else:
        written = 0
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.name for c in COLUMNS])
            for row in rows(count):
                writer.writerow(row)
                written += 1
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"rows": written, "seconds": seconds, "peak_mb": peak_kb / 1024, "bytes": out.stat().st_size}
        )
    )


def _run(kind: str, count: int, folder: Path) -> dict[str, Any]:
    out = folder / f"decisions.{kind}"
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--rows", str(count), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SHINSA_VAR_DIR": str(folder / "var")},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows instead of {ROWS:,}")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--child", choices=["xlsx", "csv"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help="rows to write (default: 1,000,000; --quick: 50,000)")
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.rows, Path(args.out))
        return
    count = args.rows or (QUICK_ROWS if args.quick else ROWS)
    with tempfile.TemporaryDirectory() as folder:
        baseline = _run("csv", count, Path(folder))
        xlsx = _run("xlsx", count, Path(folder))
    figures = {
        "benchmark": "exports",
        "rows": count,
        "xlsx": {
            "seconds": round(xlsx["seconds"], 2),
            "peak_rss_mb": round(xlsx["peak_mb"], 1),
            "file_mb": round(xlsx["bytes"] / 2**20, 1),
            "sheets": -(-count // (1_048_576 - 1)),
        },
        "baseline_stdlib_csv": {
            "seconds": round(baseline["seconds"], 2),
            "peak_rss_mb": round(baseline["peak_mb"], 1),
            "file_mb": round(baseline["bytes"] / 2**20, 1),
        },
        "time_ratio_to_baseline": round(xlsx["seconds"] / baseline["seconds"], 2),
        "memory_ratio_to_baseline": round(xlsx["peak_mb"] / baseline["peak_mb"], 2),
        "target_peak_mb": TARGET_MB,
        "within_target": xlsx["peak_mb"] <= TARGET_MB,
        "units": {"seconds": "s wall clock", "peak_rss_mb": "MiB max resident set of the writer process"},
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
