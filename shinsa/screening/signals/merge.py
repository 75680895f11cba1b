"""Consecutive frame hits of one signal become one segment.

Frame signals report one hit per sampled frame, spanning from that frame to the next sampled one. Hits
of the same signal, policy area and ``detail["label"]`` whose spans touch or overlap merge into one:
the earliest start, the latest end, the highest score and severity, the first hit's detail plus
``frames`` (how many hits were merged). A sampled frame without the hit in between ends the segment.
"""

from __future__ import annotations

from collections.abc import Iterable

from shinsa.screening.signals.base import SEVERITY_RANK, SignalHit


def merge_frame_hits(hits: Iterable[SignalHit]) -> list[SignalHit]:
    """Merge touching timed hits per (signal, policy area, label); untimed hits pass unchanged."""
    untimed: list[SignalHit] = []
    groups: dict[tuple[str, str, str], list[SignalHit]] = {}
    for hit in hits:
        if hit.start_ms is None:
            untimed.append(hit)
        else:
            key = (hit.signal, hit.policy_area, str(hit.detail.get("label", "")))
            groups.setdefault(key, []).append(hit)
    merged: list[SignalHit] = []
    for group in groups.values():
        group.sort(key=lambda hit: (hit.start_ms, hit.end_ms))
        run = [group[0]]
        for hit in group[1:]:
            if hit.start_ms <= max(h.end_ms for h in run):  # type: ignore[operator, type-var]
                run.append(hit)
            else:
                merged.append(_segment(run))
                run = [hit]
        merged.append(_segment(run))
    return untimed + sorted(merged, key=hit_order)


def _segment(run: list[SignalHit]) -> SignalHit:
    if len(run) == 1:
        return run[0]
    first = run[0]
    return SignalHit(
        signal=first.signal,
        policy_area=first.policy_area,
        severity=max((hit.severity for hit in run), key=SEVERITY_RANK.__getitem__),
        score=max(hit.score for hit in run),
        start_ms=first.start_ms,
        end_ms=max(hit.end_ms for hit in run),  # type: ignore[type-var]
        detail={**first.detail, "frames": len(run)},
    )


def hit_order(hit: SignalHit) -> tuple[int, int, str, str, str]:
    """Untimed hits first, then by time; ties by signal, area and label so output is stable."""
    start = -1 if hit.start_ms is None else hit.start_ms
    end = -1 if hit.end_ms is None else hit.end_ms
    return (start, end, hit.signal, hit.policy_area, str(hit.detail.get("label", "")))
