"""What the one media player needs for an asset version: media URLs, poster, sprite index, duration,
real frame times, scene cuts, hits for the timeline and the reviewer's wellness treatment.

``player_context(user, asset_version, ...)`` returns the dict the ``review/partials/player.html`` include
renders (its ``config`` is the JSON that ``shinsa/static/shinsa/player.js`` reads). Frame times come
from the played file's container index (the probe's view of the stream, no decoding); scene cuts from
one decoding pass with ``shinsa.media.frames.VideoScan`` for files up to ``SCENE_SCAN_MAX_MS``. Both are
cached per file content (sha256) in the process, so a page costs them once per file.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.urls import reverse

from shinsa.accounts.queries import treatment_for
from shinsa.catalog.models import AssetVersion, Rendition, RenditionKind

# Scene detection decodes the whole file: done at page time only for files up to this long.
SCENE_SCAN_MAX_MS = 10 * 60_000
# Frame times are sent one by one only when the stream is not constant-rate, up to this many.
MAX_LISTED_FRAMES = 20_000
_CACHE_SIZE = 256


@dataclass(frozen=True, kw_only=True)
class Hit:
    """A mark on the timeline: a signal hit, a subtitle match or prior evidence."""

    start_ms: int
    end_ms: int | None = None
    label: str = ""
    kind: str = "hit"  # "hit", "subtitle", "evidence"

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start_ms, "end": self.end_ms, "label": self.label, "kind": self.kind}


@dataclass(frozen=True, kw_only=True)
class Timeline:
    """Facts about the played file's video stream."""

    duration_ms: int | None = None
    start_ms: int = 0
    frame_rate: Fraction = Fraction(0)
    frame_count: int = 0
    frame_times_ms: tuple[int, ...] = ()  # only when the stream is not constant-rate
    scene_cuts_ms: tuple[int, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        rate = [self.frame_rate.numerator, self.frame_rate.denominator] if self.frame_rate else None
        return {
            "duration": self.duration_ms,
            "start": self.start_ms,
            "rate": rate,
            "frames": self.frame_count,
            "times": list(self.frame_times_ms),
            "cuts": list(self.scene_cuts_ms),
        }


_cache: OrderedDict[str, Timeline] = OrderedDict()
_lock = threading.Lock()


def timeline_of_file(path: Path, *, key: str) -> Timeline:
    """Frame timing and scene cuts of the video at ``path`` (cached under ``key``, the content hash)."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = _read_timeline(path)
    with _lock:
        _cache[key] = found
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def _read_timeline(path: Path) -> Timeline:
    from shinsa.media.container import open_container
    from shinsa.media.errors import MediaError
    from shinsa.media.probe import frame_rate_of, main_video_streams

    try:
        with open_container(path) as container:
            streams = main_video_streams(container)
            if not streams:
                return Timeline(duration_ms=_ms(container.duration, Fraction(1, 1_000_000)))
            stream = streams[0]
            base = Fraction(stream.time_base)
            # The index holds decode timestamps: sorted and moved to start at 0, they are the frame
            # times of a constant-rate stream exactly, and of a variable-rate one up to reordering.
            stamps = sorted(entry.timestamp for entry in (stream.index_entries or ()))
            times = [int((stamp - stamps[0]) * base * 1000) for stamp in stamps]
            duration = _ms(stream.duration, base) or _ms(container.duration, Fraction(1, 1_000_000))
            rate = frame_rate_of(stream)
    except (MediaError, OSError):
        return Timeline()
    listed = () if _constant_rate(times, rate) or len(times) > MAX_LISTED_FRAMES else tuple(times)
    cuts: tuple[int, ...] = ()
    if duration is not None and duration <= SCENE_SCAN_MAX_MS:
        cuts = _scene_cuts(path)
    return Timeline(
        duration_ms=duration,
        start_ms=0,
        frame_rate=rate,
        frame_count=len(times),
        frame_times_ms=listed,
        scene_cuts_ms=cuts,
    )


def _ms(value: int | None, base: Fraction) -> int | None:
    return int(value * base * 1000) if value else None


def _constant_rate(times: Sequence[int], rate: Fraction) -> bool:
    """Whether frame k starts at times[0] + k / rate (to the millisecond) for every listed frame."""
    if not rate or not times:
        return bool(rate)
    first = times[0]
    return all(abs(t - (first + int(k * 1000 / rate))) <= 1 for k, t in enumerate(times))


def _scene_cuts(path: Path) -> tuple[int, ...]:
    from shinsa.media.errors import MediaError
    from shinsa.media.frames import SamplingPlan, VideoScan

    scan = VideoScan(path, SamplingPlan(sample_every_ms=None, at_scene_cuts=True, reduce_for_pdq=True))
    try:
        for _frame in scan:
            pass
    except MediaError:
        return ()
    return tuple(cut.pts_ms for cut in scan.scene_cuts)


def _file_path(field_file: Any) -> Path | None:
    try:
        return Path(field_file.path)
    except (NotImplementedError, ValueError):
        return None


def played_file(version: AssetVersion, renditions: Iterable[Rendition]) -> tuple[Path | None, str]:
    """The file ``/media/<id>/play`` serves (the proxy when there is one) and its content hash."""
    for rendition in renditions:
        if rendition.kind == RenditionKind.PROXY:
            return _file_path(rendition.file), rendition.sha256
    return _file_path(version.file), version.sha256


def player_context(
    user: Any,
    version: AssetVersion,
    *,
    category: str = "",
    hits: Iterable[Hit] = (),
    exposure_url: str | None = None,
    form: str = "",
    dom_id: str = "player",
) -> dict[str, Any]:
    """Everything the player include renders for ``version`` (an asset version of a video).

    ``category``: the wellness category of graphic media ("" for none: shown clear). ``exposure_url``:
    where the player POSTs viewing time (only for graphic media). ``form``: a CSS selector of the form
    whose ``[data-mark=in|out|frame]`` fields mark in/out fill.
    """
    renditions = list(version.renditions.all())
    kinds = {rendition.kind for rendition in renditions}
    path, key = played_file(version, renditions)
    timeline = timeline_of_file(path, key=key) if path is not None and path.exists() else Timeline()
    if timeline.duration_ms is None:
        facts = getattr(getattr(version, "fingerprint", None), "facts", None)
        if isinstance(facts, dict) and isinstance(facts.get("duration_ms"), int):
            timeline = Timeline(duration_ms=facts["duration_ms"])
    treatment = treatment_for(user, category) if category else None
    treated = treatment is not None and treatment.reveal_steps > 0

    def url(kind: str) -> str:
        return reverse("web:media", args=[version.pk, kind])

    config = {
        "id": dom_id,
        "asset": version.asset_id,
        "src": url("play"),
        "poster": url("poster") if RenditionKind.POSTER in kinds else None,
        "sprite": url("sprite") if RenditionKind.SPRITE in kinds else None,
        "spriteVtt": url("sprite.vtt") if RenditionKind.SPRITE_VTT in kinds else None,
        "timeline": timeline.as_json(),
        "hits": [hit.as_json() for hit in sorted(hits, key=lambda h: (h.start_ms, h.end_ms or 0))],
        "wellness": {
            "category": category,
            "blur": bool(treatment and treatment.blur),
            "greyscale": bool(treatment and treatment.greyscale),
            "mute": bool(treatment and treatment.mute),
            "steps": treatment.reveal_steps if treatment else 0,
        },
        "exposureUrl": exposure_url if category else None,
        "form": form,
    }
    return {
        "id": dom_id,
        "version": version,
        "treated": treated,
        "config_json": json.dumps(config, ensure_ascii=False, separators=(",", ":")),
        "config": config,
        "timeline": timeline,
    }


def graphic_category_of_version(title_version_id: int) -> str:
    """The wellness category of the most graphic work item on the version ("" when none is graphic),
    so pages outside the review console (ratings, labeling) treat the same media the same way."""
    from shinsa.review.models import WorkItem

    found = (
        WorkItem.objects.filter(title_version_id=title_version_id, graphic_level__gt=0)
        .order_by("-graphic_level", "-pk")
        .values_list("graphic_category", flat=True)
        .first()
    )
    return found or ""
