"""Labeling console pages: projects, claim the next item, the labeling console (the one player, marks,
autosave, submit), exposure, and a project's agreement page for dataset managers.

Thin: reads through ``access``/``queries``, writes only through actions; blind to other labelers.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shinsa.accounts.access import perm_required, require_perm, user_can
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetVersion, Title
from shinsa.labeling.access import access_project_for_manager, access_task_for_labeler
from shinsa.labeling.actions import (
    do_create_project,
    do_fill_project,
    do_save_labels,
    do_set_training_rights,
    do_submit_labels,
)
from shinsa.labeling.actions.projects import label_schemas
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.forms import ProjectForm
from shinsa.labeling.models import LabelingProject, LabelSubmission, LabelTask, TrainingRights
from shinsa.labeling.queries import project_agreement, tasks_of
from shinsa.labeling.schemas import LabelInput, SchemaKind, schema_from_json
from shinsa.policy.current import current_policies
from shinsa.review.actions import do_claim_next_item, do_record_exposure
from shinsa.review.errors import ReviewError
from shinsa.review.models import WorkKind
from shinsa.review.player import player_context
from shinsa.screening.subtitles.errors import SubtitleError
from shinsa.screening.subtitles.reader import read_subtitle_file

MAX_LABELS = 2000  # one autosave; a longer answer is not a labeling task any more


def _language() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


@perm_required(Perm.VIEW_CATALOG)
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    """Labeling projects and the button that claims the next label item (labelers and dataset managers)."""
    if not user_can(request.user, Perm.MANAGE_DATASETS):
        require_perm(request.user, Perm.REVIEW_ITEMS)
    language = _language()
    rows = []
    for project in LabelingProject.objects.order_by("slug"):
        tasks = tasks_of(project)
        rows.append(
            {
                "project": project,
                "name": project.name_ja if language == "ja" else project.name_en,
                "tasks": len(tasks),
                "complete": sum(task.status == "complete" for task in tasks),
            }
        )
    return render(
        request,
        "labeling/pages/projects.html",
        {"rows": rows, "nav": "labeling", "manager": user_can(request.user, Perm.MANAGE_DATASETS)},
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    item = do_claim_next_item(actor=request.user, kind=WorkKind.LABEL)
    task = LabelTask.objects.filter(work_item=item).first() if item is not None else None
    if task is None:
        messages.info(request, _("No item is waiting for you to label."))
        return redirect("labeling:projects")
    return redirect("labeling:task", task_id=task.pk)


def _cues(task: LabelTask) -> list[dict[str, Any]]:
    """Subtitle cues of the task's cut in the project's language, for cue-span labeling."""
    found = (
        AssetVersion.objects.filter(
            asset__title_version=task.title_version,
            asset__kind="subtitle",
            asset__language__startswith=task.project.language or "",
            quarantined_at__isnull=True,
        )
        .order_by("asset__language", "-number")
        .first()
    )
    if found is None:
        return []
    try:
        track = read_subtitle_file(found.file.path)
    except (SubtitleError, ValueError, OSError):
        return []
    return [
        {"index": index, "start_ms": cue.start_ms, "end_ms": cue.end_ms, "text": cue.text}
        for index, cue in enumerate(track.cues)
    ]


def _label_json(label: Any) -> dict[str, Any]:
    return {
        key: value
        for key, value in {
            "label": label.label,
            "start_ms": label.start_ms,
            "end_ms": label.end_ms,
            "cue_index": label.cue_index,
            "text_start": label.text_start,
            "text_end": label.text_end,
            "frame_ms": label.frame_ms,
            "box": label.box,
            "attributes": label.attributes or None,
        }.items()
        if value is not None
    }


@perm_required(Perm.REVIEW_ITEMS)
@require_GET
def task(request: HttpRequest, task_id: int) -> HttpResponse:
    """The labeling console: instructions, the player, the labeler's own marks (never anyone else's)."""
    found = access_task_for_labeler(request.user, task_id)
    project = found.project
    schema = schema_from_json(project.schema)
    language = _language()
    own = LabelSubmission.objects.filter(task=found, labeler_name=request.user.username).first()
    player = None
    if found.asset_version is not None:
        player = player_context(
            request.user,
            found.asset_version,
            category=project.graphic_category,
            exposure_url=reverse("labeling:exposure", args=[found.pk]) if project.graphic_category else None,
            form="[data-label-form]",
        )
    config = {
        "kind": schema.kind.value,
        "autosaveUrl": reverse("labeling:autosave", args=[found.pk]),
        "classes": [{"id": c.id, "name": c.name.in_language(language)} for c in schema.classes],
        "labels": [_label_json(label) for label in own.labels.all()] if own else [],
        "cues": _cues(found) if schema.kind is SchemaKind.CUE_SPANS else [],
    }
    return render(
        request,
        "labeling/pages/task.html",
        {
            "task": found,
            "project": project,
            "schema": schema,
            "schema_name": schema.name.in_language(language),
            "classes": config["classes"],
            "name": project.name_ja if language == "ja" else project.name_en,
            "instructions": project.instructions_ja if language == "ja" else project.instructions_en,
            "examples": [example.get(language, "") for example in project.examples],
            "player": player,
            "config_json": json.dumps(config, ensure_ascii=False, separators=(",", ":")),
            "nav": "labeling",
        },
    )


def _marks(payload: Any) -> list[LabelInput]:
    """The labels of an autosave body; ValueError on anything else."""
    if not isinstance(payload, dict) or not isinstance(payload.get("labels"), list):
        raise ValueError("labels")
    if len(payload["labels"]) > MAX_LABELS:
        raise ValueError("too many")
    marks = []
    for raw in payload["labels"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
            raise ValueError("label")

        def number(key: str, raw: dict[str, Any] = raw) -> int | None:
            value = raw.get(key)
            if value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(key)
            return int(value)

        box = raw.get("box")
        if box is not None and (
            not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, int | float) for v in box)
        ):
            raise ValueError("box")
        attributes = raw.get("attributes") or {}
        if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
            raise ValueError("attributes")
        marks.append(
            LabelInput(
                label=raw["label"],
                start_ms=number("start_ms"),
                end_ms=number("end_ms"),
                cue_index=number("cue_index"),
                text_start=number("text_start"),
                text_end=number("text_end"),
                frame_ms=number("frame_ms"),
                box=tuple(float(v) for v in box) if box else None,  # type: ignore[arg-type]
                attributes=attributes,
            )
        )
    return marks


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def autosave(request: HttpRequest, task_id: int) -> HttpResponse:
    """Save the holder's draft: JSON ``{"labels": [...]}``; answers the stored labels (edges snapped)."""
    found = access_task_for_labeler(request.user, task_id)
    try:
        marks = _marks(json.loads(request.body or b"{}"))
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": [_("The labels could not be read.")]}, status=400)
    try:
        submission = do_save_labels(actor=request.user, task=found, labels=marks)
    except LabelingError as error:
        return JsonResponse({"errors": list(error.messages)}, status=400)
    return JsonResponse(
        {
            "saved": submission.saved_at.isoformat(),
            "labels": [_label_json(x) for x in submission.labels.all()],
        }
    )


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def submit(request: HttpRequest, task_id: int) -> HttpResponse:
    """Submit the saved draft (the page autosaves before it posts here) and go to the next item."""
    found = access_task_for_labeler(request.user, task_id)
    try:
        do_submit_labels(actor=request.user, task=found)
    except LabelingError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("labeling:task", task_id=found.pk)
    messages.success(request, _("Submitted. Thank you."))
    if request.POST.get("next") == "1":
        return claim_next(request)
    return redirect("labeling:projects")


