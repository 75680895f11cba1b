"""The demo's labeling project: violent scenes on the demo videos, labeled by three demo reviewers.

Everything goes through the real actions: the project and its items, the labelers' claims (review's
routing, skills and exposure budget), autosave and submit, the extra labeler on disagreement, consensus.
The answers are scripted from each video's scene cuts so the figures are the same on every machine; one
item is left with a single answer so a visitor can label it in the console. A second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from shinsa.accounts.actions import do_set_clearance, do_set_policy_areas
from shinsa.accounts.models import GraphicClearance, PolicyAreaSkill, User
from shinsa.catalog.models import Title
from shinsa.labeling.actions import (
    do_create_project,
    do_fill_project,
    do_set_training_rights,
    do_submit_labels,
)
from shinsa.labeling.actions.projects import frame_times_of
from shinsa.labeling.models import LabelingProject, LabelTask, TrainingRights
from shinsa.labeling.queries import ProjectAgreement, project_agreement
from shinsa.labeling.schemas import LabelInput
from shinsa.review.actions import do_claim_next_item, do_release_item, do_sync_queues
from shinsa.review.models import WorkKind

DEMO_PROJECT = "demo-violence"
LABELERS = ("haruka", "liam", "kenji")  # each marks a little differently (see _answer)


@dataclass(frozen=True)
class DemoLabeling:
    project: LabelingProject
    created: bool
    agreement: ProjectAgreement


def _ready_to_label(user: User) -> None:
    """The demo labelers review violence with clearance for its media (kept if already set)."""
    areas = set(PolicyAreaSkill.objects.filter(user=user).values_list("area", flat=True))
    if "violence" not in areas:
        do_set_policy_areas(actor="demo", user=user, areas=sorted(areas | {"violence"}))
    for category, level in (("violence_gore", 2), ("disturbing", 1)):
        if not GraphicClearance.objects.filter(user=user, category=category, level__gte=level).exists():
            do_set_clearance(actor="demo", user=user, category=category, level=level)


def _answer(who: str, task: LabelTask, number: int) -> list[LabelInput]:
    """A labeler's scripted answer: the second scene as violence, with each person's own habits."""
    frames = frame_times_of(task)
    if frames is None or len(frames.starts_ms) < 4:
        return []
    end = frames.end_ms
    start, stop = end // 3, (2 * end) // 3
    if who == "haruka":
        marks = [
            LabelInput(label="violence", start_ms=start, end_ms=stop, attributes={"intensity": "moderate"})
        ]
        if number % 2 == 0:
            marks.append(LabelInput(label="gore", start_ms=stop, end_ms=min(end, stop + end // 6)))
        return marks
    if who == "liam":  # marks late and short; misses gore
        if number % 3 == 2:
            return []
        return [LabelInput(label="violence", start_ms=start + end // 20, end_ms=stop - end // 20)]
    return [  # kenji: close to haruka, and sees the gore
        LabelInput(label="violence", start_ms=start, end_ms=stop + end // 30),
        LabelInput(label="gore", start_ms=stop, end_ms=min(end, stop + end // 6)),
    ]


def do_load_demo_labeling(*, actor: str = "demo") -> DemoLabeling:
    existing = LabelingProject.objects.filter(slug=DEMO_PROJECT).first()
    if existing is not None:
        return DemoLabeling(project=existing, created=False, agreement=project_agreement(existing))
    with transaction.atomic():
        do_sync_queues(actor=actor)
        people = {user.username: user for user in User.objects.filter(username__in=LABELERS)}
        for user in people.values():
            _ready_to_label(user)
        for title in Title.objects.filter(versions__assets__kind="video").distinct():
            if not TrainingRights.objects.filter(title=title).exists():
                do_set_training_rights(actor=actor, title=title, allowed=True, note="demo media")
        project = do_create_project(
            actor=actor,
            slug=DEMO_PROJECT,
            name_ja="暴力シーンの区間（デモ）",
            name_en="Violent scenes (demo)",
            instructions_ja=(
                "暴力が映っている区間をすべて囲んでください。流血・残酷な描写は「流血・残酷描写」で別に囲みます。"
            ),
            instructions_en=(
                "Mark every range where violence is on screen. Mark blood and gore separately as Gore."
            ),
            examples=[{"ja": "殴り合いの場面：暴力", "en": "A fist fight: violence"}],
            schema_id="violence_segments",
            policy_area="violence",
            source_kind="catalog",
            overlap=2,
            max_labelers=3,
            min_agreement=0.8,
            graphic_category="violence_gore",
            graphic_level=2,
            consensus_method="dawid_skene",
        )
        do_fill_project(actor=actor, project=project)
    tasks = list(project.tasks.order_by("id"))
    left_open = tasks[-1].pk if len(tasks) > 1 else None
    numbers = {task.pk: number for number, task in enumerate(tasks)}
    for who in LABELERS:
        person = people.get(who)
        if person is None:
            continue
        while (item := do_claim_next_item(actor=person, kind=WorkKind.LABEL)) is not None:
            task = LabelTask.objects.get(work_item=item)
            if task.pk == left_open and who != "haruka":
                # Created last, so claimed last: every other item is done. Leave it for a visitor.
                do_release_item(actor=person, item=item)
                break
            do_submit_labels(actor=person, task=task, labels=_answer(who, task, numbers[task.pk]))
    return DemoLabeling(project=project, created=True, agreement=project_agreement(project))
