"""bench/exports.py keeps working: one small run, one JSON object with the figures it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "exports.py"


def test_it_prints_one_json_object_with_both_ratios():
    result = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "3000", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["rows"] == 3000 and figures["xlsx"]["sheets"] == 1
    assert figures["time_ratio_to_baseline"] > 0 and figures["memory_ratio_to_baseline"] > 0
    assert figures["xlsx"]["peak_rss_mb"] > 0 and figures["target_peak_mb"] == 300
