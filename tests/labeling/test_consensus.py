"""Consensus and agreement over labelers' answers (pure)."""

from __future__ import annotations

import random

from shinsa.labeling.consensus import (
    Mark,
    alpha,
    alpha_per_label,
    consensus_marks,
    dawid_skene,
    item_agreement,
    item_units,
    majority_vote,
)
from shinsa.labeling.schemas import SchemaKind


def _biased_panel(seed: int = 7) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """a is always right; b and c each miss half of the true "yes" items, independently."""
    rng = random.Random(seed)
    units, truth = {}, {}
    for i in range(60):
        true = "yes" if i % 3 == 0 else "no"
        truth[f"u{i:02d}"] = true
        b = "no" if true == "yes" and rng.random() < 0.5 else true
        c = "no" if true == "yes" and rng.random() < 0.5 else true
        units[f"u{i:02d}"] = {"a": true, "b": b, "c": c}
    return units, truth


def test_it_weights_labelers_by_measured_accuracy_where_the_majority_is_wrong():
    units, truth = _biased_panel()
    ds = dawid_skene(units)
    majority = majority_vote(units)
    outvoted = [u for u, answers in units.items() if answers == {"a": "yes", "b": "no", "c": "no"}]
    assert outvoted, "the panel must hold items where the careful labeler is outvoted"
    for unit in outvoted:
        assert majority[unit].label == "no"
        assert ds.estimates[unit].label == "yes"
        assert ds.estimates[unit].posterior["yes"] > 0.9
    assert sum(ds.estimates[u].label == truth[u] for u in units) == len(units)
    assert sum(majority[u].label == truth[u] for u in units) < len(units)
    assert ds.accuracy["a"] > ds.accuracy["b"] and ds.accuracy["a"] > ds.accuracy["c"]


def test_it_gives_no_majority_on_a_tie_and_shares_as_posterior():
    votes = majority_vote({"x": {"a": "yes", "b": "no"}, "y": {"a": "yes", "b": "yes", "c": "no"}})
    assert votes["x"].label is None
    assert votes["y"].label == "yes"
    assert votes["y"].posterior == {"no": 1 / 3, "yes": 2 / 3}


def test_it_matches_overlapping_segments_into_one_unit_and_agrees():
    marks = [
        Mark(labeler="rin", label="violence", start_ms=1000, end_ms=3000),
        Mark(labeler="sora", label="violence", start_ms=1200, end_ms=3200),
    ]
    units = item_units("t1", SchemaKind.SEGMENTS, marks, ["rin", "sora"])
    assert len(units) == 1
    assert units[0].answers == {"rin": "violence", "sora": "violence"}
    assert item_agreement(units) == 1.0
    consensus = consensus_marks(units, majority_vote({u.id: u.answers for u in units}))
    assert [(c.label, c.start_ms, c.end_ms, c.support) for c in consensus] == [("violence", 1000, 3200, 2)]


def test_it_sees_disagreement_where_only_one_labeler_marked_a_segment():
    marks = [Mark(labeler="rin", label="violence", start_ms=1000, end_ms=3000)]
    units = item_units("t1", SchemaKind.SEGMENTS, marks, ["rin", "sora"])
    assert units[0].answers == {"rin": "violence", "sora": "none"}
    assert item_agreement(units) == 0.0
    assert consensus_marks(units, majority_vote({u.id: u.answers for u in units})) == []


def test_it_computes_alpha_over_items_and_per_label():
    marks = {
        "t1": [Mark(labeler=n, label="violence", start_ms=0, end_ms=900) for n in ("a", "b")],
        "t2": [Mark(labeler="a", label="gore", start_ms=0, end_ms=900)],
        "t3": [Mark(labeler=n, label="gore", start_ms=100, end_ms=800) for n in ("a", "b")],
    }
    units = [u for t, m in marks.items() for u in item_units(t, SchemaKind.SEGMENTS, m, ["a", "b"])]
    value = alpha(units)
    assert value is not None and 0.0 < value < 1.0
    per_label = alpha_per_label(units)
    assert per_label["violence"] == 1.0  # both marked the violence, and neither marked it elsewhere
    assert per_label["gore"] is not None and per_label["gore"] < 1.0


def test_it_makes_a_classification_item_one_unit():
    units = item_units(
        "t1",
        SchemaKind.CLASSIFICATION,
        [Mark(labeler="a", label="x"), Mark(labeler="b", label="y")],
        ["a", "b"],
    )
    assert [u.answers for u in units] == [{"a": "x", "b": "y"}]
    assert item_agreement(units) == 0.0
