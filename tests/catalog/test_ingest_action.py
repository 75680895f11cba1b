"""do_ingest_manifest against a real database and real files."""

from __future__ import annotations

import json

import pytest
from django_tasks_db.models import DBTaskResult

from shinsa.audit.models import AuditEvent
from shinsa.catalog.actions import do_ingest_manifest
from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.manifest import ManifestErrors, Reason, parse_manifest
from shinsa.catalog.models import Asset, AssetVersion, Availability, ExternalId, Title, TitleVersion
from tests.catalog.manifests import EXAMPLES, copy_examples, film, metadata, write_csv, write_json
from tests.catalog.snapshots import catalog_snapshot, row_counts

pytestmark = pytest.mark.usefixtures("media_root")


def ingest(path, actor="system", **kwargs):
    return ingest_manifest_file(actor=actor, path=path, **kwargs)


def stored_files(media_root):
    return sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_it_builds_the_same_catalog_from_each_example_format():
    snapshots = []
    for suffix in ("json", "csv", "xlsx"):
        summary = ingest(EXAMPLES / f"manifest.{suffix}")
        assert summary.as_dict()["titles"] == {"created": 5, "updated": 0, "unchanged": 0}
        snapshots.append(catalog_snapshot())
        # Start the next format from an empty catalog (rows are protected, so delete leaves first).
        AssetVersion.objects.all().delete()
        Asset.objects.all().delete()
        Availability.objects.all().delete()
        TitleVersion.objects.all().delete()
        ExternalId.objects.all().delete()
        Title.objects.filter(kind="episode").delete()
        Title.objects.filter(kind="season").delete()
        Title.objects.all().delete()
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert len(snapshots[0]["asset_versions"]) == 13


@pytest.mark.django_db
def test_it_stores_files_content_addressed_inside_the_media_root(media_root):
    ingest(EXAMPLES / "manifest.json")
    video = AssetVersion.objects.get(
        asset__kind="video", asset__title_version__title__external_id="kaze-no-machi"
    )
    assert video.file.name == f"assets/{video.sha256[:2]}/{video.sha256[2:4]}/{video.sha256}.mp4"
    assert (media_root / video.file.name).read_bytes() == (EXAMPLES / "media/kaze-no-machi.mp4").read_bytes()
    assert video.source_path == "media/kaze-no-machi.mp4"
    cp932 = AssetVersion.objects.get(
        asset__title_version__title__external_id="hoshi-no-tabi-s1e2", asset__kind="subtitle"
    )
    assert cp932.source_encoding == "cp932"
    assert len(stored_files(media_root)) == 8  # 3 videos, 3 subtitles, 2 posters; metadata has no file


@pytest.mark.django_db
def test_a_second_run_adds_no_rows_and_no_audit_events():
    first = ingest(EXAMPLES / "manifest.json")
    counts = row_counts()
    second = ingest(EXAMPLES / "manifest.csv")
    assert row_counts() == counts
    assert second.as_dict() == {
        "dry_run": False,
        "titles": {"created": 0, "updated": 0, "unchanged": 5},
        "versions": {"created": 0, "updated": 0, "unchanged": 5},
        "asset_versions": {"created": 0, "unchanged": 13},
    }
    assert first.asset_versions["created"] == 13


@pytest.mark.django_db
def test_it_audits_each_created_thing_with_ids_and_summaries():
    ingest(EXAMPLES / "manifest.json")
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("catalog.title.created") == 5
    assert verbs.count("catalog.version.created") == 5
    assert verbs.count("catalog.asset_version.created") == 13
    event = AuditEvent.objects.filter(verb="catalog.title.created", after__external_id="kaze-no-machi").get()
    assert event.actor_label == "system"
    assert event.after["external_ids"] == {"eidr": "10.5240/0000-0000-0000-0000-0000-X", "imdb": "tt0000002"}


