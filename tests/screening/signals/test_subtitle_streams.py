"""shinsa.screening.streams: a real video's subtitle streams screened without Django or a database."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip
from shinsa.screening.signals.base import SignalContext
from shinsa.screening.streams import screen_subtitle_streams

pytestmark = pytest.mark.media


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    streams = (
        SubtitleStreamSpec(codec="ass", cues=(Cue(700, 1900, "殺してやる。"),), language="jpn"),
        SubtitleStreamSpec(codec="hdmv_pgs_subtitle", cues=(), raw_payloads=(b"\x16",)),
    )
    spec = ClipSpec(scenes=(Scene(frames=60, hue=0.4),), subtitle_streams=streams)
    return encode_clip(spec, tmp_path_factory.mktemp("streams") / "clip.mkv").path


def test_text_streams_give_hits_naming_the_stream_and_bitmap_streams_a_note(clip, context):
    found = screen_subtitle_streams(clip, context)
    (hit,) = found.hits
    assert (hit.start_ms, hit.end_ms, hit.detail["stream"], hit.detail["language"]) == (700, 1900, 2, "ja")
    assert (hit.detail["term_id"], hit.detail["cue_index"], hit.detail["text"]) == (
        "ja_vio_koroshite_yaru",
        0,
        "殺してやる",
    )
    text, bitmap = found.streams
    assert (text["cue_count"], text["cues"], text["note"]) == (1, [[700, 1900, "殺してやる。"]], "")
    assert (bitmap["kind"], bitmap["note"], "cues" in bitmap) == ("bitmap", "bitmap", False)
    assert found.skipped == ()


def test_a_disabled_lexicon_signal_finds_nothing_but_the_cues_are_still_kept(clip, context):
    enabled = dict(context.settings.enabled, text_lexicon=False)
    off = SignalContext(
        settings=dataclasses.replace(context.settings, enabled=MappingProxyType(enabled)),
        lexicons=context.lexicons,
    )
    found = screen_subtitle_streams(clip, off)
    assert (found.hits, found.skipped, found.streams[0]["cue_count"]) == ([], ("text_lexicon",), 1)
