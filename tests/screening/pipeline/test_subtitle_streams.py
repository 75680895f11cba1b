"""Subtitle streams inside a video, screened end to end: a real MP4/MKV our encoder writes with Japanese
and English text streams (and a bitmap one), through a screening run to hits, review items and the page."""

from __future__ import annotations

import pytest
from django.test import Client

from shinsa.accounts.roles import Role
from shinsa.media.synthetic import ClipSpec, Cue, Scene, SubtitleStreamSpec, encode_clip
from shinsa.review.models import WorkItem, WorkItemSignal
from shinsa.screening.actions import do_queue_run
from shinsa.screening.models import RunStatus, ScreeningHit, StageStatus
from shinsa.screening.stages import run_screening
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.screening.pipeline.conftest import stored_version
from tests.web.page_checks import check_page

pytestmark = pytest.mark.media

JA = (
    Cue(400, 1500, "おはよう。"),
    Cue(1800, 2950, "お前を殺してやる！"),
    Cue(3100, 3900, "また明日。"),
)
EN = (Cue(250, 1000, "Good morning."), Cue(2200, 3300, "I will kill you, I swear."))
SCENES = (Scene(frames=48, hue=0.1, texture=1), Scene(frames=48, hue=0.6, texture=2))


@pytest.fixture(scope="module")
def mp4_with_streams(tmp_path_factory):
    streams = (
        SubtitleStreamSpec(codec="mov_text", cues=JA, language="jpn", title="日本語"),
        SubtitleStreamSpec(codec="mov_text", cues=EN, language="eng"),
    )
    return encode_clip(
        ClipSpec(scenes=SCENES, subtitle_streams=streams), tmp_path_factory.mktemp("s") / "s.mp4"
    ).path


@pytest.fixture(scope="module")
def mkv_with_streams(tmp_path_factory):
    streams = (
        SubtitleStreamSpec(
            codec="subrip", cues=JA, language="jpn", encoding="cp932", raw_payloads=(b"\x00\xff\x00",)
        ),
        SubtitleStreamSpec(codec="hdmv_pgs_subtitle", cues=(), language="eng", raw_payloads=(b"\x16\x00",)),
    )
    return encode_clip(
        ClipSpec(scenes=SCENES, subtitle_streams=streams), tmp_path_factory.mktemp("k") / "k.mkv"
    ).path


def _video(catalog, path, name):
    return stored_version(catalog.cut, "video", path, media_type="video/mp4", name=name)


def _text_hits(version):
    return list(
        ScreeningHit.objects.filter(run__asset_version=version, stage="subtitle_streams").order_by(
            "start_ms", "key"
        )
    )


def test_embedded_text_streams_are_screened_with_the_cue_times_and_become_review_work(
    media_root,  # noqa: F811
    catalog,
    mp4_with_streams,
):
    version = _video(catalog, mp4_with_streams, "embedded")
    run = run_screening(version.pk)
    assert run.status == RunStatus.DONE, run.error
    stages = {stage.name: stage.status for stage in run.stages.all()}
    assert stages["probe"] == stages["subtitle_streams"] == StageStatus.DONE
    hits = _text_hits(version)
    assert [
        (h.signal, h.detail["term_id"], h.start_ms, h.end_ms, h.detail["stream"], h.detail["language"])
        for h in hits
    ] == [
        ("text_lexicon", "ja_vio_koroshite_yaru", 1800, 2950, 2, "ja"),
        ("text_lexicon", "en_vio_kill_you", 2200, 3300, 3, "en"),
    ]
    assert all(h.policy_area == "violence" and h.review_item_id for h in hits)
    # one item per title version + area; its signals name both streams' hits
    item = WorkItem.objects.get(title_version=catalog.cut, policy_area="violence")
    refs = set(WorkItemSignal.objects.filter(item=item).values_list("ref", flat=True))
    assert {f"av{version.pk}:{h.key}" for h in hits} <= refs
    assert item.required_language == "ja"  # the first hit's stream language routes the item
    media = run.media["subtitles"]
    assert [
        (s["index"], s["codec"], s["language"], s["title"], s["kind"], s["cue_count"]) for s in media
    ] == [
        (2, "mov_text", "jpn", "日本語", "text", 3),
        (3, "mov_text", "eng", None, "text", 2),
    ]
    assert media[0]["cues"][1] == [1800, 2950, "お前を殺してやる！"]


def test_a_rerun_or_a_retried_stage_stores_each_hit_and_signal_once(media_root, catalog, mp4_with_streams):  # noqa: F811
    version = _video(catalog, mp4_with_streams, "embedded")
    run_screening(version.pk)
    first = {(h.key, h.review_item_id) for h in _text_hits(version)}
    do_queue_run(actor="test", asset_version=version, rerun=True)
    again = run_screening(version.pk)
    assert again.status == RunStatus.DONE and again.attempts == 2
    assert {(h.key, h.review_item_id) for h in _text_hits(version)} == first
    assert WorkItemSignal.objects.filter(item__title_version=catalog.cut).count() == len(first)


def test_the_page_lists_streams_marks_terms_and_notes_bitmap_and_unreadable_packets(
    media_root,  # noqa: F811
    catalog,
    mkv_with_streams,
):
    version = _video(catalog, mkv_with_streams, "legacy")
    run = run_screening(version.pk)
    assert run.status == RunStatus.DONE, run.error
    (hit,) = _text_hits(version)
    assert (hit.detail["term_id"], hit.start_ms, hit.end_ms, hit.detail["stream"]) == (
        "ja_vio_koroshite_yaru",
        1800,
        2950,
        2,
    )
    text, bitmap = run.media["subtitles"]
    assert (text["encoding"], text["unreadable"], bitmap["kind"], bitmap["note"]) == (
        "cp932",
        1,
        "bitmap",
        "bitmap",
    )
    person = make_person("pat", Role.REVIEWER)
    for language, bitmap_note, skipped in (
        (
            "en",
            "bitmap subtitles (pictures of text): listed, not text-screened",
            "1 packet is not readable text",
        ),
        ("ja", "ビットマップ字幕", "1 個のパケット"),
    ):
        client = Client(headers={"accept-language": language})
        assert client.login(username=person.username, password=PASSWORD)
        html = client.get(f"/screening/asset-versions/{version.pk}/").content.decode()
        assert check_page(html, language=language) == []
        assert 'data-stream="2"' in html and 'data-stream="3"' in html
        assert bitmap_note in html and skipped in html
        assert "<mark>殺してやる</mark>" in html and '<ol class="cues" lang="ja">' in html
        assert html.count('class="lane lane--cues"') == 1  # the text stream's cues; the bitmap has none
