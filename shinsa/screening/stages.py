"""The screening pipeline: an explicit registry of stages, run in order for one asset version.

    probe  →  subtitle_streams  →  decode  →  text  →  banks  →  review

- ``probe`` (video): container, streams, duration, frame rate; stored on the run.
- ``subtitle_streams`` (video): the text subtitle streams inside the video (MP4 mov_text, Matroska
  SRT/ASS/WebVTT), demuxed without decoding the video and screened with ``text_lexicon``
  (``shinsa.screening.streams``); bitmap streams are listed on the run as not text-screened.
- ``decode`` (video, artwork): ONE decoding pass feeding scene cuts, 1 fps PDQ (vPDQ-style features), the
  frame signals (the classifier when its extra is installed) and the review proxy, poster and sprite.
  Quarantine comes before any rendition: the file's MD5/SHA-256 are matched against the banks first (a
  bank of illegal content quarantines at once and the pass is skipped); during the pass each 1 fps PDQ
  is tested against the banks of illegal content, and the first match stops the proxies and deletes
  what was written of them; the renditions, made in the stage's private work directory, are recorded
  only when the full bank match of the pass's hashes leaves the media unquarantined.
- ``text`` (subtitle, metadata): lexicon terms in subtitle cues (with their time range) and metadata text.
- ``banks``: the slot for bank matching. It runs ``settings.SCREENING_BANK_MATCHER`` (a dotted path,
  default ``shinsa.screening.bank_slot.match_banks``) with the run's hashes when the banks app
  (``settings.SCREENING_BANKS_APP``, default ``shinsa.banks``) is installed, and is skipped otherwise.
- ``review``: each hit becomes review work through ``review.actions.do_upsert_item`` (one item per title
  version + policy area, signals accumulated), one hit per transaction, each exactly once.

A stage that is done is not redone when a killed run is retried; a stage interrupted half-way left
nothing (its results are written in one transaction with its status). A failing stage records a one-line
error on the run and stops it; what earlier stages stored stays.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

from shinsa.catalog.models import AssetVersion
from shinsa.media.errors import MediaError
from shinsa.media.proxy import Output
from shinsa.screening import actions
from shinsa.screening.hashing.digests import FileDigests
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun, ScreeningStage, StageStatus
from shinsa.screening.signals.base import (
    HashFeature,
    ImageInput,
    MetadataInput,
    SignalContext,
    SignalHit,
    SubtitleInput,
)
from shinsa.screening.signals.registry import SIGNALS

ACTOR = "screening"
DEFAULT_BANKS_APP = "shinsa.banks"
DEFAULT_BANK_MATCHER = "shinsa.screening.bank_slot.match_banks"
# Called once per pass: returns a test of one frame's PDQ against the banks of illegal content, or None.
DEFAULT_ILLEGAL_FRAME_CHECK = "shinsa.screening.bank_slot.illegal_frame_check"
# (stage name, fraction done): the CLI's progress bar listens here
ProgressListener = Callable[[str, float], None]


@dataclass(frozen=True)
class HashResult:
    """What bank matching gets: the file digests and the PDQ hashes (one for an image; per frame at 1 fps
    for a video, with its time). The matcher returns ``SignalHit``s (signal ``pdq``, ``md5``, ...) whose
    ``detail`` names the matched bank entry (``entry``, ``bank``)."""

    asset_version_id: int
    kind: str
    md5: str | None
    sha256: str | None
    pdq: list[HashFeature]


@dataclass
class StageInput:
    run: ScreeningRun
    asset_version: AssetVersion
    signal_context: SignalContext
    workdir: Path
    progress: Callable[[float], None]


@dataclass
class StageOutput:
    hits: list[SignalHit] = field(default_factory=list)
    run_fields: dict[str, Any] = field(default_factory=dict)
    renditions: list[tuple[str, Output]] = field(default_factory=list)


@dataclass(frozen=True)
class Stage:
    name: str
    kinds: frozenset[str]  # asset kinds it applies to
    work: Callable[[StageInput], StageOutput]
    unavailable: Callable[[], str | None] = lambda: None  # why it cannot run in this installation


# --- the stages ----------------------------------------------------------------------------------


def _path(asset_version: AssetVersion) -> Path:
    return Path(asset_version.file.path)


def _probe(given: StageInput) -> StageOutput:
    from shinsa.media.probe import probe
    from shinsa.screening.streams import stream_entry

    info = probe(_path(given.asset_version))
    video = info.video_tracks[0] if info.video_tracks else None
    media: dict[str, Any] = {"container": info.container, "bit_rate": info.bit_rate}
    if video is not None:
        media |= {
            "codec": video.codec,
            "width": video.width,
            "height": video.height,
            "frame_rate": str(video.frame_rate),
            "rotation": video.rotation,
        }
    media["audio"] = [
        {"codec": a.codec, "language": a.language, "channels": a.channels} for a in info.audio_tracks
    ]
    media["subtitles"] = [stream_entry(track) for track in info.subtitle_tracks]
    return StageOutput(run_fields={"media": media, "duration_ms": info.duration_ms})


def _subtitle_streams(given: StageInput) -> StageOutput:
    from shinsa.screening.streams import screen_subtitle_streams

    found = screen_subtitle_streams(_path(given.asset_version), given.signal_context)
    media = {**(given.run.media or {}), "subtitles": found.streams}
    return StageOutput(hits=found.hits, run_fields={"media": media, "skipped": list(found.skipped)})


def _hashes(version: AssetVersion, digests: FileDigests, pdq: list[HashFeature]) -> HashResult:
    return HashResult(version.pk, version.asset.kind, digests.md5, digests.sha256, pdq)


def _quarantined_by_banks(version: AssetVersion, hashes: HashResult) -> bool:
    """Match ``hashes`` now, before any rendition is kept: hits of a bank of illegal content are kept as
    evidence and quarantine the version (the banks stage records every hit later). Whether it is
    quarantined."""
    matcher = bank_matcher()
    if version.quarantined_at is None and matcher is not None and apps.is_installed("shinsa.banks"):
        illegal = [hit for hit in matcher(hashes) if hit.detail.get("action") == "quarantine"]
        if illegal:
            from shinsa.banks.actions import do_record_bank_hits

            do_record_bank_hits(actor=ACTOR, asset_version=version, hits=illegal)
            version.refresh_from_db(fields=["quarantined_at", "quarantine_reason"])
    return version.quarantined_at is not None


def _illegal_frame_check() -> Callable[[HashFeature], bool] | None:
    if bank_matcher() is None:
        return None
    return import_string(getattr(settings, "SCREENING_ILLEGAL_FRAME_CHECK", DEFAULT_ILLEGAL_FRAME_CHECK))()


def _decode(given: StageInput) -> StageOutput:
    from shinsa.screening.hashing.digests import file_digests

    version = given.asset_version
    path = _path(version)
    digests = file_digests(path)
    already = version.quarantined_at is not None
    if _quarantined_by_banks(version, _hashes(version, digests, [])) and not already:
        # An exact match of a bank of illegal content: nothing is decoded, nothing is made.
        return StageOutput(run_fields={"features": {"pdq": [], "md5": digests.md5, "sha256": digests.sha256}})
    if version.asset.kind == "artwork":
        return _decode_image(given, path, digests)
    from shinsa.screening.passes import video_pass

    def progress(done_ms: int, total_ms: int) -> None:
        if total_ms:
            given.progress(done_ms / total_ms)

    quarantined = version.quarantined_at is not None
    result = video_pass(
        path,
        given.signal_context,
        proxies_to=None if quarantined else given.workdir,
        progress=progress,
        illegal_frame=None if quarantined else _illegal_frame_check(),
    )
    outputs = result.outputs
    if _quarantined_by_banks(version, _hashes(version, digests, result.features)) and outputs is not None:
        outputs.delete()
        outputs = None
    features = {
        "pdq": [[f.value, f.quality, f.start_ms] for f in result.features],
        "md5": digests.md5,
        "sha256": digests.sha256,
    }
    return StageOutput(
        hits=result.hits,
        run_fields={
            "scene_cuts": result.scene_cuts,
            "features": features,
            "duration_ms": result.duration_ms,
            "skipped": list(result.skipped),
        },
        renditions=outputs.items() if outputs else [],
    )


def _decode_image(given: StageInput, path: Path, digests: FileDigests) -> StageOutput:
    from shinsa.media.images import load_still_image
    from shinsa.media.proxy import image_poster
    from shinsa.screening.hashing.pdq import pdq_of_rgb

    rgb = load_still_image(path).rgb
    context = given.signal_context
    hits: list[SignalHit] = []
    skipped = []
    image = ImageInput(rgb=rgb)
    for name, signal in SIGNALS.items():
        if not context.settings.is_enabled(name) or image.kind not in signal.accepts:
            continue
        if signal.unavailable() is not None:
            skipped.append(name)
            continue
        hits.extend(signal.run(image, context))
    pdq = pdq_of_rgb(rgb)
    feature = HashFeature(signal="pdq", value=pdq.hex, quality=pdq.quality, start_ms=None)
    quarantined = _quarantined_by_banks(given.asset_version, _hashes(given.asset_version, digests, [feature]))
    renditions = [] if quarantined else [("poster", image_poster(rgb, given.workdir))]
    return StageOutput(
        hits=hits,
        run_fields={
            "features": {"pdq": [[pdq.hex, pdq.quality, None]], "md5": digests.md5, "sha256": digests.sha256},
            "skipped": skipped,
        },
        renditions=renditions,
    )


def _text(given: StageInput) -> StageOutput:
    from shinsa.screening.subtitles import read_subtitle_file

    context = given.signal_context
    signal = SIGNALS["text_lexicon"]
    if not context.settings.is_enabled(signal.name):
        return StageOutput(run_fields={"skipped": [signal.name]})
    version = given.asset_version
    if version.asset.kind == "subtitle":
        track = read_subtitle_file(_path(version))
        item: SubtitleInput | MetadataInput = SubtitleInput(track=track)
        fields: dict[str, Any] = {"duration_ms": max((cue.end_ms for cue in track.cues), default=0)}
    else:
        item = MetadataInput(fields=version.metadata or {})
        fields = {}
    return StageOutput(hits=list(signal.run(item, context)), run_fields=fields)


def banks_installed() -> bool:
    return apps.is_installed(getattr(settings, "SCREENING_BANKS_APP", DEFAULT_BANKS_APP))


def bank_matcher() -> Callable[[HashResult], Iterable[SignalHit]] | None:
    """The bank matching function when the banks app is installed; None otherwise."""
    if not banks_installed():
        return None
    return import_string(getattr(settings, "SCREENING_BANK_MATCHER", DEFAULT_BANK_MATCHER))


def _banks_unavailable() -> str | None:
    return None if banks_installed() else "the banks app is not installed"


def _banks(given: StageInput) -> StageOutput:
    matcher = bank_matcher()
    assert matcher is not None
    features = given.run.features or {}
    pdq = [
        HashFeature(signal="pdq", value=value, quality=quality, start_ms=ms)
        for value, quality, ms in features.get("pdq", [])
    ]
    hashes = HashResult(
        asset_version_id=given.asset_version.pk,
        kind=given.asset_version.asset.kind,
        md5=features.get("md5"),
        sha256=features.get("sha256"),
        pdq=pdq,
    )
    hits = list(matcher(hashes))
    if hits and apps.is_installed("shinsa.banks"):
        # Evidence for the mandatory report, and quarantine on a bank of illegal content (idempotent).
        from shinsa.banks.actions import do_record_bank_hits

        do_record_bank_hits(actor=ACTOR, asset_version=given.asset_version, hits=hits)
    return StageOutput(hits=hits)


def _review(given: StageInput) -> StageOutput:
    # Hits of a bank of illegal content quarantine the media (banks stage); they are the legal role's,
    # not review work.
    pending = [
        hit_id
        for hit_id, detail in ScreeningHit.objects.filter(run=given.run, review_item__isnull=True)
        .order_by("pk")
        .values_list("pk", "detail")
        if (detail or {}).get("action") != "quarantine"
    ]
    for done, hit_id in enumerate(pending, 1):
        actions.do_itemise_hit(actor=ACTOR, hit_id=hit_id)
        given.progress(done / len(pending))
    return StageOutput()


# The registry: order is execution order.
STAGES: tuple[Stage, ...] = (
    Stage("probe", frozenset({"video"}), _probe),
    Stage("subtitle_streams", frozenset({"video"}), _subtitle_streams),
    Stage("decode", frozenset({"video", "artwork"}), _decode),
    Stage("text", frozenset({"subtitle", "metadata"}), _text),
    Stage("banks", frozenset({"video", "artwork"}), _banks, _banks_unavailable),
    Stage("review", frozenset({"video", "artwork", "subtitle", "metadata"}), _review),
)


def stages_for(kind: str) -> list[Stage]:
    return [stage for stage in STAGES if kind in stage.kinds]


# --- running -------------------------------------------------------------------------------------


class _Throttled:
    """Progress as small UPDATEs, at most a few a second."""

    def __init__(self, stage: ScreeningStage, listener: ProgressListener | None) -> None:
        self.stage, self.listener, self.last = stage, listener, 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if self.listener is not None:
            self.listener(self.stage.name, fraction)
        if now - self.last >= 0.3:
            self.last = now
            actions.do_report_progress(stage=self.stage, fraction=fraction)


def run_screening(
    asset_version_id: int,
    *,
    listener: ProgressListener | None = None,
    after_stage: Callable[[str], None] | None = None,
    signal_context: SignalContext | None = None,
) -> ScreeningRun:
    """Run (or resume) the screening of one asset version, stage by stage. Returns the run.

    ``after_stage(name)`` is called when a stage has committed (hooks for callers and tests).
    """
    from shinsa.screening.context import policy_signal_context
    from shinsa.screening.subtitles import SubtitleError
    from shinsa.screening.subtitles.messages import describe

    version = AssetVersion.objects.select_related("asset__title_version").get(pk=asset_version_id)
    run = actions.do_queue_run(actor=ACTOR, asset_version=version)
    if run.status == RunStatus.DONE:
        return run
    plan = stages_for(version.asset.kind)
    run = actions.do_begin_run(
        actor=ACTOR, run=run, stages=[(stage.name, stage.unavailable() or "") for stage in plan]
    )
    context = signal_context or policy_signal_context()
    rows = {row.name: row for row in run.stages.all()}
    for stage in plan:
        row = rows[stage.name]
        if row.status in (StageStatus.DONE, StageStatus.SKIPPED):
            continue
        actions.do_start_stage(stage=row)
        started = time.monotonic()
        try:
            with tempfile.TemporaryDirectory(prefix="shinsa-screening-") as folder:
                run.refresh_from_db()
                output = stage.work(
                    StageInput(run, version, context, Path(folder), _Throttled(row, listener))
                )
                actions.do_finish_stage(
                    actor=ACTOR,
                    stage=row,
                    seconds=time.monotonic() - started,
                    hits=output.hits,
                    run_fields=output.run_fields,
                    renditions=output.renditions,
                )
        except MediaError as error:
            actions.do_fail_run(
                actor=ACTOR, stage=row, error=_media_line(error), seconds=time.monotonic() - started
            )
            return ScreeningRun.objects.get(pk=run.pk)
        except SubtitleError as error:
            actions.do_fail_run(
                actor=ACTOR, stage=row, error=describe(error), seconds=time.monotonic() - started
            )
            return ScreeningRun.objects.get(pk=run.pk)
        except Exception as error:  # noqa: BLE001 - any other failure is recorded, one line, and the run stops
            actions.do_fail_run(
                actor=ACTOR,
                stage=row,
                error=f"{type(error).__name__}: {error}",
                seconds=time.monotonic() - started,
            )
            return ScreeningRun.objects.get(pk=run.pk)
        if listener is not None:
            listener(stage.name, 1.0)
        if after_stage is not None:
            after_stage(stage.name)
    return actions.do_finish_run(actor=ACTOR, run=run)


def _media_line(error: MediaError) -> str:
    from shinsa.media.messages import describe_media_error

    return describe_media_error(error, shown_as=error.path.name)