@pytest.mark.django_db
def test_a_file_with_one_bad_row_stores_nothing(delivery, media_root):
    ingest(EXAMPLES / "manifest.json")
    before, files_before = catalog_snapshot(), stored_files(media_root)
    counts = row_counts()
    (delivery / "new.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nnew\n")
    rows = [
        {
            "id": "new-film",
            "kind": "film",
            "original_title": "New",
            "original_language": "en",
            "version": "v",
            "asset_kind": "subtitle",
            "asset_language": "en",
            "path": "new.srt",
        },
        {
            "id": "kaze-no-machi",
            "kind": "film",
            "original_title": "Changed",
            "original_language": "ja",
            "year": 2019,
        },
        {"id": "bad-film", "kind": "film", "original_title": "Bad", "original_language": "klingon"},
    ]
    with pytest.raises(ManifestErrors) as caught:
        ingest(write_csv(delivery, rows))
    assert [(e.row, e.field) for e in caught.value.errors] == [(4, "original_language")]
    assert catalog_snapshot() == before and row_counts() == counts
    assert stored_files(media_root) == files_before


@pytest.mark.django_db
def test_a_conflict_with_the_catalog_stores_nothing_and_copies_nothing(delivery, media_root):
    (delivery / "v.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom-new-content")
    titles = [
        film("ok-film", versions=[{"label": "v", "assets": [{"kind": "video", "path": "v.mp4"}]}]),
        {
            "id": "orphan",
            "kind": "episode",
            "parent": "no-such-series",
            "number": 1,
            "original_title": "O",
            "original_language": "ja",
        },
    ]
    with pytest.raises(ManifestErrors) as caught:
        ingest(write_json(delivery, titles))
    assert [(e.field, e.reason) for e in caught.value.errors] == [("titles[1].parent", Reason.PARENT_UNKNOWN)]
    assert Title.objects.count() == 0 and AuditEvent.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_changed_content_makes_a_new_version_and_keeps_the_old(delivery, media_root):
    subtitle = delivery / "s.srt"
    subtitle.write_text("1\n00:00:01,000 --> 00:00:02,000\nfirst\n")
    path = write_json(
        delivery,
        [
            film(
                versions=[{"label": "v", "assets": [{"kind": "subtitle", "language": "en", "path": "s.srt"}]}]
            )
        ],
    )
    ingest(path)
    subtitle.write_text("1\n00:00:01,000 --> 00:00:02,000\nsecond\n")
    assert ingest(path).asset_versions["created"] == 1
    subtitle.write_text("1\n00:00:01,000 --> 00:00:02,000\nfirst\n")  # back to the first delivery
    assert ingest(path).asset_versions["created"] == 1
    versions = list(AssetVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0].sha256 == versions[2].sha256 and versions[0].file.name == versions[2].file.name
    assert versions[0].sha256 != versions[1].sha256
    assert len(stored_files(media_root)) == 2  # the same content is stored once


@pytest.mark.django_db
def test_changed_metadata_text_makes_a_new_version(delivery):
    path = write_json(
        delivery, [film(versions=[{"label": "v", "assets": [metadata(title="Old", tags=["a"])]}])]
    )
    ingest(path)
    write_json(delivery, [film(versions=[{"label": "v", "assets": [metadata(title="New", tags=["a"])]}])])
    ingest(path)
    assert [v.metadata["title"] for v in AssetVersion.objects.order_by("number")] == ["Old", "New"]


