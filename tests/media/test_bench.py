"""bench/screening_media.py keeps working: one quick run, one JSON object with the figures it promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.media

BENCH = Path(__file__).resolve().parents[2] / "bench" / "screening_media.py"


def test_it_prints_one_json_object_with_the_ratio_and_real_time_factor(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", "--runs", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "SHINSA_VAR_DIR": str(tmp_path)},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["clip"]["duration_s"] >= 12 and figures["runs"] == 1
    assert figures["ratio_to_baseline"] > 0 and figures["times_real_time"] > 0
    screening = figures["screening"]
    assert screening["frames_decoded"] == figures["clip"]["frames"]
    assert screening["scene_cuts_found"] == screening["scene_cuts_expected"] == 5
    assert screening["scene_cuts_within_one_frame"] == 5
