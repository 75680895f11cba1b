"""Suspicious reporting: each rule on its own, and ordinary reporting left alone (pure)."""

from __future__ import annotations

import datetime

from shinsa.insights.engine.suspicion import SeenReport, Suspicion, normalised_text, suspicions

NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)


def seen(reporter: str, seconds_ago: int, text: str = "", age_days: float | None = None) -> SeenReport:
    at = NOW - datetime.timedelta(seconds=seconds_ago)
    created = None if age_days is None else at - datetime.timedelta(days=age_days)
    return SeenReport(reporter=reporter, at=at, text=text, account_created=created)


def test_it_leaves_ordinary_reports_from_many_people_alone():
    recent = [seen(f"viewer-{n}", 600 * n + 300, f"scene {n} is violent") for n in range(1, 6)]
    assert suspicions(seen("viewer-0", 0, "too violent"), recent) == []


def test_it_flags_a_burst_from_few_reporters():
    recent = [seen(f"r{n % 2}", 300 * n + 200) for n in range(1, 8)]
    assert Suspicion.BURST_FEW_REPORTERS in suspicions(seen("r0", 0), recent)


def test_it_flags_reports_from_several_new_accounts():
    recent = [seen("new-1", 900, age_days=1), seen("new-2", 800, age_days=2)]
    assert Suspicion.NEW_ACCOUNTS in suspicions(seen("new-3", 0, age_days=0.5), recent)
    assert Suspicion.NEW_ACCOUNTS not in suspicions(seen("old", 0, age_days=400), recent)


def test_it_flags_identical_text_up_to_case_width_and_punctuation():
    recent = [seen("a", 1500, "Remove this show NOW!!"), seen("b", 1200, "remove this show now")]
    assert Suspicion.IDENTICAL_TEXT in suspicions(seen("c", 0, "Ｒｅｍｏｖｅ this show, now."), recent)
    assert normalised_text("Ｒｅｍｏｖｅ  THIS!") == "remove this"


def test_it_flags_coordinated_timing_of_distinct_reporters():
    recent = [seen(f"p{n}", 20 * n) for n in range(1, 5)]
    assert suspicions(seen("p0", 0), recent) == [Suspicion.COORDINATED_TIMING]


def test_it_ignores_reports_outside_the_window():
    old = [seen(f"r{n % 2}", 4000 + n) for n in range(10)]
    assert suspicions(seen("r0", 0), old) == []
