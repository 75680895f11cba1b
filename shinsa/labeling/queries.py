"""Reads of labeling: signal precision for insights, project summaries for the pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from shinsa.labeling import consensus as engine
from shinsa.labeling.consensus import alpha, alpha_per_label, dawid_skene
from shinsa.labeling.models import (
    Label,
    LabelingProject,
    LabelSubmission,
    LabelTask,
    SignalFeedback,
    SubmissionStatus,
    TaskStatus,
    Verdict,
)
from shinsa.labeling.schemas import SchemaKind, schema_from_json


@dataclass(frozen=True, kw_only=True, slots=True)
class SignalPrecision:
    """Labeled verdicts on one signal's hits in one policy area (precision = TP / (TP + FP))."""

    signal_source: str
    policy_area: str
    true_positives: int
    false_positives: int

    @property
    def precision(self) -> float | None:
        labeled = self.true_positives + self.false_positives
        return self.true_positives / labeled if labeled else None


def signal_precision() -> list[SignalPrecision]:
    """Per signal and policy area, from labeling's verdicts on screening hits (insights reads this)."""
    rows = (
        SignalFeedback.objects.values("signal_source", "policy_area")
        .annotate(
            tp=Count("id", filter=Q(verdict=Verdict.TRUE_POSITIVE)),
            fp=Count("id", filter=Q(verdict=Verdict.FALSE_POSITIVE)),
        )
        .order_by("signal_source", "policy_area")
    )
    return [
        SignalPrecision(
            signal_source=row["signal_source"],
            policy_area=row["policy_area"],
            true_positives=row["tp"],
            false_positives=row["fp"],
        )
        for row in rows
    ]


@dataclass(frozen=True, kw_only=True, slots=True)
class ProjectAgreement:
    tasks: int
    complete: int
    alpha: float | None
    per_label: dict[str, float | None]
    labeler_accuracy: dict[str, float]  # Dawid–Skene's estimate over the project


def project_agreement(project: LabelingProject) -> ProjectAgreement:
    """α (nominal) over every submitted answer of the project, per label, and labelers' estimated accuracy."""
    kind = schema_from_json(project.schema).kind
    tasks = list(project.tasks.order_by("id"))
    units = [unit for found in units_of(tasks, kind).values() for unit in found]
    paired = [unit for unit in units if len(unit.answers) >= 2]
    return ProjectAgreement(
        tasks=len(tasks),
        complete=sum(task.status == TaskStatus.COMPLETE for task in tasks),
        alpha=alpha(paired),
        per_label=alpha_per_label(paired),
        labeler_accuracy=dawid_skene({u.id: u.answers for u in paired}).accuracy,
    )


def tasks_of(project: LabelingProject) -> list[LabelTask]:
    return list(
        project.tasks.select_related("title_version__title").annotate(
            answered=Count("submissions", filter=Q(submissions__status="submitted"))
        )
    )


def _marks_by_task(tasks: Sequence[LabelTask]) -> dict[int, tuple[list[engine.Mark], list[str]]]:
    found: dict[int, tuple[list[engine.Mark], list[str]]] = {task.pk: ([], []) for task in tasks}
    submissions = LabelSubmission.objects.filter(task__in=tasks, status=SubmissionStatus.SUBMITTED).order_by(
        "id"
    )
    for submission in submissions:
        found[submission.task_id][1].append(submission.labeler_name)
    labels = Label.objects.filter(
        submission__task__in=tasks, submission__status=SubmissionStatus.SUBMITTED
    ).values_list(
        "submission__task_id",
        "submission__labeler_name",
        "label",
        "start_ms",
        "end_ms",
        "cue_index",
        "frame_ms",
    )
    for task_id, labeler, label, start, end, cue, frame in labels.order_by("id"):
        found[task_id][0].append(
            engine.Mark(
                labeler=labeler, label=label, start_ms=start, end_ms=end, cue_index=cue, frame_ms=frame
            )
        )
    return found


def units_of(tasks: Sequence[LabelTask], kind: SchemaKind) -> dict[int, list[engine.Unit]]:
    """Agreement units per task, from submitted answers only (drafts are nobody's answer yet)."""
    return {
        task_id: engine.item_units(str(task_id), kind, marks, labelers)
        for task_id, (marks, labelers) in _marks_by_task(tasks).items()
    }


def task_units(task: LabelTask) -> list[engine.Unit]:
    kind = schema_from_json(task.project.schema).kind
    return units_of([task], kind)[task.pk]
