"""Screening's hand-off: subtitle lexicon hits become suggested findings, never counted until accepted."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage

from shinsa.catalog.models import Asset, AssetVersion
from shinsa.catalog.storage import store_file
from shinsa.ratings.actions import do_start_assessment
from shinsa.ratings.models import Finding
from shinsa.ratings.tasks import suggest_findings_from_subtitles
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

SUBTITLES = (
    b"1\n00:00:01,000 --> 00:00:03,500\nGet out of here, you piece of shit.\n\n"
    b"2\n00:00:10,000 --> 00:00:12,000\nI will kill you.\n\n"
    b"3\n00:00:20,000 --> 00:00:22,000\nThe sea is calm tonight.\n"
)


def attach_subtitles(cut, tmp_path) -> AssetVersion:
    source = tmp_path / "film.en.srt"
    source.write_bytes(SUBTITLES)
    digest = hashlib.sha256(SUBTITLES).hexdigest()
    asset = Asset.objects.create(title_version=cut, kind="subtitle", language="en")
    return AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(SUBTITLES),
        file=store_file(source, digest, ".srt"),
        media_type="application/x-subrip",
    )


def test_it_offers_lexicon_hits_with_cue_times_once(cast, catalog, media_root, tmp_path):  # noqa: F811
    version = attach_subtitles(catalog.film_cut, tmp_path)
    assert default_storage.exists(version.file.name)
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)

    assert suggest_findings_from_subtitles.call(assessment.pk) == 2
    suggested = {
        (f.descriptor, f.start_ms, f.end_ms, f.status) for f in Finding.objects.filter(assessment=assessment)
    }
    assert suggested == {
        ("language", 1000, 3500, Finding.Status.SUGGESTED),
        ("violence", 10000, 12000, Finding.Status.SUGGESTED),
    }
    assert suggest_findings_from_subtitles.call(assessment.pk) == 0  # a retried run adds nothing


def test_it_enqueues_the_hand_off_when_an_assessment_starts(
    cast, catalog, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    task = DBTaskResult.objects.get(task_path="shinsa.ratings.tasks.suggest_findings_from_subtitles")
    assert task.args_kwargs["args"] == [assessment.pk]
