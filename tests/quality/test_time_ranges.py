"""Time-range labels matched across raters by overlap before agreement is computed."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import InvalidRatings, Metric, Problem, RatingsTable, agreement
from shinsa.quality.metrics.time_ranges import TimeRangeLabel, event_ratings, match_time_ranges


def at(label: str, start_s: float, end_s: float) -> TimeRangeLabel:
    return TimeRangeLabel(label, round(start_s * 1000), round(end_s * 1000))


def test_it_matches_overlapping_ranges_of_the_same_label_into_one_unit():
    events = match_time_ranges(
        {
            "rin": [at("violence", 723, 761)],  # 00:12:03–00:12:41
            "sora": [at("violence", 725, 760)],
            "kai": [],
        }
    )
    assert len(events) == 1
    (event,) = events
    assert (event.label, event.start_ms, event.end_ms) == ("violence", 723_000, 761_000)
    assert set(event.marked_by) == {"rin", "sora"}
    rows = event_ratings(events, ["kai", "rin", "sora"])
    assert {(row.rater, row.label) for row in rows} == {
        ("kai", "none"),
        ("rin", "violence"),
        ("sora", "violence"),
    }
    assert {row.unit for row in rows} == {"violence@723000-761000"}


def test_ranges_that_overlap_too_little_stay_apart():
    events = match_time_ranges({"rin": [at("gore", 0, 10)], "sora": [at("gore", 8, 30)]}, min_iou=0.5)
    assert [set(event.marked_by) for event in events] == [{"rin"}, {"sora"}]
    together = match_time_ranges({"rin": [at("gore", 0, 10)], "sora": [at("gore", 8, 30)]}, min_iou=0.05)
    assert len(together) == 1


def test_touching_ranges_do_not_match_but_a_raters_own_touching_ranges_merge():
    apart = match_time_ranges({"rin": [at("x", 0, 10)], "sora": [at("x", 10, 20)]}, min_iou=0.01)
    assert len(apart) == 2
    merged = match_time_ranges(
        {"rin": [at("x", 0, 10), at("x", 10, 20), at("x", 5, 12)], "sora": [at("x", 1, 19)]}
    )
    assert len(merged) == 1 and merged[0].marked_by["rin"] == at("x", 0, 20)


def test_different_labels_never_match():
    events = match_time_ranges({"rin": [at("gore", 0, 10)], "sora": [at("violence", 0, 10)]})
    rows = event_ratings(events, ["rin", "sora"])
    table = RatingsTable.from_rows(rows)
    assert len(table.units) == 2
    assert agreement(table, Metric.PERCENT).value == 0.0


def test_the_strongest_match_wins_and_a_rater_appears_once_per_event():
    # sora's range overlaps both of rin's; it joins the better one, the other stays rin's alone.
    events = match_time_ranges(
        {"rin": [at("x", 0, 10), at("x", 12, 30)], "sora": [at("x", 1, 14)]}, min_iou=0.05
    )  # IoU with rin's first range 9/14, with the second 2/29: both above 0.05
    assert [(e.start_ms, e.end_ms, sorted(e.marked_by)) for e in events] == [
        (0, 14_000, ["rin", "sora"]),
        (12_000, 30_000, ["rin"]),
    ]


def test_groups_join_only_when_every_pair_matches():
    # a-b and b-c overlap enough, a-c does not: b joins one side, never bridging a and c.
    events = match_time_ranges(
        {"a": [at("x", 0, 10)], "b": [at("x", 3, 13)], "c": [at("x", 6, 16)]}, min_iou=0.5
    )
    assert sorted(len(e.marked_by) for e in events) == [1, 2]


def test_agreement_over_matched_events():
    labels = {
        "rin": [at("violence", 60, 70), at("nudity", 200, 210), at("violence", 400, 405)],
        "sora": [at("violence", 61, 71), at("nudity", 201, 209)],
        "kai": [at("violence", 59, 69), at("nudity", 200, 212), at("language", 500, 502)],
    }
    events = match_time_ranges(labels)
    table = RatingsTable.from_rows(event_ratings(events, sorted(labels)))
    assert len(table.units) == 4  # violence@60, nudity@200, violence@400, language@500
    # Units 1-2 unanimous (3 of 3 pairs), units 3-4 marked by one of three (1 of 3 pairs agree on "none").
    assert agreement(table, Metric.PERCENT).value == pytest.approx((1 + 1 + 1 / 3 + 1 / 3) / 4)


def test_it_is_the_same_whatever_order_the_ranges_come_in():
    labels = {
        "rin": [at("x", 0, 10), at("y", 3, 8), at("x", 20, 25)],
        "sora": [at("x", 21, 26), at("x", 1, 9)],
    }
    backwards = {rater: list(reversed(marks)) for rater, marks in reversed(labels.items())}
    assert match_time_ranges(labels) == match_time_ranges(backwards)


@pytest.mark.parametrize(
    "mark", [TimeRangeLabel("x", 10, 10), TimeRangeLabel("x", -5, 3), TimeRangeLabel("", 0, 1)]
)
def test_it_refuses_a_range_that_is_not_one(mark):
    with pytest.raises(InvalidRatings) as error:
        match_time_ranges({"rin": [mark]})
    assert error.value.reason is Problem.BAD_TIME_RANGE


def test_it_refuses_a_min_iou_outside_zero_to_one_and_an_absent_label_that_is_real():
    with pytest.raises(ValueError, match="min_iou"):
        match_time_ranges({}, min_iou=0)
    events = match_time_ranges({"rin": [at("none", 0, 1)]})
    with pytest.raises(ValueError, match="absent_label"):
        event_ratings(events, ["rin"])
    assert event_ratings(events, ["rin"], absent_label="-")[0].label == "none"
