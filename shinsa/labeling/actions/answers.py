"""Labelers' answers: autosave, submit, and what follows a submission (more labelers on low agreement,
consensus with its posterior, feedback on the screening signal the item came from)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shinsa import audit
from shinsa.accounts.access import require_perm
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.labeling import consensus as engine
from shinsa.labeling.actions.projects import frame_times_of
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import (
    ConsensusLabel,
    ConsensusMethod,
    Label,
    LabelingProject,
    LabelSubmission,
    LabelTask,
    SignalFeedback,
    SubmissionStatus,
    TaskStatus,
    Verdict,
)
from shinsa.labeling.queries import task_units, units_of
from shinsa.labeling.schemas import LabelInput, LabelProblem, SchemaKind, check_label, schema_from_json
from shinsa.review.actions import do_hand_on_item, do_heartbeat_claim
from shinsa.review.actions.actors import Actor, _person
from shinsa.review.models import ItemStatus, WorkItem

_PROBLEMS = {
    "unknown_class": gettext_lazy("That label is not in the project's schema."),
    "bad_range": gettext_lazy("A segment needs an end after its start."),
    "past_end": gettext_lazy("A segment cannot end after the video."),
    "no_cue": gettext_lazy("A cue span names its cue."),
    "bad_span": gettext_lazy("Select some text of the cue."),
    "no_frame": gettext_lazy("A box names its frame."),
    "bad_box": gettext_lazy("A box must lie inside the frame."),
    "unknown_attribute": gettext_lazy("That attribute is not in the project's schema."),
    "bad_attribute": gettext_lazy("That attribute value is not allowed."),
    "missing_attribute": gettext_lazy("A required attribute is missing."),
}


def _holding(person: User, task: LabelTask) -> WorkItem:
    """The task's label item, locked, when ``person`` holds its claim."""
    require_perm(person, Perm.REVIEW_ITEMS)
    item = WorkItem.objects.select_for_update().filter(pk=task.work_item_id).first()
    if item is None or item.status != ItemStatus.CLAIMED or item.claimed_by_id != person.pk:
        raise LabelingError(_("You do not hold this item; claim it first."))
    return item


def _checked(task: LabelTask, labels: Sequence[LabelInput]) -> list[Label]:
    schema = schema_from_json(task.project.schema)
    frames = frame_times_of(task) if schema.kind is SchemaKind.SEGMENTS else None
    rows = []
    for mark in labels:
        try:
            check_label(schema, mark, duration_ms=frames.end_ms if frames else None)
        except LabelProblem as problem:
            raise LabelingError(str(_PROBLEMS.get(problem.code, problem))) from None
        start, end = mark.start_ms, mark.end_ms
        if frames is not None and start is not None and end is not None:
            start, end = frames.snap_range(start, end)
        rows.append(
            Label(
                label=mark.label,
                start_ms=start,
                end_ms=end,
                cue_index=mark.cue_index,
                text_start=mark.text_start,
                text_end=mark.text_end,
                frame_ms=mark.frame_ms,
                box=list(mark.box) if mark.box else None,
                attributes=dict(mark.attributes),
            )
        )
    return rows


@transaction.atomic
def do_save_labels(*, actor: Actor, task: LabelTask, labels: Sequence[LabelInput]) -> LabelSubmission:
    """Autosave: the holder's draft answer becomes ``labels`` (edges snapped to frame times)."""
    person = _person(actor)
    item = _holding(person, task)
    rows = _checked(task, labels)
    submission, _created = LabelSubmission.objects.get_or_create(
        task=task, labeler_name=person.username, defaults={"labeler": person}
    )
    if submission.status == SubmissionStatus.SUBMITTED:
        raise LabelingError(_("You have already submitted this item."))
    submission.labels.all().delete()
    for row in rows:
        row.submission = submission
    Label.objects.bulk_create(rows)
    submission.saved_at = timezone.now()
    submission.save(update_fields=["saved_at"])
    do_heartbeat_claim(actor=person, item=item)
    audit.record(actor=person, verb="labeling.labels.saved", obj=task, after={"labels": len(rows)})
    return submission


