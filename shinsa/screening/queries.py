"""What the asset page shows: the run, its stages, hits by type on a time axis, cues with terms marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import AssetVersion, RenditionKind
from shinsa.lib.languages import primary_language
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun
from shinsa.screening.stages import banks_installed

AXIS = 1000  # the SVG timeline's width in user units
STREAM_KINDS = {"text": _("text"), "bitmap": _("bitmap (images)"), "unknown": _("unknown")}
LIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass(frozen=True)
class Mark:
    x: float
    width: float
    label: str
    severity: str = ""


@dataclass(frozen=True)
class Lane:
    name: str
    y: int
    marks: list[Mark]
    caption: str = ""  # which subtitle stream a cue lane shows


@dataclass(frozen=True)
class CueRow:
    start_ms: int
    end_ms: int
    pieces: list[tuple[str, bool]]  # (text, is a lexicon term)


@dataclass(frozen=True)
class StreamRow:
    """A subtitle stream inside a video, as the run's ``subtitle_streams`` stage left it."""

    index: int
    codec: str
    language: str | None
    title: str | None
    kind: str  # text | bitmap | unknown
    kind_label: str
    encoding: str
    cue_count: int | None  # None: not read
    note: str  # why it was not (wholly) screened, in the reader's language; "" when it was
    cues: list[CueRow]

    @property
    def lang(self) -> str:
        """The language as an HTML ``lang`` value (``jpn`` -> ``ja``)."""
        return primary_language(self.language) or ""

    @property
    def caption(self) -> str:
        return f"#{self.index}" + (f" {self.language}" if self.language else "")


def progress_of(run: ScreeningRun | None) -> dict[str, Any]:
    """The small JSON the page polls."""
    if run is None:
        return {"status": None, "live": False, "stages": [], "hits": 0, "error": ""}
    return {
        "status": run.status,
        "live": run.status in LIVE,
        "error": run.error,
        "hits": run.hits.count(),
        "stages": [
            {
                "name": stage.name,
                "status": stage.status,
                "progress": round(stage.progress, 3),
                "seconds": stage.seconds,
                "note": stage.note,
            }
            for stage in run.stages.all()
        ],
    }


def _x(ms: int, duration_ms: int) -> float:
    return round(min(AXIS, max(0.0, ms * AXIS / duration_ms)), 2)


def timeline(
    run: ScreeningRun,
    hits: list[ScreeningHit],
    cues: list[CueRow],
    streams: Sequence[StreamRow] = (),
) -> tuple[list[Lane], int]:
    """Lanes of marks on a shared axis: scene cuts, then one lane per signal with timed hits, then cues
    (of a subtitle file, or one lane per subtitle stream inside a video)."""
    cue_lanes = [("", cues)] if cues else []
    cue_lanes += [(stream.caption, stream.cues) for stream in streams if stream.cues]
    every_cue = [cue for _caption, rows in cue_lanes for cue in rows]
    ends = [h.end_ms or 0 for h in hits] + [c.end_ms for c in every_cue] + [c["ms"] for c in run.scene_cuts]
    duration = max([run.duration_ms or 0, *ends, 1])
    lanes: list[Lane] = []
    y = 0
    if run.scene_cuts:
        marks = [Mark(_x(cut["ms"], duration), 1.5, f"{cut['ms'] / 1000:.2f} s") for cut in run.scene_cuts]
        lanes.append(Lane("scene_cuts", y, marks))
        y += 24
    by_signal: dict[str, list[ScreeningHit]] = {}
    for hit in hits:
        if hit.start_ms is not None:
            by_signal.setdefault(hit.signal, []).append(hit)
    for signal in sorted(by_signal):
        marks = []
        for hit in by_signal[signal]:
            x = _x(hit.start_ms or 0, duration)
            width = max(2.0, _x(hit.end_ms or 0, duration) - x)
            label = str(hit.detail.get("label") or hit.detail.get("text") or hit.policy_area)
            marks.append(Mark(x, width, label, hit.severity))
        lanes.append(Lane(signal, y, marks))
        y += 24
    for caption, rows in cue_lanes:
        marks = [
            Mark(_x(c.start_ms, duration), max(1.0, _x(c.end_ms, duration) - _x(c.start_ms, duration)), "")
            for c in rows
        ]
        lanes.append(Lane("cues", y, marks, caption))
        y += 24
    return lanes, duration


