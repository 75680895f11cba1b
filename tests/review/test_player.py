"""The player's context: real frame timing and scene cuts from a synthetic clip, media URLs, wellness."""

from __future__ import annotations

import hashlib
from fractions import Fraction
from pathlib import Path

import pytest

from shinsa.accounts.actions import do_set_wellness_override
from shinsa.catalog.models import Asset, AssetVersion
from shinsa.catalog.storage import store_file
from shinsa.review.player import Hit, player_context, timeline_of_file
from tests.cast import CAST_ACTOR
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.media]


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

    spec = ClipSpec(
        scenes=(Scene(frames=30, hue=0.0), Scene(frames=24, hue=0.5), Scene(frames=20, hue=0.2)),
        fps=Fraction(24000, 1001),
    )
    return encode_clip(spec, tmp_path_factory.mktemp("player") / "clip.mp4")


def test_it_reads_frame_timing_and_scene_cuts_from_the_file(clip):
    timeline = timeline_of_file(clip.path, key="test-" + clip.path.name)
    assert timeline.frame_rate == Fraction(24000, 1001)
    assert timeline.frame_count == clip.frame_count
    assert timeline.frame_times_ms == ()  # constant rate: the player computes k / rate itself
    assert abs(timeline.duration_ms - clip.duration_ms) <= 42
    assert len(timeline.scene_cuts_ms) == len(clip.cut_times_ms)
    for found, expected in zip(timeline.scene_cuts_ms, clip.cut_times_ms, strict=True):
        assert abs(found - expected) <= 1


def test_a_missing_or_unreadable_file_gives_an_empty_timeline(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all")
    assert timeline_of_file(bad, key="bad").duration_ms is None


def _store(version, clip: Path) -> AssetVersion:
    content = clip.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    asset = Asset.objects.create(title_version=version, kind="video")
    return AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(content),
        file=store_file(clip, digest, ".mp4"),
        media_type="video/mp4",
    )


@pytest.mark.django_db
def test_it_builds_urls_hits_and_the_reviewers_treatment(cast, version, clip, media_root):  # noqa: F811
    stored = _store(version, clip.path)
    hits = [Hit(start_ms=2000, end_ms=2500, label="b"), Hit(start_ms=500, label="a", kind="subtitle")]
    context = player_context(cast.rin, stored, category="violence_gore", hits=hits, exposure_url="/x")
    config = context["config"]
    assert config["src"] == f"/media/{stored.pk}/play"
    assert config["poster"] is None and config["spriteVtt"] is None  # no renditions made yet
    assert [hit["start"] for hit in config["hits"]] == [500, 2000]
    assert config["timeline"]["rate"] == [24000, 1001] and len(config["timeline"]["cuts"]) == 2
    assert config["wellness"] == {
        "category": "violence_gore",
        "blur": True,
        "greyscale": True,
        "mute": True,
        "steps": 3,
    }
    assert context["treated"] and config["exposureUrl"] == "/x"

    do_set_wellness_override(
        actor=CAST_ACTOR, user=cast.rin, category="violence_gore", blur=False, greyscale=True, mute=False
    )
    overridden = player_context(cast.rin, stored, category="violence_gore")["config"]["wellness"]
    assert (overridden["blur"], overridden["greyscale"], overridden["mute"]) == (False, True, False)

    clear = player_context(cast.rin, stored, exposure_url="/x")
    assert not clear["treated"] and clear["config"]["wellness"]["steps"] == 0
    assert clear["config"]["exposureUrl"] is None  # nothing graphic: no exposure to record