@transaction.atomic
def do_submit_labels(
    *, actor: Actor, task: LabelTask, labels: Sequence[LabelInput] | None = None
) -> LabelTask:
    """Submit the holder's answer. Once the task has its labelers, agreement decides: low agreement adds
    one labeler (up to the project's limit), otherwise the task is complete and gets its consensus."""
    person = _person(actor)
    if labels is not None:
        do_save_labels(actor=person, task=task, labels=labels)
    item = _holding(person, task)
    task = LabelTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    submission, _created = LabelSubmission.objects.get_or_create(
        task=task, labeler_name=person.username, defaults={"labeler": person}
    )
    now = timezone.now()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.save(update_fields=["status", "submitted_at"])
    project = task.project
    submitted = task.submissions.filter(status=SubmissionStatus.SUBMITTED).count()
    done = False
    extra = False
    if submitted >= task.target_labelers:
        units = task_units(task)
        task.agreement = engine.item_agreement(units)
        if task.agreement < project.min_agreement and task.target_labelers < project.max_labelers:
            task.target_labelers += 1
            extra = True
        else:
            done = True
    task.status = TaskStatus.COMPLETE if done else TaskStatus.OPEN
    task.save(update_fields=["agreement", "target_labelers", "status"])
    do_hand_on_item(actor=person, item=item, done=done, note=_("labeled"))
    audit.record(
        actor=person,
        verb="labeling.labels.submitted",
        obj=task,
        after={"submitted": submitted, "target": task.target_labelers, "agreement": task.agreement},
    )
    if extra:
        audit.record(
            actor="labeling",
            verb="labeling.task.labeler_added",
            obj=task,
            after={"agreement": task.agreement, "target": task.target_labelers},
        )
    if done:
        refresh_consensus(project)
    return task


# --- consensus -----------------------------------------------------------------------------------


def refresh_consensus(project: LabelingProject) -> int:
    """Recompute the consensus of every complete task (Dawid–Skene weighs labelers over the whole project);
    how many consensus labels there are. Called inside the submitting transaction."""
    kind = schema_from_json(project.schema).kind
    tasks = list(project.tasks.filter(status=TaskStatus.COMPLETE).order_by("id"))
    units = units_of(tasks, kind)
    table = {unit.id: unit.answers for task_units_ in units.values() for unit in task_units_}
    if project.consensus_method == ConsensusMethod.DAWID_SKENE:
        estimates = engine.dawid_skene(table).estimates
    else:
        estimates = engine.majority_vote(table)
    ConsensusLabel.objects.filter(task__in=tasks).delete()
    rows = []
    for task in tasks:
        for mark in engine.consensus_marks(units[task.pk], estimates):
            rows.append(
                ConsensusLabel(
                    task=task,
                    label=mark.label,
                    method=project.consensus_method,
                    posterior=mark.posterior,
                    support=mark.support,
                    start_ms=mark.start_ms,
                    end_ms=mark.end_ms,
                    cue_index=mark.cue_index,
                    frame_ms=mark.frame_ms,
                )
            )
        _record_signal_feedback(project, task, rows)
    ConsensusLabel.objects.bulk_create(rows)
    return len(rows)


def _record_signal_feedback(project: LabelingProject, task: LabelTask, rows: list[ConsensusLabel]) -> None:
    """A screening hit's verdict (true or false positive) for insights' precision figures."""
    if not task.signal_source:
        return
    verdicts = [row for row in rows if row.task_id == task.pk and row.label in Verdict.values]
    if not verdicts:
        SignalFeedback.objects.filter(task=task).delete()
        return
    verdict = verdicts[0]
    SignalFeedback.objects.update_or_create(
        task=task,
        defaults={
            "signal_source": task.signal_source,
            "signal_ref": task.signal_ref,
            "policy_area": task.subject.get("policy_area") or project.policy_area,
            "verdict": verdict.label,
            "confidence": task.signal_confidence,
            "posterior": float(verdict.posterior.get(verdict.label, 0.0)),
        },
    )