@perm_required(Perm.REVIEW_ITEMS)
@require_POST
def exposure(request: HttpRequest, task_id: int) -> HttpResponse:
    """Viewing time of graphic media (the player posts it), counted against the daily budget."""
    found = access_task_for_labeler(request.user, task_id)
    try:
        viewed = int(request.POST.get("viewed_ms", ""))
        entry = do_record_exposure(actor=request.user, item=found.work_item, viewed_ms=viewed)
    except (ValueError, ReviewError):
        return JsonResponse({"errors": [_("Viewing time must be positive.")]}, status=400)
    return JsonResponse({"weighted_ms": entry.weighted_ms if entry else 0})


def _project_form(request: HttpRequest, data: Any = None) -> ProjectForm:
    policies = current_policies()
    return ProjectForm(
        data,
        schemas=label_schemas() or (),
        areas=policies.areas,
        categories=policies.wellness_presets,
        language=_language(),
    )


@perm_required(Perm.MANAGE_DATASETS)
def new_project(request: HttpRequest) -> HttpResponse:
    """Create a project and fill it from its source (its items open as label work at once)."""
    form = _project_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {
            key: value
            for key, value in form.cleaned_data.items()
            if key not in ("titles", "signal_source", "sample")
        }
        try:
            created = do_create_project(actor=request.user, source=form.source(), **data)
            filled = do_fill_project(actor=request.user, project=created)
        except LabelingError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Project created with %(count)d items.") % {"count": filled})
            return redirect("labeling:project", slug=created.slug)
    return render(request, "labeling/pages/new_project.html", {"form": form, "nav": "labeling"})


