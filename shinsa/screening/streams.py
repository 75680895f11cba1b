"""The text subtitle streams inside a video, screened: the ``subtitle_streams`` stage's work. Pure.

Every text stream's cues go through the ``text_lexicon`` signal like a subtitle file's; each hit also
names the stream (``stream``: its index in the container, ``language``: its tag as a BCP 47 primary
subtag, which routes the review item to a reader of that language). The run keeps, per subtitle
stream, what was found and why a stream was not screened (a bitmap stream, a codec not read, too
much text), with its first cues for the asset page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.lib.languages import primary_language
from shinsa.media.probe import SubtitleTrack as StreamInfo
from shinsa.screening.signals.base import Signal, SignalContext, SignalHit, SubtitleInput
from shinsa.screening.signals.registry import SIGNALS
from shinsa.screening.subtitles.embedded import read_embedded_subtitles

# What the run keeps for display (the page shows at most as many cues of a subtitle file).
STORED_CUES = 2000
STORED_CUE_CHARS = 1000
SIGNAL = "text_lexicon"


@dataclass(frozen=True)
class StreamScreening:
    hits: list[SignalHit]
    streams: list[dict[str, Any]]  # run.media["subtitles"], one entry per subtitle stream
    skipped: tuple[str, ...]  # the signal, when it is disabled


def stream_entry(info: StreamInfo) -> dict[str, Any]:
    """What the probe tells of a subtitle stream, as the run stores it."""
    return {
        "index": info.index,
        "codec": info.codec,
        "language": info.language,
        "title": info.title,
        "kind": info.kind,
    }


def screen_subtitle_streams(
    path: Path, context: SignalContext, *, signals: Mapping[str, Signal] = SIGNALS
) -> StreamScreening:
    """Read every subtitle stream of ``path`` and screen the text ones (``MediaError`` for a bad file)."""
    signal = signals[SIGNAL]
    enabled = context.settings.is_enabled(SIGNAL)
    hits: list[SignalHit] = []
    entries = []
    for stream in read_embedded_subtitles(path):
        entry = stream_entry(stream.stream)
        entry |= {"note": stream.note.value if stream.note else "", "unreadable": stream.unreadable}
        track = stream.track
        if track is not None:
            entry |= {
                "format": track.format,
                "encoding": track.encoding,
                "cue_count": len(track.cues),
                "cues": [
                    [cue.start_ms, cue.end_ms, cue.text[:STORED_CUE_CHARS]]
                    for cue in track.cues[:STORED_CUES]
                ],
            }
            if enabled:
                names = {"stream": stream.stream.index, "language": primary_language(stream.stream.language)}
                hits.extend(
                    dataclasses.replace(hit, detail={**names, **hit.detail})
                    for hit in signal.run(SubtitleInput(track=track), context)
                )
        entries.append(entry)
    return StreamScreening(hits=hits, streams=entries, skipped=() if enabled else (SIGNAL,))
