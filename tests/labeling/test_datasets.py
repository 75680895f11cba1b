"""Snapshots, exports, rights and blocks, import round trip, `shinsa dataset`, signal feedback."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shinsa.catalog.models import AssetVersion, Title
from shinsa.labeling.actions import (
    do_block_media_export,
    do_export_dataset,
    do_set_training_rights,
    do_snapshot_project,
    do_submit_labels,
    snapshot_path,
)
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import LabelingProject, SignalFeedback
from shinsa.labeling.queries import project_agreement, signal_precision
from shinsa.labeling.schemas import LabelInput
from shinsa.review.actions import IncomingSignal, do_upsert_item
from tests.labeling.test_projects_and_claims import claim, violence

pytestmark = [pytest.mark.django_db, pytest.mark.media]


def label_everything(world) -> None:
    """rin and sora agree on film-a; on film-b sora sees nothing, so ken is added and sides with rin."""
    for person in (world.rin, world.sora):
        for _ in range(2):
            task = claim(person)
            if task is None:
                break
            marks = (
                [violence(1000, 2000)] if person == world.rin or task.key.endswith("film-a/original") else []
            )
            marks.append(
                LabelInput(label="gore", start_ms=2500, end_ms=3000, attributes={"intensity": "mild"})
            )
            do_submit_labels(actor=person, task=task, labels=marks)
    task = claim(world.ken)
    do_submit_labels(actor=world.ken, task=task, labels=[violence(1040, 2040)])


def items_of(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def test_it_exports_every_format_twice_with_the_same_bytes_and_one_snapshot(world, tmp_path):
    label_everything(world)
    for fmt in ("jsonl", "csv", "coco", "vtt"):
        for run in ("one", "two"):
            (tmp_path / run).mkdir(exist_ok=True)
            do_export_dataset(
                actor="system", project=world.project, fmt=fmt, out=tmp_path / run / f"out-{fmt}"
            )
    for one in sorted((tmp_path / "one").rglob("*")):
        if one.is_file():
            assert one.read_bytes() == (tmp_path / "two" / one.relative_to(tmp_path / "one")).read_bytes()
    assert world.project.snapshots.count() == 1
    header = json.loads((tmp_path / "one" / "out-jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (header["items"], header["labels"]) == (2, 8)
    assert header["schema"]["id"] == "violence_segments"
    items = items_of(tmp_path / "one" / "out-jsonl")
    assert all("start_ms" in label and "end_ms" in label for item in items for label in item["labels"])
    assert {item["split"] for item in items} <= {"train", "test"}


def test_it_makes_a_new_snapshot_only_when_labels_changed(world):
    task = claim(world.rin)
    do_submit_labels(actor=world.rin, task=task, labels=[violence(0, 500)])
    first, made = do_snapshot_project(actor="system", project=world.project)
    assert made
    assert do_snapshot_project(actor="system", project=world.project) == (first, False)
    task = claim(world.sora)
    do_submit_labels(actor=world.sora, task=task, labels=[violence(0, 500)])
    second, made = do_snapshot_project(actor="system", project=world.project)
    assert made and second.number == 2 and second.content_hash != first.content_hash


def test_it_withholds_titles_without_training_rights_and_quarantined_or_blocked_media(world, tmp_path):
    from shinsa.catalog.actions import do_quarantine_asset_version

    label_everything(world)
    do_set_training_rights(actor="system", title=Title.objects.get(external_id="film-b"), allowed=False)
    do_quarantine_asset_version(
        actor="screening",
        asset_version=AssetVersion.objects.get(asset__title_version__title__external_id="film-a"),
        reason="matched an illegal-content bank",
    )
    snapshot, _ = do_export_dataset(
        actor="system", project=world.project, fmt="jsonl", out=tmp_path / "d.jsonl"
    )
    header = json.loads((tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert snapshot.items == 0 and items_of(tmp_path / "d.jsonl") == []
    assert header["withheld"] == {"blocked_media": 1, "no_training_rights": 1}
    do_set_training_rights(actor="system", title=Title.objects.get(external_id="film-b"), allowed=True)
    do_block_media_export(
        actor="system",
        asset_version=AssetVersion.objects.get(asset__title_version__title__external_id="film-b"),
        reason="legal_hold",
    )
    snapshot, made = do_snapshot_project(actor="system", project=world.project)
    assert made and snapshot.items == 0  # the header's withheld counts changed: a new snapshot
    header = json.loads(snapshot_path(snapshot).read_text(encoding="utf-8").splitlines()[0])
    assert header["withheld"] == {"blocked_media": 2, "no_training_rights": 0}
    with pytest.raises(LabelingError):
        do_block_media_export(actor="system", asset_version=AssetVersion.objects.first(), reason="because")


def test_it_imports_an_export_without_loss(world, tmp_path):
    label_everything(world)
    call_command(
        "dataset", "export", "violence-demo", "--format", "jsonl", "--out", str(tmp_path / "a.jsonl")
    )
    out = StringIO()
    call_command("dataset", "import", "copy", str(tmp_path / "a.jsonl"), stdout=out)
    assert "2 items, 8 labels imported" in out.getvalue()
    copy = LabelingProject.objects.get(slug="copy")
    assert (copy.schema_version, copy.split_seed) == (world.project.schema_version, world.project.split_seed)
    call_command("dataset", "export", "copy", "--format", "jsonl", "--out", str(tmp_path / "b.jsonl"))
    assert items_of(tmp_path / "b.jsonl") == items_of(tmp_path / "a.jsonl")
    first, second = (
        json.loads(p.read_text(encoding="utf-8").splitlines()[0])
        for p in (tmp_path / "a.jsonl", tmp_path / "b.jsonl")
    )
    assert {**first, "project": "copy"} == second
    # Importing the same file again replaces each labeler's answer: nothing doubles.
    call_command("dataset", "import", "copy", str(tmp_path / "a.jsonl"), stdout=StringIO())
    call_command("dataset", "export", "copy", "--format", "jsonl", "--out", str(tmp_path / "c.jsonl"))
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_it_lists_the_latest_snapshots_as_json(world, tmp_path):
    label_everything(world)
    call_command("dataset", "export", "violence-demo", "--format", "csv", "--out", str(tmp_path / "a.csv"))
    out = StringIO()
    call_command("dataset", "list", "--json", stdout=out)
    (row,) = json.loads(out.getvalue())
    assert set(row) == {"project", "snapshot", "items", "labels", "agreement"}
    assert (row["project"], row["items"], row["labels"]) == ("violence-demo", 2, 8)
    assert row["snapshot"].startswith("s1-")
    assert row["agreement"] == pytest.approx(project_agreement(world.project).alpha)


def test_it_refuses_bad_input_in_one_line(world, tmp_path):
    with pytest.raises(CommandError, match="No labeling project"):
        call_command("dataset", "export", "nope", "--format", "csv", "--out", str(tmp_path / "x.csv"))
    (tmp_path / "bad.jsonl").write_text('{"format":"shinsa-labels/1","schema":{}}\n', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("dataset", "import", "violence-demo", str(tmp_path / "bad.jsonl"))
    (tmp_path / "folder").mkdir()
    with pytest.raises(CommandError, match="is a folder"):
        call_command(
            "dataset", "export", "violence-demo", "--format", "csv", "--out", str(tmp_path / "folder")
        )


def test_it_feeds_verdicts_on_screening_hits_back_as_signal_precision(world):
    from tests.labeling.conftest import make_project

    version = world.project.tasks.first().title_version
    for ref, confidence in (("hit-1", 0.9), ("hit-2", 0.4)):
        do_upsert_item(
            actor="screening",
            title_version=version,
            policy_area="violence",
            signal=IncomingSignal(source="screening:lexicon", ref=ref, confidence=confidence),
        )
    project = make_project(
        "verdicts",
        schema_id="signal_verdict",
        source_kind="screening_hits",
        source={"signal_source": "screening:lexicon"},
        min_signal_confidence=0.5,
        consensus_method="dawid_skene",
    )
    assert sorted(t.target_labelers for t in project.tasks.all()) == [2, 3]  # the weak hit gets one more
    for person in (world.rin, world.sora, world.ken):
        while (task := claim(person)) is not None:
            if task.project_id != project.pk:  # the film project shares the queue: nothing on screen
                do_submit_labels(actor=person, task=task, labels=[])
                continue
            verdict = "true_positive" if task.signal_ref == "hit-1" else "false_positive"
            do_submit_labels(actor=person, task=task, labels=[LabelInput(label=verdict)])
    verdicts = dict(SignalFeedback.objects.values_list("signal_ref", "verdict"))
    assert verdicts == {"hit-1": "true_positive", "hit-2": "false_positive"}
    (figure,) = signal_precision()
    assert (figure.signal_source, figure.policy_area, figure.precision) == (
        "screening:lexicon",
        "violence",
        0.5,
    )
