"""The metrics and the CSV reader are pure: importing and running them loads no Django module."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_metrics_run_in_a_process_without_django():
    code = (
        "import sys\n"
        "from shinsa.quality.metrics import Rating, RatingsTable, agreement\n"
        "from shinsa.quality.metrics.time_ranges import match_time_ranges\n"
        "from shinsa.quality.ratings_file import read_ratings_csv\n"
        "from shinsa.quality.stats import allocate, sample_size, score_answer, wilson_interval\n"
        "rows = [Rating('u1', 'a', 'x'), Rating('u1', 'b', 'x'),\n"
        "        Rating('u2', 'a', 'y'), Rating('u2', 'b', 'x')]\n"
        "print(round(agreement(RatingsTable.from_rows(rows), 'percent').value, 2))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["0.5", "[]"]
