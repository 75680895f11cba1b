"""Agreement and consensus over labelers' answers (pure, no Django).

Every answer becomes *units*: a classification item is one unit; time-range labels are matched across
labelers by overlap first (``shinsa.quality.metrics.time_ranges``), each matched event is a unit on which
labelers who did not mark it answered ``none``; cue spans are units per cue and label; frame boxes per
frame and label. Agreement comes from the quality engine (Krippendorff's α, nominal; percent agreement
per item). Consensus per unit is the majority, or a Dawid–Skene estimate that weights each labeler by
the confusion matrix measured over the whole project, with the posterior kept beside the label.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from shinsa.labeling.schemas import SchemaKind
from shinsa.quality.metrics import AgreementError, Rating, RatingsTable, krippendorff_alpha, percent_agreement
from shinsa.quality.metrics.time_ranges import ABSENT, TimeRangeLabel, match_time_ranges

# unit id → {labeler: label}
Units = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True, kw_only=True, slots=True)
class Mark:
    """One stored label as consensus sees it."""

    labeler: str
    label: str
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    frame_ms: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Unit:
    """An agreement unit of one item: who said what, and the range it covers where it has one."""

    id: str
    answers: Mapping[str, str]
    label: str  # the class this unit is about ("" for a classification item)
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    frame_ms: int | None = None
    ranges: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # labeler → their own range


def item_units(
    item: str, kind: SchemaKind, marks: Sequence[Mark], labelers: Sequence[str], *, min_iou: float = 0.3
) -> list[Unit]:
    """The agreement units of one item from every labeler's marks (``labelers``: who submitted)."""
    if kind is SchemaKind.CLASSIFICATION:
        answers = {m.labeler: m.label for m in marks}
        return [Unit(id=item, answers=answers, label="")] if answers else []
    if kind is SchemaKind.SEGMENTS:
        by_labeler: dict[str, list[TimeRangeLabel]] = {name: [] for name in labelers}
        for m in marks:
            assert m.start_ms is not None and m.end_ms is not None
            by_labeler.setdefault(m.labeler, []).append(TimeRangeLabel(m.label, m.start_ms, m.end_ms))
        units = []
        for event in match_time_ranges(by_labeler, min_iou=min_iou):
            answers = {name: event.label if name in event.marked_by else ABSENT for name in by_labeler}
            units.append(
                Unit(
                    id=f"{item}/{event.unit}",
                    answers=answers,
                    label=event.label,
                    start_ms=event.start_ms,
                    end_ms=event.end_ms,
                    ranges={name: (r.start_ms, r.end_ms) for name, r in event.marked_by.items()},
                )
            )
        return units
    # Cue spans and frame boxes: a unit per (cue or frame, label); absent where a labeler did not mark it.
    keyed: dict[tuple[int, str], set[str]] = {}
    for m in marks:
        where = m.cue_index if kind is SchemaKind.CUE_SPANS else m.frame_ms
        assert where is not None
        keyed.setdefault((where, m.label), set()).add(m.labeler)
    units = []
    for (where, label), marked in sorted(keyed.items()):
        answers = {name: label if name in marked else ABSENT for name in labelers}
        units.append(
            Unit(
                id=f"{item}/{label}@{where}",
                answers=answers,
                label=label,
                cue_index=where if kind is SchemaKind.CUE_SPANS else None,
                frame_ms=where if kind is SchemaKind.FRAME_BOXES else None,
            )
        )
    return units


def _ratings(units: Iterable[Unit]) -> list[Rating]:
    return [Rating(unit.id, labeler, label) for unit in units for labeler, label in unit.answers.items()]


def alpha(units: Iterable[Unit]) -> float | None:
    """Krippendorff's α (nominal) over the units; None where it is undefined (no pairable variation)."""
    rows = _ratings(units)
    if not rows:
        return None
    try:
        return krippendorff_alpha(RatingsTable.from_rows(rows), interval=False).value
    except AgreementError:
        return None


def item_agreement(units: Sequence[Unit]) -> float:
    """Percent agreement over one item's units (1.0 where every labeler left the item unmarked)."""
    pairable = [u for u in units if len(u.answers) >= 2]
    if not pairable:
        return 1.0
    try:
        return percent_agreement(RatingsTable.from_rows(_ratings(pairable)), interval=False).value
    except AgreementError:
        return 1.0


def alpha_per_label(units: Sequence[Unit]) -> dict[str, float | None]:
    """α per class over every unit, each read as "this class or not": a unit about another class counts as
    agreement that this one is absent there."""
    classes = sorted(
        {u.label for u in units if u.label} | {a for u in units if not u.label for a in u.answers.values()}
    )
    classes = [name for name in classes if name != ABSENT]
    result: dict[str, float | None] = {}
    for name in classes:
        binary = [
            Unit(
                id=u.id,
                answers={who: "yes" if said == name else "no" for who, said in u.answers.items()},
                label=name,
            )
            for u in units
        ]
        result[name] = alpha(binary)
    return result