@perm_required(Perm.MANAGE_DATASETS)
@require_POST
def fill_project(request: HttpRequest, slug: str) -> HttpResponse:
    """Add the items the project's source names now (new titles, new screening hits)."""
    found = access_project_for_manager(request.user, slug)
    added = do_fill_project(actor=request.user, project=found)
    messages.success(request, _("%(count)d items added.") % {"count": added})
    return redirect("labeling:project", slug=found.slug)


@perm_required(Perm.MANAGE_DATASETS)
@require_GET
def project(request: HttpRequest, slug: str) -> HttpResponse:
    """A project's agreement (α over all labels and per label), labelers' estimated accuracy, items and
    snapshots. Shown to dataset managers only: labelers stay blind to each other."""
    found = access_project_for_manager(request.user, slug)
    figures = project_agreement(found)
    language = _language()
    schema = schema_from_json(found.schema)
    names = {c.id: c.name.in_language(language) for c in schema.classes}
    titles = (
        Title.objects.filter(versions__in=found.tasks.values("title_version"))
        .distinct()
        .order_by("external_id")
    )
    allowed = set(TrainingRights.objects.filter(allowed=True).values_list("title_id", flat=True))
    return render(
        request,
        "labeling/pages/project.html",
        {
            "project": found,
            "name": found.name_ja if language == "ja" else found.name_en,
            "figures": figures,
            "per_label": [(names.get(k, k), v) for k, v in figures.per_label.items()],
            "accuracy": sorted(figures.labeler_accuracy.items()),
            "tasks": tasks_of(found),
            "snapshots": found.snapshots.order_by("-number")[:20],
            "rights": [(title, title.pk in allowed) for title in titles],
            "nav": "labeling",
        },
    )


@perm_required(Perm.MANAGE_DATASETS)
@require_POST
def set_rights(request: HttpRequest, external_id: str) -> HttpResponse:
    """Allow or stop exporting a title's media for training (the per-title rights flag)."""
    title = Title.objects.filter(external_id=external_id).first()
    if title is None:
        raise Http404("no such title")
    allowed = request.POST.get("allowed") == "1"
    do_set_training_rights(
        actor=request.user, title=title, allowed=allowed, note=request.POST.get("note", "")
    )
    messages.success(request, _("Training rights saved."))
    back = request.POST.get("project", "")
    if LabelingProject.objects.filter(slug=back).exists():
        return redirect("labeling:project", slug=back)
    return redirect("labeling:projects")
