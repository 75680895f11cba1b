"""Fixtures for signals: settings with every signal on, the shipped lexicons, one input of each kind."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shinsa.policy.schemas import Severity
from shinsa.screening.signals import (
    FileInput,
    ImageInput,
    InputKind,
    MetadataInput,
    SignalContext,
    SignalInput,
    SignalsSettings,
    SubtitleInput,
    VideoFrameInput,
)
from shinsa.screening.signals.settings import LabelRule
from shinsa.screening.subtitles import parse_subtitle_bytes
from shinsa.screening.text import Lexicons, load_lexicon_directory

SHIPPED_POLICIES = Path(__file__).resolve().parents[3] / "policies"

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nI will k1ll you tonight.\n\n"
    "2\n00:00:05,000 --> 00:00:06,000\nおはようございます。\n"
)


def textured_rgb(seed: int, height: int = 120, width: int = 160) -> np.ndarray:
    """A picture with enough detail for PDQ quality well over 50."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    rng = np.random.default_rng(seed)
    blocks = rng.random((height // 8 + 1, width // 8 + 1, 3))[ys.astype(int) // 8, xs.astype(int) // 8]
    gradient = ((xs / width + ys / height) / 2)[..., None]
    return ((0.6 * blocks + 0.4 * gradient) * 255).astype(np.uint8)


@pytest.fixture(scope="session")
def shipped_lexicons() -> Lexicons:
    return load_lexicon_directory(SHIPPED_POLICIES)


@pytest.fixture
def settings_all_on() -> SignalsSettings:
    labels = tuple(
        LabelRule(label=label, threshold=0.2, policy_area="sexual_content", severity=Severity.MEDIUM)
        for label in ("FACE_FEMALE", "FACE_MALE", "BELLY_EXPOSED", "FEMALE_BREAST_EXPOSED")
    )
    return SignalsSettings.all_enabled(classifier_labels=labels)


@pytest.fixture
def context(settings_all_on, shipped_lexicons) -> SignalContext:
    return SignalContext(settings=settings_all_on, lexicons=shipped_lexicons)


@pytest.fixture
def inputs(tmp_path) -> dict[InputKind, SignalInput]:
    """One input of every kind; the file's bytes are the SRT above."""
    path = tmp_path / "cues.srt"
    path.write_text(SRT, encoding="utf-8")
    return {
        InputKind.FILE: FileInput(path=path),
        InputKind.IMAGE: ImageInput(rgb=textured_rgb(1)),
        InputKind.VIDEO: VideoFrameInput(index=24, start_ms=1001, end_ms=2002, rgb=textured_rgb(2)),
        InputKind.SUBTITLE: SubtitleInput(track=parse_subtitle_bytes(SRT.encode())),
        InputKind.METADATA: MetadataInput(
            fields={"title": "Kill You Tonight", "synopsis": "A quiet story.", "tags": ["drama", "k1ll you"]}
        ),
    }
