"""What the asset page shows: the run, its stages, hits by type on a time axis, cues with terms marked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.catalog.models import AssetVersion, RenditionKind
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun
from shinsa.screening.stages import banks_installed

AXIS = 1000  # the SVG timeline's width in user units
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


@dataclass(frozen=True)
class CueRow:
    start_ms: int
    end_ms: int
    pieces: list[tuple[str, bool]]  # (text, is a lexicon term)


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


def timeline(run: ScreeningRun, hits: list[ScreeningHit], cues: list[CueRow]) -> tuple[list[Lane], int]:
    """Lanes of marks on a shared axis: scene cuts, then one lane per signal with timed hits, then cues."""
    ends = [h.end_ms or 0 for h in hits] + [c.end_ms for c in cues] + [c["ms"] for c in run.scene_cuts]
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
    if cues:
        marks = [
            Mark(_x(c.start_ms, duration), max(1.0, _x(c.end_ms, duration) - _x(c.start_ms, duration)), "")
            for c in cues
        ]
        lanes.append(Lane("cues", y, marks))
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
    spans: dict[int, list[tuple[int, int]]] = {}
    for hit in hits:
        index = hit.detail.get("cue_index")
        if isinstance(index, int) and "start" in hit.detail and "end" in hit.detail:
            spans.setdefault(index, []).append((int(hit.detail["start"]), int(hit.detail["end"])))
    rows = []
    for index, cue in enumerate(track.cues[:limit]):
        rows.append(CueRow(cue.start_ms, cue.end_ms, _pieces(cue.text, spans.get(index, []))))
    return rows


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
    lanes, duration = timeline(run, hits, cues) if run else ([], 0)
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
        "lanes": lanes,
        "lanes_height": max(24, 24 * len(lanes)),
        "duration_ms": duration,
        "has_poster": RenditionKind.POSTER.value in renditions and version.quarantined_at is None,
        "has_proxy": RenditionKind.PROXY.value in renditions and version.quarantined_at is None,
        "has_sprite": RenditionKind.SPRITE_VTT.value in renditions and version.quarantined_at is None,
        "graphic": any(h.signal == "classifier" for h in hits),
        "live": bool(run and run.status in LIVE),
    }
