"""Time-range labels ("violence at 00:12:03–00:12:41") matched across raters into agreement units.

The rule, per label:

1. each rater's own ranges that overlap or touch are merged (one continuous mark, however it was drawn);
2. two ranges from different raters *match* when they overlap and their intersection-over-union is at
   least ``min_iou``;
3. matched ranges are grouped greedily, strongest match first, into events: two groups join only when
   they share no rater and every range of one matches every range of the other (complete link), so an
   event never chains together ranges that do not themselves overlap enough;
4. every group is one event; its span is the hull of its ranges.

Each event becomes a unit: the raters who marked it give the label, every other rater gives
``absent_label`` (they watched the same media and did not mark it). Different labels never match: a rater
who called a moment "gore" where another called it "violence" disagrees on two units, one per label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shinsa.quality.metrics.errors import InvalidRatings, Problem
from shinsa.quality.metrics.table import Rating

ABSENT = "none"


@dataclass(frozen=True)
class TimeRangeLabel:
    """``label`` marked from ``start_ms`` (inclusive) to ``end_ms`` (exclusive), in media milliseconds."""

    label: str
    start_ms: int
    end_ms: int

    def iou(self, other: TimeRangeLabel) -> float:
        overlap = min(self.end_ms, other.end_ms) - max(self.start_ms, other.start_ms)
        if overlap <= 0:
            return 0.0
        union = max(self.end_ms, other.end_ms) - min(self.start_ms, other.start_ms)
        return overlap / union


@dataclass(frozen=True)
class MatchedEvent:
    """One agreement unit: a label and the range each rater who marked it gave."""

    label: str
    start_ms: int
    end_ms: int
    marked_by: Mapping[str, TimeRangeLabel]

    @property
    def unit(self) -> str:
        return f"{self.label}@{self.start_ms}-{self.end_ms}"


def match_time_ranges(
    labels_by_rater: Mapping[str, Sequence[TimeRangeLabel]], *, min_iou: float = 0.5
) -> list[MatchedEvent]:
    """Events across raters by the rule in the module docstring, in time order.

    ``labels_by_rater`` names every rater who reviewed the media, with an empty list for one who marked
    nothing. ``min_iou`` is in (0, 1]: 0.5 wants the ranges to share at least half of their combined span.
    """
    if not 0 < min_iou <= 1:
        raise ValueError(f"min_iou must be in (0, 1], not {min_iou}")
    by_label: dict[str, list[tuple[str, TimeRangeLabel]]] = {}
    for rater, marks in labels_by_rater.items():
        for mark in marks:
            _check(rater, mark)
        for mark in _merge_own(marks):
            by_label.setdefault(mark.label, []).append((rater, mark))
    events = [event for label in sorted(by_label) for event in _events(label, by_label[label], min_iou)]
    return sorted(events, key=lambda event: (event.start_ms, event.end_ms, event.label))


def event_ratings(
    events: Sequence[MatchedEvent], raters: Sequence[str], *, absent_label: str = ABSENT
) -> list[Rating]:
    """Long-format rows for the agreement metrics: one rating per event and rater."""
    if any(event.label == absent_label for event in events):
        raise ValueError(f"absent_label {absent_label!r} is also a real label; choose another")
    rows = []
    seen: dict[str, int] = {}
    for event in events:
        # Two events with the same label and span are possible only in odd cases; keep their units apart.
        seen[event.unit] = seen.get(event.unit, 0) + 1
        unit = event.unit if seen[event.unit] == 1 else f"{event.unit}#{seen[event.unit]}"
        for rater in raters:
            rows.append(Rating(unit, rater, event.label if rater in event.marked_by else absent_label))
    return rows


def _check(rater: str, mark: TimeRangeLabel) -> None:
    valid_ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (mark.start_ms, mark.end_ms))
    if not mark.label or not valid_ints or not 0 <= mark.start_ms < mark.end_ms:
        raise InvalidRatings(
            Problem.BAD_TIME_RANGE, rater=rater, label=mark.label, start_ms=mark.start_ms, end_ms=mark.end_ms
        )


def _merge_own(marks: Sequence[TimeRangeLabel]) -> list[TimeRangeLabel]:
    merged: list[TimeRangeLabel] = []
    for mark in sorted(marks, key=lambda m: (m.label, m.start_ms, m.end_ms)):
        last = merged[-1] if merged else None
        if last is not None and last.label == mark.label and mark.start_ms <= last.end_ms:
            merged[-1] = TimeRangeLabel(last.label, last.start_ms, max(last.end_ms, mark.end_ms))
        else:
            merged.append(mark)
    return merged


def _events(label: str, marks: list[tuple[str, TimeRangeLabel]], min_iou: float) -> list[MatchedEvent]:
    marks.sort(key=lambda item: (item[1].start_ms, item[1].end_ms, item[0]))
    candidates = []
    for i, (rater_i, mark_i) in enumerate(marks):
        for j in range(i + 1, len(marks)):
            rater_j, mark_j = marks[j]
            if mark_j.start_ms >= mark_i.end_ms:
                break  # sorted by start: nothing later overlaps mark_i
            iou = mark_i.iou(mark_j)
            if rater_i != rater_j and iou >= min_iou:
                candidates.append((-iou, i, j))
    group_of = list(range(len(marks)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(marks))}
    for _, i, j in sorted(candidates):
        first, second = group_of[i], group_of[j]
        if first == second or not _can_join(marks, members[first], members[second], min_iou):
            continue
        for index in members[second]:
            group_of[index] = first
        members[first].extend(members.pop(second))
    events = []
    for indices in members.values():
        group = [marks[i] for i in indices]
        events.append(
            MatchedEvent(
                label=label,
                start_ms=min(mark.start_ms for _, mark in group),
                end_ms=max(mark.end_ms for _, mark in group),
                marked_by={rater: mark for rater, mark in group},
            )
        )
    return events


def _can_join(
    marks: list[tuple[str, TimeRangeLabel]], first: list[int], second: list[int], min_iou: float
) -> bool:
    if {marks[i][0] for i in first} & {marks[j][0] for j in second}:
        return False
    return all(marks[i][1].iou(marks[j][1]) >= min_iou for i in first for j in second)
