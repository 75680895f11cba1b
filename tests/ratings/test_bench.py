"""bench/ratings.py runs and prints one JSON object with its figures, baseline and ratio."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.ratings.conftest import REPO


def test_it_prints_one_json_object_with_figures_baseline_and_ratio():
    result = subprocess.run(
        [sys.executable, "bench/ratings.py", "--quick", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.count("\n") == 1
    report = json.loads(result.stdout)
    assert {"figures", "baseline", "ratio", "units"} <= set(report)
    assert report["title_scheme_evaluations"] == 1_000 * 12
    assert report["figures"]["evaluations_per_second"] > 0
    assert report["baseline"]["lookups_per_second"] > report["figures"]["evaluations_per_second"]
    assert 0 < report["ratio"] < 1
