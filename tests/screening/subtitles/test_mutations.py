"""Damaged files: seeded random corruption of every sample either parses or raises SubtitleError."""

from __future__ import annotations

import random

import pytest

from shinsa.screening.subtitles import SubtitleError, parse_subtitle_bytes
from tests.screening.subtitles.samples import ASS, JAPANESE_SRT, SSA, TTML_FRAMES, TTML_TICKS, WEBVTT

INSERTS = (
    b"<",
    b">",
    b"{",
    b"}",
    b"-->",
    b"\n",
    b"&",
    b";",
    b"<rt>",
    b"</ruby>",
    b"\\N",
    b"{\\p1}",
    b'begin="',
)
INSERTS += (b"<br/>", b"\x00", b":", b",", b"\xff", b"\xe3\x81")


def mutate(rng: random.Random, data: bytes) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        position = rng.randrange(len(damaged)) if damaged else 0
        operation = rng.random()
        if operation < 0.3:
            damaged[position : position + 1] = bytes([rng.randrange(256)])
        elif operation < 0.5:
            del damaged[position : position + rng.randint(1, 20)]
        elif operation < 0.7:
            damaged[position:position] = rng.choice(INSERTS)
        elif operation < 0.8:
            del damaged[position:]
        else:
            source = rng.randrange(len(damaged)) if damaged else 0
            damaged[position:position] = damaged[source : source + rng.randint(1, 50)]
    return bytes(damaged)


@pytest.mark.parametrize("seed", range(4))
def test_it_never_fails_with_anything_but_a_subtitle_error(seed):
    rng = random.Random(seed)
    documents = (JAPANESE_SRT, WEBVTT, ASS, SSA, TTML_FRAMES, TTML_TICKS)
    outcomes = {"parsed": 0, "refused": 0}
    for _ in range(150):
        data = mutate(rng, rng.choice(documents).encode(rng.choice(("utf-8", "cp932", "utf-16"))))
        try:
            track = parse_subtitle_bytes(data)
        except SubtitleError:
            outcomes["refused"] += 1
            continue
        outcomes["parsed"] += 1
        assert track.cues and all(cue.text and cue.end_ms >= cue.start_ms for cue in track.cues)
        starts = [cue.start_ms for cue in track.cues]
        assert starts == sorted(starts)
    assert outcomes["parsed"] and outcomes["refused"]  # both paths were exercised