def subtitle_cues(version: AssetVersion, hits: list[ScreeningHit], *, limit: int = 2000) -> list[CueRow]:
    """The cues of a subtitle asset version with the matched terms marked (display text, markup stripped)."""
    if version.asset.kind != "subtitle" or not version.file.name:
        return []
    from shinsa.screening.subtitles import SubtitleError, read_subtitle_file

    try:
        track = read_subtitle_file(Path(version.file.path))
    except (SubtitleError, OSError):
        return []
    spans = _term_spans(hits, stream=None)
    rows = []
    for index, cue in enumerate(track.cues[:limit]):
        rows.append(CueRow(cue.start_ms, cue.end_ms, _pieces(cue.text, spans.get(index, []))))
    return rows


def subtitle_streams(run: ScreeningRun | None, hits: list[ScreeningHit]) -> list[StreamRow]:
    """The subtitle streams inside a video, with each text stream's stored cues and their terms marked."""
    from shinsa.screening.subtitles.messages import describe_stream

    rows = []
    for entry in (run.media or {}).get("subtitles", []) if run else []:
        spans = _term_spans(hits, stream=entry["index"])
        cues = [
            CueRow(start, end, _pieces(text, spans.get(number, [])))
            for number, (start, end, text) in enumerate(entry.get("cues", []))
        ]
        rows.append(
            StreamRow(
                index=entry["index"],
                codec=entry["codec"],
                language=entry.get("language"),
                title=entry.get("title"),
                kind=entry["kind"],
                kind_label=str(STREAM_KINDS.get(entry["kind"], entry["kind"])),
                encoding=entry.get("encoding", ""),
                cue_count=entry.get("cue_count"),
                note=describe_stream(entry),
                cues=cues,
            )
        )
    return rows


def _term_spans(hits: list[ScreeningHit], *, stream: int | None) -> dict[int, list[tuple[int, int]]]:
    """Cue index -> offsets of the matched terms in its text, for hits of ``stream`` (None: a file)."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for hit in hits:
        index = hit.detail.get("cue_index")
        if hit.detail.get("stream") != stream or not isinstance(index, int):
            continue
        if "start" in hit.detail and "end" in hit.detail:
            spans.setdefault(index, []).append((int(hit.detail["start"]), int(hit.detail["end"])))
    return spans


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def page_for(asset_version_id: int) -> dict[str, Any] | None:
    version = (
        AssetVersion.objects.select_related("asset__title_version__title").filter(pk=asset_version_id).first()
    )
    if version is None:
        return None
    run = ScreeningRun.objects.filter(asset_version=version).prefetch_related("stages").first()
    hits = list(run.hits.select_related("review_item")) if run else []
    cues = subtitle_cues(version, hits)
    streams = subtitle_streams(run, hits)
    lanes, duration = timeline(run, hits, cues, streams) if run else ([], 0)
    renditions = set(version.renditions.values_list("kind", flat=True))
    return {
        "version": version,
        "title": version.asset.title_version.title,
        "run": run,
        "stages": list(run.stages.all()) if run else [],
        "hits": [h for h in hits if h.stage != "banks"],
        "bank_hits": [h for h in hits if h.stage == "banks"],
        "banks_installed": banks_installed(),
        "cues": cues,
        "streams": streams,
        "lanes": lanes,
        "lanes_height": max(24, 24 * len(lanes)),
        "duration_ms": duration,
        "has_poster": RenditionKind.POSTER.value in renditions and version.quarantined_at is None,
        "has_proxy": RenditionKind.PROXY.value in renditions and version.quarantined_at is None,
        "has_sprite": RenditionKind.SPRITE_VTT.value in renditions and version.quarantined_at is None,
        "graphic": any(h.signal == "classifier" for h in hits),
        "live": bool(run and run.status in LIVE),
    }
