"""bench/text_screening.py runs and prints one JSON object with its figures, baseline and ratio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "text_screening.py"


def test_it_prints_cues_per_second_against_the_baseline():
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    [line] = result.stdout.splitlines()
    report = json.loads(line)
    assert report["benchmark"] == "screening.text.screen_cues"
    for language in ("ja", "en"):
        figures = report["languages"][language]
        # A two-hour track has on the order of a thousand cues, and the generator plants terms in some.
        assert figures["cues"] > 500
        assert figures["figures"]["hits"] > 0 and figures["figures"]["cues_per_second"] > 0
        expected_ratio = figures["figures"]["cues_per_second"] / figures["baseline"]["cues_per_second"]
        assert abs(figures["ratio"] - expected_ratio) <= 0.05 * expected_ratio + 0.0001
        # Normalisation finds what the naive scan misses (k1ll, ｺｶｲﾝ, 死 ね ...).
        assert figures["figures"]["hits"] > figures["baseline"]["hits"]
