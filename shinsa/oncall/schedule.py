"""Who is on call when (pure): weekly and weekend shifts in a rotation's own time zone, overrides
and swaps on top, and the escalation chain from the person on call.

A weekly shift starts on ``first_day`` at ``handoff_hour`` local time and lasts seven days; a weekend
shift starts on ``first_day`` (a Saturday, say) at ``handoff_hour`` and lasts two days, once a week.
Shift n belongs to member n mod len(members). Wall-clock arithmetic in the rotation's zone keeps the
handoff at the same local hour across DST changes (San José and Tokyo have none today; UTC never).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

ZONES = ("America/Costa_Rica", "Asia/Tokyo", "UTC")


class Pattern(StrEnum):
    WEEKLY = "weekly"
    WEEKEND = "weekend"


LENGTH = {Pattern.WEEKLY: datetime.timedelta(days=7), Pattern.WEEKEND: datetime.timedelta(days=2)}


@dataclass(frozen=True, kw_only=True, slots=True)
class Plan:
    pattern: Pattern
    zone: str
    first_day: datetime.date
    handoff_hour: int
    members: tuple[int, ...]  # user ids in rotation order


@dataclass(frozen=True, kw_only=True, slots=True)
class Cover:
    """A person covering a span instead of the scheduled one (an override, or one half of a swap)."""

    user_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Shift:
    index: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    user_id: int
    covered: bool = False  # True when an override replaced the scheduled person


def _start(plan: Plan, index: int) -> datetime.datetime:
    day = plan.first_day + datetime.timedelta(weeks=index)
    return datetime.datetime.combine(day, datetime.time(plan.handoff_hour), tzinfo=ZoneInfo(plan.zone))


def scheduled_shift(plan: Plan, at: datetime.datetime) -> Shift | None:
    """The scheduled shift (before overrides) running at ``at``, or None (between weekend shifts, or
    before the rotation began, or with no members)."""
    if not plan.members:
        return None
    local = at.astimezone(ZoneInfo(plan.zone))
    guess = (local.date() - plan.first_day).days // 7
    for index in (guess - 1, guess, guess + 1):
        if index < 0:
            continue
        start = _start(plan, index)
        end = start + LENGTH[plan.pattern]
        if start <= at < end:
            return Shift(
                index=index, starts_at=start, ends_at=end, user_id=plan.members[index % len(plan.members)]
            )
    return None


def shift_by_index(plan: Plan, index: int) -> Shift:
    start = _start(plan, index)
    return Shift(
        index=index,
        starts_at=start,
        ends_at=start + LENGTH[plan.pattern],
        user_id=plan.members[index % len(plan.members)],
    )


def on_call(plan: Plan, covers: Sequence[Cover], at: datetime.datetime) -> int | None:
    """The user on call at ``at``: the latest override covering it, else the scheduled person."""
    for cover in reversed(covers):
        if cover.starts_at <= at < cover.ends_at:
            return cover.user_id
    shift = scheduled_shift(plan, at)
    return shift.user_id if shift else None


def chain(plan: Plan, covers: Sequence[Cover], at: datetime.datetime) -> list[int]:
    """Who to page, in order: the person on call, then the rotation's members after them."""
    first = on_call(plan, covers, at)
    members = list(plan.members)
    if first is None:
        return members
    if first not in members:
        return [first, *members]
    start = members.index(first)
    return members[start:] + members[:start]


def shifts_between(
    plan: Plan, covers: Sequence[Cover], since: datetime.datetime, until: datetime.datetime
) -> list[Shift]:
    """Scheduled shifts overlapping [since, until), split where overrides cover part of them."""
    if not plan.members:
        return []
    first = scheduled_shift(plan, since)
    index = first.index if first else max(0, (since.date() - plan.first_day).days // 7 - 1)
    shifts: list[Shift] = []
    while True:
        shift = shift_by_index(plan, index)
        if shift.starts_at >= until:
            break
        if shift.ends_at > since:
            shifts.extend(_apply_covers(shift, covers))
        index += 1
    shifts.extend(
        Shift(index=-1, starts_at=c.starts_at, ends_at=c.ends_at, user_id=c.user_id, covered=True)
        for c in covers
        if c.ends_at > since and c.starts_at < until
    )
    return sorted(shifts, key=lambda s: (s.starts_at, s.user_id))


def _apply_covers(shift: Shift, covers: Sequence[Cover]) -> list[Shift]:
    """The parts of ``shift`` that no override covers (overrides appear as their own shifts)."""
    parts = [(shift.starts_at, shift.ends_at)]
    for cover in covers:
        next_parts = []
        for start, end in parts:
            if cover.ends_at <= start or cover.starts_at >= end:
                next_parts.append((start, end))
                continue
            if cover.starts_at > start:
                next_parts.append((start, cover.starts_at))
            if cover.ends_at < end:
                next_parts.append((cover.ends_at, end))
        parts = next_parts
    return [
        Shift(index=shift.index, starts_at=start, ends_at=end, user_id=shift.user_id) for start, end in parts
    ]
