"""Shifts, overrides and the escalation chain across San José, Tokyo and UTC (pure)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from shinsa.oncall.schedule import Cover, Pattern, Plan, chain, on_call, scheduled_shift, shifts_between

TOKYO, SAN_JOSE = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Costa_Rica")
WEEKLY = Plan(
    pattern=Pattern.WEEKLY,
    zone="Asia/Tokyo",
    first_day=datetime.date(2026, 11, 2),
    handoff_hour=10,
    members=(1, 2, 3),
)
WEEKEND = Plan(
    pattern=Pattern.WEEKEND,
    zone="America/Costa_Rica",
    first_day=datetime.date(2026, 11, 7),
    handoff_hour=9,
    members=(4, 5),
)


def at(zone: ZoneInfo, *parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=zone)


def test_weekly_shifts_hand_off_at_ten_in_tokyo():
    assert scheduled_shift(WEEKLY, at(TOKYO, 2026, 11, 9, 9, 59)).user_id == 1
    second = scheduled_shift(WEEKLY, at(TOKYO, 2026, 11, 9, 10, 0))
    assert (
        second.user_id == 2 and second.starts_at.astimezone(datetime.UTC).hour == 1
    )  # 10:00 JST = 01:00 UTC
    assert scheduled_shift(WEEKLY, at(TOKYO, 2026, 11, 23, 12)).user_id == 1  # wraps around
    assert scheduled_shift(WEEKLY, at(TOKYO, 2026, 11, 1, 12)) is None  # before the rotation began


def test_weekend_shifts_cover_saturday_and_sunday_in_san_jose_only():
    saturday = scheduled_shift(WEEKEND, at(SAN_JOSE, 2026, 11, 14, 12))
    assert saturday.user_id == 5 and saturday.ends_at == at(SAN_JOSE, 2026, 11, 16, 9)
    assert scheduled_shift(WEEKEND, at(SAN_JOSE, 2026, 11, 16, 9, 0)) is None  # Monday morning: nobody
    # Saturday 09:00 in San José is 15:00 UTC and midnight in Tokyo.
    assert saturday.starts_at.astimezone(datetime.UTC).hour == 15
    assert saturday.starts_at.astimezone(TOKYO).hour == 0


def test_an_override_wins_and_the_chain_starts_from_whoever_is_on_call():
    moment = at(TOKYO, 2026, 11, 10, 12)
    assert on_call(WEEKLY, [], moment) == 2
    cover = Cover(user_id=3, starts_at=at(TOKYO, 2026, 11, 10, 0), ends_at=at(TOKYO, 2026, 11, 11, 0))
    assert on_call(WEEKLY, [cover], moment) == 3
    assert chain(WEEKLY, [], moment) == [2, 3, 1]
    assert chain(WEEKLY, [cover], moment) == [3, 1, 2]


def test_shifts_between_split_around_an_override():
    cover = Cover(user_id=3, starts_at=at(TOKYO, 2026, 11, 10, 0), ends_at=at(TOKYO, 2026, 11, 11, 0))
    shifts = shifts_between(WEEKLY, [cover], at(TOKYO, 2026, 11, 9, 12), at(TOKYO, 2026, 11, 15, 0))
    assert [(s.user_id, s.covered) for s in shifts] == [(2, False), (3, True), (2, False)]
    assert shifts[0].ends_at == cover.starts_at and shifts[2].starts_at == cover.ends_at
