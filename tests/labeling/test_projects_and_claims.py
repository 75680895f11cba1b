"""Projects, label items through review's routing and claims, autosave, submit, extra labelers."""

from __future__ import annotations

import pytest

from shinsa.accounts.access import MissingPermission
from shinsa.labeling.actions import do_save_labels, do_submit_labels
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import ConsensusLabel, Label, LabelTask, TaskStatus
from shinsa.labeling.schemas import LabelInput, schema_from_json
from shinsa.review.actions import do_claim_next_item, do_record_exposure
from shinsa.review.models import ItemStatus, WorkKind

pytestmark = [pytest.mark.django_db, pytest.mark.media]


def claim(person):
    item = do_claim_next_item(actor=person, kind=WorkKind.LABEL)
    return None if item is None else LabelTask.objects.get(work_item=item)


def violence(start: int, end: int) -> LabelInput:
    return LabelInput(label="violence", start_ms=start, end_ms=end)


def test_it_makes_a_project_with_its_schema_version_and_label_items_routed_like_review(world):
    project = world.project
    assert project.schema_version == schema_from_json(project.schema).version
    tasks = list(project.tasks.order_by("key"))
    assert [t.key for t in tasks] == ["tv:film-a/original", "tv:film-b/original"]
    for task in tasks:
        item = task.work_item
        assert (item.kind, item.status, item.queue_id) == ("label", "open", "graphic_violence_global")
        assert (item.graphic_category, item.graphic_level) == ("violence_gore", 2)
        assert task.target_labelers == 2


def test_it_refuses_an_unknown_schema_and_a_bad_overlap(world):
    from tests.labeling.conftest import make_project

    with pytest.raises(LabelingError) as refused:
        make_project("other", schema_id="nope", overlap=4, max_labelers=3)
    assert "Unknown label schema “nope”." in refused.value.messages
    assert "The overlap must be at least 1 and at most the labeler limit." in refused.value.messages


def test_it_snaps_autosaved_segments_to_frame_times_and_keeps_drafts_private(world):
    task = claim(world.rin)
    do_save_labels(actor=world.rin, task=task, labels=[violence(1010, 2010)])
    (label,) = Label.objects.filter(submission__task=task)
    assert (label.start_ms, label.end_ms) == (1000, 2041)  # 24 fps: frame 49 starts at 2041.67 ms
    do_save_labels(actor=world.rin, task=task, labels=[violence(500, 900), violence(2000, 3000)])
    assert Label.objects.filter(submission__task=task).count() == 2
    with pytest.raises(LabelingError):
        do_save_labels(actor=world.sora, task=task, labels=[violence(0, 100)])  # sora does not hold it


def test_it_refuses_a_segment_past_the_video_or_of_an_unknown_class(world):
    task = claim(world.rin)
    with pytest.raises(LabelingError, match="cannot end after the video"):
        do_save_labels(actor=world.rin, task=task, labels=[violence(3000, 9000)])
    with pytest.raises(LabelingError, match="not in the project's schema"):
        do_save_labels(actor=world.rin, task=task, labels=[LabelInput(label="kitten", start_ms=0, end_ms=10)])


def test_it_hands_the_item_to_the_next_labeler_and_never_back(world):
    first = claim(world.rin)
    do_submit_labels(actor=world.rin, task=first, labels=[violence(1000, 2000)])
    first.refresh_from_db()
    assert first.work_item.status == ItemStatus.OPEN
    second = claim(world.rin)
    assert second is not None and second.pk != first.pk  # not offered her own item again
    assert claim(world.rin) is None
    assert claim(world.sora).pk in {first.pk, second.pk}


def test_it_closes_an_agreed_item_with_its_consensus(world):
    task = claim(world.rin)
    do_submit_labels(actor=world.rin, task=task, labels=[violence(1000, 2000)])
    assert claim(world.sora).pk == task.pk
    done = do_submit_labels(actor=world.sora, task=task, labels=[violence(1100, 2100)])
    assert done.status == TaskStatus.COMPLETE and done.agreement == 1.0
    assert done.work_item.status == ItemStatus.DECIDED
    (consensus,) = ConsensusLabel.objects.filter(task=task)
    assert (consensus.label, consensus.start_ms, consensus.end_ms) == ("violence", 1000, 2125)
    assert consensus.posterior == {"violence": 1.0} and consensus.support == 2


def test_it_adds_a_labeler_on_disagreement_up_to_the_limit(world):
    task = claim(world.rin)
    do_submit_labels(actor=world.rin, task=task, labels=[violence(1000, 2000)])
    claim(world.sora)
    disagreed = do_submit_labels(actor=world.sora, task=task, labels=[])
    assert disagreed.status == TaskStatus.OPEN and disagreed.target_labelers == 3
    assert disagreed.agreement == 0.0
    assert claim(world.rin).pk != task.pk  # rin gets the other film, not this one again
    assert claim(world.ken).pk == task.pk
    done = do_submit_labels(actor=world.ken, task=task, labels=[violence(1050, 1950)])
    # Still below the threshold, but the limit (3) is reached: the item closes on the majority.
    assert done.status == TaskStatus.COMPLETE and done.target_labelers == 3
    (consensus,) = ConsensusLabel.objects.filter(task=task)
    assert consensus.label == "violence" and consensus.support == 2
    assert consensus.posterior == {"none": pytest.approx(1 / 3), "violence": pytest.approx(2 / 3)}


def test_it_stops_offering_graphic_label_items_once_the_exposure_budget_is_spent(world):
    task = claim(world.rin)
    do_record_exposure(actor=world.rin, item=task.work_item, viewed_ms=24 * 60 * 60 * 1000)
    do_submit_labels(actor=world.rin, task=task, labels=[])
    assert claim(world.rin) is None
    assert claim(world.sora) is not None


def test_it_offers_label_items_only_to_people_with_the_skills(world):
    from shinsa.accounts.roles import Role
    from tests.cast import make_person
    from tests.review.conftest import give_skills

    with pytest.raises(MissingPermission):
        claim(world.olive)
    assert claim(make_person("noa", Role.REVIEWER)) is None  # no policy areas, no clearance
    squeamish = give_skills(
        make_person("uma", Role.REVIEWER), clearances={"violence_gore": 1, "disturbing": 1}
    )
    assert claim(squeamish) is None  # the project's media needs violence_gore clearance 2
    assert claim(world.sora) is not None


def test_it_keeps_label_items_out_of_the_review_consoles_next_item(world):
    assert do_claim_next_item(actor=world.rin) is None  # only label items exist
    assert claim(world.rin) is not None
