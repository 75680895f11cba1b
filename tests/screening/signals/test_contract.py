"""The one contract every registered signal type passes: it runs on each input kind it declares,
returns valid hits, and returns the same hits for the same input and context."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shinsa.policy.schemas import Severity
from shinsa.screening.signals import (
    SIGNALS,
    InputKind,
    KnownHash,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    SubtitleInput,
    VideoFrameInput,
)
from shinsa.screening.text import load_lexicon_directory
from tests.screening.signals.conftest import SHIPPED_POLICIES

AREAS = {"violence", "sexual_content", "hate", "drugs", "self_harm", "violent_extremism", "child_safety"}

CASES = [
    pytest.param(signal, kind, id=f"{name}-{kind.value}")
    for name, signal in SIGNALS.items()
    for kind in sorted(signal.accepts)
]


def runnable(signal: Signal) -> None:
    reason = signal.unavailable()
    if reason is not None:
        pytest.skip(reason)


def planted(context: SignalContext, signal: Signal, item: SignalInput) -> SignalContext:
    """The context with the input's own hashes known, so hash signals must find a match."""
    features = getattr(signal, "features", None)
    if features is None:
        return context
    known = [
        KnownHash(value=feature.value, policy_area="violence", severity=Severity.HIGH, label="test:1")
        for feature in features(item)
    ]
    return replace(context, known={signal.name: known})


def check_hit(hit: SignalHit, signal: Signal, item: SignalInput) -> None:
    assert hit.signal == signal.name
    assert hit.policy_area in AREAS
    assert hit.severity in set(Severity)
    assert isinstance(hit.score, float) and 0.0 <= hit.score <= 1.0
    as_json = hit.as_json()
    assert list(as_json) == ["signal", "policy_area", "severity", "score", "start_ms", "end_ms", "detail"]
    assert isinstance(as_json["detail"], dict)
    if isinstance(item, VideoFrameInput):
        assert (hit.start_ms, hit.end_ms) == (item.start_ms, item.end_ms)
    elif isinstance(item, SubtitleInput):
        cue = item.track.cues[hit.detail["cue_index"]]
        assert (hit.start_ms, hit.end_ms) == (cue.start_ms, cue.end_ms)
    else:
        assert hit.start_ms is None and hit.end_ms is None


@pytest.mark.parametrize(("signal", "kind"), CASES)
def test_it_runs_every_declared_input_kind_with_valid_deterministic_hits(signal, kind, context, inputs):
    runnable(signal)
    item = inputs[kind]
    context = planted(context, signal, item)
    first = list(signal.run(item, context))
    for hit in first:
        check_hit(hit, signal, item)
    assert list(signal.run(item, context)) == first
    if hasattr(signal, "features") or kind in {InputKind.SUBTITLE, InputKind.METADATA}:
        assert first, f"{signal.name} found nothing in an input planted to match"


@pytest.mark.parametrize(("signal", "kind"), CASES)
def test_it_finds_nothing_without_lexicon_terms_labels_or_known_hashes(
    signal, kind, context, inputs, tmp_path
):
    runnable(signal)
    empty_lexicons_dir = tmp_path / "empty-policies"
    empty_lexicons_dir.mkdir()
    (empty_lexicons_dir / "policy_areas.toml").write_bytes(
        (SHIPPED_POLICIES / "policy_areas.toml").read_bytes()
    )
    bare = replace(
        context,
        lexicons=load_lexicon_directory(empty_lexicons_dir),
        settings=replace(context.settings, classifier_labels=()),
        known={},
    )
    assert list(signal.run(inputs[kind], bare)) == []


def test_it_declares_at_least_one_input_per_signal_and_distinct_names():
    assert SIGNALS, "the registry is empty"
    for name, signal in SIGNALS.items():
        assert signal.name == name and signal.accepts <= set(InputKind) and signal.accepts