@pytest.mark.django_db
def test_it_updates_titles_and_availability_and_audits_before_and_after(delivery):
    windows = [{"territory": "JP", "start": "2026-01-01"}]
    path = write_json(delivery, [film(versions=[{"label": "v", "availability": windows}])])
    ingest(path)
    windows = [
        {"territory": "JP", "start": "2026-01-01", "end": "2026-12-31"},
        {"territory": "US", "start": "2026-02-01"},
    ]
    write_json(
        delivery,
        [film(year=2021, original_title="Renamed", versions=[{"label": "v", "availability": windows}])],
    )
    summary = ingest(path)
    assert (summary.titles["updated"], summary.versions["updated"]) == (1, 1)
    event = AuditEvent.objects.get(verb="catalog.title.updated")
    assert event.before == {"original_title": "Film film-1", "year": 2020}
    assert event.after == {"original_title": "Renamed", "year": 2021}
    assert sorted(Availability.objects.values_list("territory", flat=True)) == ["JP", "US"]
    # A manifest that does not state availability leaves the windows as they are.
    write_json(delivery, [film(year=2021, original_title="Renamed", versions=[{"label": "v"}])])
    assert ingest(path).versions["unchanged"] == 1
    assert Availability.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_kind_changes_taken_external_ids_and_taken_numbers(delivery):
    series = {"id": "s", "kind": "series", "original_title": "S", "original_language": "ja"}
    episode = {
        "id": "e1",
        "kind": "episode",
        "parent": "s",
        "number": 1,
        "original_title": "E",
        "original_language": "ja",
    }
    ingest(write_json(delivery, [series, episode, film("f", external_ids={"imdb": "tt1"})]))
    attempts = {
        Reason.KIND_CHANGED: [{**series, "kind": "film"}],
        Reason.EXTERNAL_ID_TAKEN: [film("g", external_ids={"imdb": "tt1"})],
        Reason.NUMBER_TAKEN: [{**episode, "id": "e1-duplicate"}],
    }
    for reason, titles in attempts.items():
        with pytest.raises(ManifestErrors) as caught:
            ingest(write_json(delivery, titles, name="second.json"))
        assert [e.reason for e in caught.value.errors] == [reason]
    assert Title.objects.count() == 3


@pytest.mark.django_db
def test_a_dry_run_counts_but_stores_nothing(media_root):
    summary = ingest(EXAMPLES / "manifest.json", dry_run=True)
    assert summary.dry_run and summary.titles["created"] == 5 and summary.asset_versions["created"] == 13
    assert row_counts() == {k: 0 for k in row_counts()}
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_new_file_versions_enqueue_a_fingerprint_task_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest(EXAMPLES / "manifest.json")
    # fingerprints of file assets only (metadata text has no file to check); screening of every one
    assert len(callbacks) == 8 + 13
    assert (
        DBTaskResult.objects.filter(task_path="shinsa.catalog.tasks.fingerprint_asset_version").count() == 8
    )
    assert DBTaskResult.objects.filter(task_path="shinsa.screening.tasks.screen_asset_version").count() == 13
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest(EXAMPLES / "manifest.json")
    assert callbacks == []


@pytest.mark.django_db
def test_it_refuses_a_parsed_manifest_whose_files_lie_outside_the_source_folder(tmp_path, delivery):
    manifest = parse_manifest(EXAMPLES / "manifest.json")
    with pytest.raises(ManifestErrors) as caught:
        do_ingest_manifest(actor="system", manifest=manifest, source_dir=delivery)
    assert caught.value.errors[0].reason == Reason.PATH_OUTSIDE
    assert Title.objects.count() == 0


@pytest.mark.django_db
def test_it_records_the_user_who_ingested(cast):
    before = AuditEvent.objects.count()  # the cast's own creation is audited too
    ingest(EXAMPLES / "manifest.json", actor=cast.mei)
    assert set(AssetVersion.objects.values_list("created_by__username", flat=True)) == {"mei"}
    ingest_events = AuditEvent.objects.order_by("pk")[before:]
    assert ingest_events and {event.actor_label for event in ingest_events} == {"mei"}


def test_example_json_is_well_formed():
    assert json.loads((EXAMPLES / "manifest.json").read_text())["format"] == "shinsa-manifest/1"


@pytest.mark.django_db
def test_examples_can_be_copied_and_ingested_from_anywhere(tmp_path):
    folder = copy_examples(tmp_path / "copy")
    assert ingest(folder / "manifest.xlsx").titles["created"] == 5
