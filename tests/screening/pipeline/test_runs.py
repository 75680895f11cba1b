"""ScreeningRun end to end in-process: every stage, renditions, hits, review items, re-runs, failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shinsa.audit.models import AuditEvent
from shinsa.catalog.actions import do_quarantine_asset_version
from shinsa.catalog.models import Rendition
from shinsa.media.probe import probe
from shinsa.review.models import WorkItem, WorkItemSignal
from shinsa.screening.models import RunStatus, ScreeningHit, ScreeningRun, StageStatus
from shinsa.screening.stages import STAGES, run_screening, stages_for
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.screening.pipeline.conftest import CLIP, stored_version, truncated_copy

pytestmark = pytest.mark.media


def _stages(run: ScreeningRun) -> dict[str, str]:
    return {stage.name: stage.status for stage in run.stages.all()}


def test_a_video_run_goes_through_every_stage_and_records_renditions(media_root, catalog):  # noqa: F811
    run = run_screening(catalog.video.pk)
    assert run.status == RunStatus.DONE, run.error
    assert _stages(run) == {
        "probe": StageStatus.DONE,
        "subtitle_streams": StageStatus.DONE,  # the clip has none: nothing found
        "decode": StageStatus.DONE,
        "banks": StageStatus.DONE,  # no bank is enabled: no hits
        "review": StageStatus.DONE,
    }
    assert [cut["frame"] for cut in run.scene_cuts] == list(CLIP.cut_frames)
    assert run.media["codec"] == "h264" and run.media["width"] == 640 and run.media["subtitles"] == []
    assert len(run.features["pdq"]) == 6  # one per second of a 5.2 s clip
    assert len(run.features["sha256"]) == 64
    assert all(
        stage.seconds is not None and stage.attempts == 1 for stage in run.stages.exclude(status="skipped")
    )
    kinds = set(Rendition.objects.filter(asset_version=catalog.video).values_list("kind", flat=True))
    assert kinds == {"proxy", "poster", "sprite", "sprite.vtt"}
    proxy = Rendition.objects.get(asset_version=catalog.video, kind="proxy")
    info = probe(proxy.file.path)
    assert info.video_tracks[0].codec == "h264" and info.video_tracks[0].height <= 540
    assert info.bit_rate <= 1_500_000


def test_subtitle_and_metadata_hits_become_one_item_per_area_with_signals(media_root, catalog):  # noqa: F811
    subtitle = run_screening(catalog.subtitle.pk)
    metadata = run_screening(catalog.metadata.pk)
    assert subtitle.status == metadata.status == RunStatus.DONE
    assert _stages(subtitle) == {"text": StageStatus.DONE, "review": StageStatus.DONE}
    hits = list(ScreeningHit.objects.filter(run=subtitle).order_by("start_ms"))
    assert [(h.detail["term_id"], h.start_ms, h.end_ms) for h in hits] == [
        ("en_vio_kill_you", 3000, 4200),
        ("en_prof_fuck", 5000, 6000),
    ]
    meta_hits = list(ScreeningHit.objects.filter(run=metadata))
    assert [(h.detail["term_id"], h.start_ms) for h in meta_hits] == [("en_drug_cocaine", None)]
    assert all(hit.review_item_id for hit in [*hits, *meta_hits])
    verbs = list(
        AuditEvent.objects.filter(object_id=str(catalog.subtitle.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert [v for v in verbs if v.startswith("screening.")] == [
        "screening.run.queued",
        "screening.run.started",
        "screening.stage.done",
        "screening.stage.done",
        "screening.run.done",
    ]
    # profanity and the drug term share an area: one item for it, two signals accumulated
    items = WorkItem.objects.filter(title_version=catalog.cut)
    by_area = {item.policy_area: item for item in items}
    assert set(by_area) == {"violence", "maturity_rating"}
    assert by_area["maturity_rating"].signal_count == 2
    assert WorkItemSignal.objects.filter(item__title_version=catalog.cut).count() == 3


def test_running_again_never_duplicates_hits_or_signals(media_root, catalog):  # noqa: F811
    run_screening(catalog.subtitle.pk)
    call_command("screening", "run", str(catalog.subtitle.pk))
    run = ScreeningRun.objects.get(asset_version=catalog.subtitle)
    assert run.attempts == 2 and run.status == RunStatus.DONE
    assert ScreeningHit.objects.filter(run=run).count() == 2
    assert sorted(WorkItemSignal.objects.values_list("count", flat=True)) == [1, 1]


def test_a_stage_interrupted_half_way_is_redone_and_items_are_made_once(media_root, catalog):  # noqa: F811
    calls = []

    def crash_after_first_item(name: str) -> None:
        calls.append(name)

    # The review stage itemises hits one transaction each: fail after the first, then resume.
    from shinsa.screening import actions

    original = actions.do_itemise_hit
    done = []

    def itemise_once_then_fail(**kwargs):
        if done:
            raise RuntimeError("worker lost")
        done.append(original(**kwargs))
        return done[-1]

    actions.do_itemise_hit = itemise_once_then_fail
    try:
        failed = run_screening(catalog.subtitle.pk, after_stage=crash_after_first_item)
    finally:
        actions.do_itemise_hit = original
    assert failed.status == RunStatus.FAILED and failed.error == "review: RuntimeError: worker lost"
    assert calls == ["text"]
    resumed = run_screening(catalog.subtitle.pk)
    assert resumed.status == RunStatus.DONE
    stages = {s.name: s for s in resumed.stages.all()}
    assert stages["text"].attempts == 1 and stages["review"].attempts == 2
    assert ScreeningHit.objects.filter(run=resumed, review_item__isnull=True).count() == 0
    assert sorted(WorkItemSignal.objects.values_list("count", flat=True)) == [1, 1]


def test_a_truncated_video_records_one_line_and_keeps_the_rest(media_root, catalog, tmp_path):  # noqa: F811
    broken = truncated_copy(Path(catalog.video.file.path), tmp_path / "cut.mp4")
    version = stored_version(catalog.cut, "video", broken, name="broken", media_type="video/mp4")
    run = run_screening(version.pk)
    assert run.status == RunStatus.FAILED
    assert "\n" not in run.error and run.error.startswith("probe: ")
    assert "truncated" in run.error or "stops" in run.error or "cut" in run.error
    assert not Rendition.objects.filter(asset_version=version).exists()
    # the good video of the same title is untouched and still screens
    assert run_screening(catalog.video.pk).status == RunStatus.DONE


def test_not_media_at_all_fails_in_its_first_stage(media_root, catalog, tmp_path):  # noqa: F811
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"this is not a video at all" * 50)
    version = stored_version(catalog.cut, "video", junk, name="junk", media_type="video/mp4")
    run = run_screening(version.pk)
    assert run.status == RunStatus.FAILED and run.error.startswith("probe: ")
    assert _stages(run)["decode"] == StageStatus.PENDING


def test_artwork_gets_a_poster_unless_quarantined(media_root, catalog):  # noqa: F811
    run = run_screening(catalog.artwork.pk)
    assert run.status == RunStatus.DONE and len(run.features["pdq"][0][0]) == 64
    assert list(Rendition.objects.filter(asset_version=catalog.artwork).values_list("kind", flat=True)) == [
        "poster"
    ]
    do_quarantine_asset_version(actor="system", asset_version=catalog.video, reason="test")
    catalog.video.refresh_from_db()
    run = run_screening(catalog.video.pk)
    assert run.status == RunStatus.DONE
    assert not Rendition.objects.filter(asset_version=catalog.video).exists()


def test_the_command_needs_ids_or_all_and_names_missing_ones(db):
    with pytest.raises(CommandError):
        call_command("screening", "run")
    with pytest.raises(CommandError, match="999999"):
        call_command("screening", "run", "999999")


def test_the_stage_registry_is_ordered_and_every_kind_ends_in_review():
    names = [stage.name for stage in STAGES]
    assert names == ["probe", "subtitle_streams", "decode", "text", "banks", "review"]
    for kind in ("video", "artwork", "subtitle", "metadata"):
        assert stages_for(kind)[-1].name == "review"