# --- consensus ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Estimate:
    label: str | None  # None: a tie with no majority
    posterior: dict[str, float]


def majority_vote(units: Units) -> dict[str, Estimate]:
    """The most frequent answer per unit; the share of votes as its posterior. A tie gives no label."""
    result = {}
    for unit, answers in units.items():
        counts = Counter(answers.values())
        total = sum(counts.values())
        ranked = counts.most_common()
        tie = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
        result[unit] = Estimate(
            label=None if tie or not ranked else ranked[0][0],
            posterior={label: count / total for label, count in sorted(counts.items())},
        )
    return result


@dataclass(frozen=True, kw_only=True, slots=True)
class DawidSkene:
    estimates: dict[str, Estimate]
    accuracy: dict[str, float]  # per labeler: probability of giving the true class, weighted by the prior
    iterations: int


def dawid_skene(
    units: Units, *, max_iterations: int = 100, tolerance: float = 1e-6, smoothing: float = 0.01
) -> DawidSkene:
    """Dawid & Skene (1979) by EM, started from the majority vote.

    Each labeler has a confusion matrix (true class → given answer), each class a prior. The E-step takes
    each unit's class posterior ∝ prior × product of the labelers' confusion entries; the M-step
    re-estimates matrices and priors from those soft counts (``smoothing`` keeps unseen cells above zero).
    """
    unit_ids = sorted(units)
    labelers = sorted({who for answers in units.values() for who in answers})
    classes = sorted({label for answers in units.values() for label in answers.values()})
    if not unit_ids or not classes:
        return DawidSkene(estimates={}, accuracy={}, iterations=0)
    c_index = {c: i for i, c in enumerate(classes)}
    l_index = {name: i for i, name in enumerate(labelers)}
    n_units, n_classes, n_labelers = len(unit_ids), len(classes), len(labelers)
    # answers[u, l] = class index or -1
    answers = np.full((n_units, n_labelers), -1, dtype=np.int64)
    for u, unit in enumerate(unit_ids):
        for who, label in units[unit].items():
            answers[u, l_index[who]] = c_index[label]
    one_hot = np.zeros((n_units, n_labelers, n_classes))
    given = answers >= 0
    one_hot[np.nonzero(given) + (answers[given],)] = 1.0

    counts = one_hot.sum(axis=1)
    posterior = (counts + 1e-9) / (counts + 1e-9).sum(axis=1, keepdims=True)
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported
        prior = (posterior.sum(axis=0) + smoothing) / (n_units + smoothing * n_classes)
        # confusion[l, true, given]
        confusion = np.einsum("ut,ulg->ltg", posterior, one_hot) + smoothing
        confusion /= confusion.sum(axis=2, keepdims=True)
        log_post = np.log(prior)[None, :] + np.einsum("ulg,ltg->ut", one_hot, np.log(confusion))
        log_post -= log_post.max(axis=1, keepdims=True)
        updated = np.exp(log_post)
        updated /= updated.sum(axis=1, keepdims=True)
        change = float(np.abs(updated - posterior).max())
        posterior = updated
        if change < tolerance:
            break
    estimates = {}
    for u, unit in enumerate(unit_ids):
        best = int(np.argmax(posterior[u]))
        estimates[unit] = Estimate(
            label=classes[best],
            posterior={c: round(float(posterior[u, i]), 6) for i, c in enumerate(classes)},
        )
    accuracy = {name: round(float(np.dot(prior, np.diag(confusion[l_index[name]]))), 6) for name in labelers}
    return DawidSkene(estimates=estimates, accuracy=accuracy, iterations=iterations)


@dataclass(frozen=True, kw_only=True, slots=True)
class ConsensusMark:
    """A consensus label of an item; ``posterior`` is the distribution the method gave its unit."""

    unit: str
    label: str
    posterior: dict[str, float]
    support: int  # labelers who gave the label
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    frame_ms: int | None = None


def consensus_marks(units: Sequence[Unit], estimates: Mapping[str, Estimate]) -> list[ConsensusMark]:
    """The consensus of one item's units: the estimated label of each unit, unless it is ``none``.

    A consensus segment spans the median start and end of the ranges its supporters marked.
    """
    marks = []
    for unit in units:
        estimate = estimates.get(unit.id)
        if estimate is None or estimate.label is None or estimate.label == ABSENT:
            continue
        supporters = [who for who, said in unit.answers.items() if said == estimate.label]
        start = end = None
        if unit.ranges:
            spans = [unit.ranges[who] for who in supporters if who in unit.ranges] or list(
                unit.ranges.values()
            )
            start = int(statistics.median_low([s for s, _ in spans]))
            end = int(statistics.median_high([e for _, e in spans]))
        marks.append(
            ConsensusMark(
                unit=unit.id,
                label=estimate.label,
                posterior=dict(estimate.posterior),
                support=len(supporters),
                start_ms=start,
                end_ms=end,
                cue_index=unit.cue_index,
                frame_ms=unit.frame_ms,
            )
        )
    return marks
