"""The anomaly engine: weekly seasonality, release days, robust spreads and explanations (pure)."""

from __future__ import annotations

import datetime
import random

from shinsa.insights.engine import anomalies

START = datetime.date(2026, 6, 1)  # a Monday
WEEKLY = (10, 9, 9, 10, 12, 20, 18)  # weekends draw twice the reports


def seasonal(days: int, *, seed: int = 1, noise: int = 2) -> list[tuple[datetime.date, float]]:
    rng = random.Random(seed)
    out = []
    for n in range(days):
        day = START + datetime.timedelta(days=n)
        out.append((day, float(WEEKLY[day.weekday()] + rng.randint(-noise, noise))))
    return out


def test_it_finds_nothing_in_a_series_with_only_weekly_seasonality():
    assert anomalies.detect(seasonal(90)) == []


def test_it_treats_a_weekend_peak_as_normal_but_the_same_value_on_a_tuesday_as_an_anomaly():
    series = seasonal(70)
    tuesday = START + datetime.timedelta(days=71)
    assert tuesday.weekday() == 1
    found = anomalies.detect([*series, (tuesday, 24.0)], check_last=1)
    assert [a.day for a in found] == [tuesday]
    assert found[0].expected < 12 and found[0].score >= anomalies.THRESHOLD
    saturday = START + datetime.timedelta(days=75)
    assert anomalies.detect([*series, (saturday, 24.0)], check_last=1) == []


def test_it_asks_a_release_day_for_a_higher_score():
    series = seasonal(70, noise=0)
    day = START + datetime.timedelta(days=71)
    spike = [*series, (day, 24.0)]
    assert anomalies.detect(spike, check_last=1)
    assert anomalies.detect(spike, check_last=1, release_days=frozenset({day})) == []
    assert anomalies.detect([*series, (day, 60.0)], check_last=1, release_days=frozenset({day}))[
        0
    ].release_day


def test_it_needs_three_weeks_of_history_and_a_real_excess():
    assert anomalies.baseline(seasonal(20), START) is None
    quiet = [(START + datetime.timedelta(days=n), 0.0) for n in range(40)]
    assert anomalies.detect([*quiet, (START + datetime.timedelta(days=40), 3.0)]) == []


def test_it_keeps_an_anomaly_out_of_the_baseline_of_the_days_after():
    series = seasonal(60)
    series[50] = (series[50][0], 200.0)
    found = anomalies.detect(series)
    assert [a.day for a in found] == [series[50][0]]


def test_it_names_the_titles_that_drive_the_excess():
    drivers = anomalies.drivers(
        on_day={"a": 40.0, "b": 3.0, "c": 1.0}, typical={"a": 2.0, "b": 3.0, "c": 2.0}, excess=38.0
    )
    assert [d.key for d in drivers] == ["a"]
    assert drivers[0].share == 1.0


def test_it_fills_missing_days_with_zero():
    counts = {START: 3, START + datetime.timedelta(days=2): 1}
    assert [v for _, v in anomalies.fill_days(counts, START, START + datetime.timedelta(days=3))] == [
        3,
        0,
        1,
        0,
    ]


def test_it_does_not_page_a_one_a_day_series_for_six():
    # Normal-approximation score 5, but six from a Poisson mean of one happens about once in 1,700 days.
    assert abs(anomalies.poisson_tail(6, 1.0) - 0.000594) < 1e-5
    assert abs(anomalies.poisson_tail(1, 2.0) - (1 - 2.718281828459045**-2)) < 1e-12
    quiet = [(START + datetime.timedelta(days=n), float((0, 1, 2, 1, 1)[n % 5])) for n in range(60)]
    assert anomalies.detect([*quiet, (START + datetime.timedelta(days=60), 6.0)], check_last=1) == []
