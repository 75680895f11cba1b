"""Dataset snapshots, export and import.

A snapshot is written from the database in batches to one canonical JSONL file under the media root
(``datasets/<project>/<sha256>.jsonl``); an export writes the project's latest snapshot, making a new
one first when the content changed (labels, consensus, rights or blocks). Items whose title's rights do
not allow training, or whose media is blocked (illegal-content bank match, quarantine), never enter a
snapshot; the header counts what was withheld.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetVersion, Title, TitleVersion
from shinsa.labeling import consensus as engine
from shinsa.labeling import writers
from shinsa.labeling.actions.answers import units_of
from shinsa.labeling.actions.projects import do_create_project
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import (
    ConsensusLabel,
    DatasetSnapshot,
    ExportBlock,
    FrameIndex,
    Label,
    LabelingProject,
    LabelSubmission,
    LabelTask,
    SourceKind,
    SubmissionStatus,
    TaskStatus,
    TrainingRights,
)
from shinsa.labeling.schemas import schema_from_json
from shinsa.labeling.splits import split_of
from shinsa.policy.errors import PolicyFileError
from shinsa.review.actions.actors import Actor, _require

BATCH = 500
LABEL_KEYS = ("start_ms", "end_ms", "cue_index", "text_start", "text_end", "frame_ms", "box")
CONSENSUS_KEYS = ("start_ms", "end_ms", "cue_index", "frame_ms")
PROJECT_KEYS = (
    "name_ja",
    "name_en",
    "instructions_ja",
    "instructions_en",
    "examples",
    "policy_area",
    "overlap",
    "max_labelers",
    "min_agreement",
    "min_signal_confidence",
    "consensus_method",
    "language",
    "graphic_category",
    "graphic_level",
    "test_fraction",
    "split_seed",
)


def _datasets_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "datasets"


def snapshot_path(snapshot: DatasetSnapshot) -> Path:
    return _datasets_root() / snapshot.file


# --- what goes in ----------------------------------------------------------------------------------


def _root_title(title: Title, cache: dict[int, str]) -> str:
    """The group of a title for splits: the series of an episode, the film itself."""
    if title.pk not in cache:
        top = title
        while top.parent_id is not None:
            top = Title.objects.get(pk=top.parent_id)
        cache[title.pk] = top.external_id
    return cache[title.pk]


def exportable_tasks(project: LabelingProject) -> tuple[list[int], dict[str, int]]:
    """Ids of the tasks a snapshot holds (some answer submitted, rights allow, media not blocked), and
    how many were withheld for each reason."""
    answered = project.tasks.filter(submissions__status=SubmissionStatus.SUBMITTED).distinct()
    allowed_titles = set(TrainingRights.objects.filter(allowed=True).values_list("title_id", flat=True))
    # Blocked: media marked never to export, and every cut holding quarantined media (an illegal-content
    # bank match), whichever of its files the task shows.
    blocked_media = set(ExportBlock.objects.values_list("asset_version_id", flat=True))
    blocked_versions = set(
        AssetVersion.objects.filter(quarantined_at__isnull=False).values_list(
            "asset__title_version_id", flat=True
        )
    )
    kept, withheld = [], {"no_training_rights": 0, "blocked_media": 0}
    rows = answered.values_list("id", "title_version__title_id", "asset_version_id", "title_version_id")
    for task_id, title_id, asset_id, version_id in rows.order_by("id"):
        if asset_id in blocked_media or version_id in blocked_versions:
            withheld["blocked_media"] += 1
        elif title_id not in allowed_titles:
            withheld["no_training_rights"] += 1
        else:
            kept.append(task_id)
    return kept, withheld


def _label_record(label: Label, labeler: str) -> dict[str, Any]:
    record: dict[str, Any] = {"labeler": labeler, "label": label.label}
    for key in LABEL_KEYS:
        value = getattr(label, key)
        if value is not None:
            record[key] = value
    if label.attributes:
        record["attributes"] = label.attributes
    return record


def _consensus_record(row: ConsensusLabel) -> dict[str, Any]:
    record: dict[str, Any] = {
        "label": row.label,
        "method": row.method,
        "posterior": row.posterior,
        "support": row.support,
    }
    for key in CONSENSUS_KEYS:
        value = getattr(row, key)
        if value is not None:
            record[key] = value
    return record


def _media(task: LabelTask, frames: dict[int, FrameIndex]) -> dict[str, Any] | None:
    video = task.asset_version
    if video is None:
        return None
    index = frames.get(video.pk)
    return {
        "sha256": video.sha256,
        "media_type": video.media_type,
        "uri": f"shinsa:asset-version/{video.sha256}",
        "width": index.width if index else None,
        "height": index.height if index else None,
        "duration_ms": index.end_ms if index else None,
    }


def _items(project: LabelingProject, task_ids: list[int]) -> Iterator[dict[str, Any]]:
    groups: dict[int, str] = {}
    for start in range(0, len(task_ids), BATCH):
        batch = list(
            LabelTask.objects.filter(id__in=task_ids[start : start + BATCH])
            .select_related("title_version__title", "asset_version")
            .order_by("id")
        )
        submissions: dict[int, list[LabelSubmission]] = {t.pk: [] for t in batch}
        for submission in LabelSubmission.objects.filter(
            task__in=batch, status=SubmissionStatus.SUBMITTED
        ).order_by("labeler_name"):
            submissions[submission.task_id].append(submission)
        labels: dict[int, list[Label]] = {}
        for label in Label.objects.filter(
            submission__task__in=batch, submission__status=SubmissionStatus.SUBMITTED
        ).order_by("id"):
            labels.setdefault(label.submission_id, []).append(label)
        consensus: dict[int, list[ConsensusLabel]] = {}
        for row in ConsensusLabel.objects.filter(task__in=batch).order_by("id"):
            consensus.setdefault(row.task_id, []).append(row)
        frames = {
            f.asset_version_id: f
            for f in FrameIndex.objects.filter(
                asset_version__in=[t.asset_version_id for t in batch if t.asset_version_id]
            )
        }
        for task in batch:
            title = task.title_version.title
            group = _root_title(title, groups)
            raw = [
                _label_record(label, s.labeler_name)
                for s in submissions[task.pk]
                for label in labels.get(s.pk, ())
            ]
            raw.sort(
                key=lambda r: (
                    r["labeler"],
                    r.get("start_ms") or 0,
                    r.get("cue_index") or 0,
                    r.get("frame_ms") or 0,
                    r["label"],
                    r.get("end_ms") or 0,
                )
            )
            yield {
                "item": task.key,
                "title": title.external_id,
                "version": task.title_version.label,
                "group": group,
                "split": split_of(group, test_fraction=project.test_fraction, seed=project.split_seed),
                "media": _media(task, frames),
                "subject": task.subject,
                "signal": {
                    "source": task.signal_source,
                    "ref": task.signal_ref,
                    "confidence": task.signal_confidence,
                }
                if task.signal_source
                else None,
                "status": task.status,
                "target_labelers": task.target_labelers,
                "agreement": task.agreement,
                "labelers": [s.labeler_name for s in submissions[task.pk]],
                "labels": raw,
                "consensus": [_consensus_record(row) for row in consensus.get(task.pk, ())],
            }


def _header(project: LabelingProject, task_ids: list[int], withheld: dict[str, int]) -> dict[str, Any]:
    schema = schema_from_json(project.schema)
    tasks = list(LabelTask.objects.filter(id__in=task_ids).order_by("id"))
    units = [unit for found in units_of(tasks, schema.kind).values() for unit in found]
    alpha = engine.alpha(units)
    per_label = engine.alpha_per_label(units)
    labels = Label.objects.filter(
        submission__task_id__in=task_ids, submission__status=SubmissionStatus.SUBMITTED
    ).count()
    return {
        "project": project.slug,
        "settings": {key: getattr(project, key) for key in PROJECT_KEYS},
        "schema": project.schema,
        "items": len(task_ids),
        "labels": labels,
        "agreement": None if alpha is None else round(alpha, 6),
        "agreement_per_label": {k: None if v is None else round(v, 6) for k, v in per_label.items()},
        "withheld": withheld,
    }


@transaction.atomic
def do_snapshot_project(*, actor: Actor, project: LabelingProject) -> tuple[DatasetSnapshot, bool]:
    """The project's latest snapshot, and whether it was made now (the content differed from the last)."""
    _require(actor, Perm.MANAGE_DATASETS)
    task_ids, withheld = exportable_tasks(project)
    header = _header(project, task_ids, withheld)
    folder = _datasets_root() / project.slug
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        digest = writers.write_canonical(temporary_path, header, _items(project, task_ids))
        latest = project.snapshots.order_by("-number").first()
        if latest is not None and latest.content_hash == digest and snapshot_path(latest).exists():
            return latest, False
        final = folder / f"{digest}.jsonl"
        os.replace(temporary_path, final)
    finally:
        temporary_path.unlink(missing_ok=True)
    number = (project.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = DatasetSnapshot.objects.create(
        project=project,
        number=number,
        content_hash=digest,
        file=f"{project.slug}/{digest}.jsonl",
        items=header["items"],
        labels=header["labels"],
        agreement=header["agreement"],
        schema_version=project.schema_version,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit.record(
        actor=actor,
        verb="labeling.snapshot.created",
        obj=snapshot,
        after={
            "content_hash": digest,
            "items": snapshot.items,
            "labels": snapshot.labels,
            "withheld": withheld,
        },
    )
    return snapshot, True


def do_export_dataset(
    *, actor: Actor, project: LabelingProject, fmt: str, out: Path
) -> tuple[DatasetSnapshot, list[Path]]:
    """Write the latest snapshot (made now if labels changed) as ``fmt`` to ``out``; audited."""
    if fmt not in writers.FORMATS:
        raise LabelingError(_("Unknown format “%(format)s”.") % {"format": fmt})
    snapshot, _created = do_snapshot_project(actor=actor, project=project)
    if fmt in writers.FOLDER_FORMATS and out.exists() and not out.is_dir():
        raise LabelingError(_("%(path)s is a file; this format writes a folder.") % {"path": out})
    if fmt not in writers.FOLDER_FORMATS and out.is_dir():
        raise LabelingError(_("%(path)s is a folder; this format writes a file.") % {"path": out})
    if not out.parent.is_dir():
        raise LabelingError(_("The folder %(path)s does not exist.") % {"path": out.parent})
    written = writers.export(snapshot_path(snapshot), fmt, out)
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="labeling.dataset.exported",
            obj=snapshot,
            after={"format": fmt, "content_hash": snapshot.content_hash, "files": len(written)},
        )
    return snapshot, written


# --- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportResult:
    project: LabelingProject
    items: int
    labels: int


def _project_for_import(actor: Actor, slug: str, header: dict[str, Any]) -> LabelingProject:
    try:
        schema = schema_from_json(header.get("schema") or {})
    except PolicyFileError:
        raise LabelingError(_("The file's first line holds no valid label schema.")) from None
    project = LabelingProject.objects.filter(slug=slug).first()
    if project is not None:
        if project.schema_id != schema.id:
            raise LabelingError(
                _("The file holds labels of the schema “%(file)s”; the project uses “%(project)s”.")
                % {"file": schema.id, "project": project.schema_id}
            )
        return project
    found = header.get("settings") or {}
    options = {key: found[key] for key in PROJECT_KEYS if key in found}
    project = do_create_project(
        actor=actor,
        slug=slug,
        schema_id=schema.id,
        source_kind=SourceKind.IMPORTED,
        schema=schema,
        **options,
    )
    return project


def _version_of(record: dict[str, Any], number: int) -> TitleVersion:
    version = TitleVersion.objects.filter(
        title__external_id=record.get("title"), label=record.get("version")
    ).first()
    if version is None:
        raise LabelingError(
            _("Line %(line)d: the catalog has no title “%(title)s” version “%(version)s”.")
            % {"line": number, "title": record.get("title"), "version": record.get("version")}
        )
    return version


def _label_from(record: dict[str, Any], number: int) -> Label:
    try:
        return Label(
            label=str(record["label"]),
            attributes=dict(record.get("attributes") or {}),
            **{key: record.get(key) for key in LABEL_KEYS},
        )
    except (KeyError, TypeError, ValueError):
        raise LabelingError(_("Line %(line)d: a label is missing its fields.") % {"line": number}) from None


@transaction.atomic
def do_import_dataset(*, actor: Actor, project_slug: str, path: Path) -> ImportResult:
    """Read a ``jsonl`` export into ``project_slug`` (made from the file's header when it does not exist).

    All or nothing: one bad line stores nothing. A labeler's answer in the file replaces that labeler's
    answer on the same item; consensus and agreement come back as the file states them.
    """
    _require(actor, Perm.MANAGE_DATASETS)
    try:
        handle = path.open(encoding="utf-8")
    except OSError:
        raise LabelingError(_("Cannot read %(path)s.") % {"path": path}) from None
    items = labels = 0
    with handle:
        try:
            header, records = writers.read_snapshot(handle)
            project = _project_for_import(actor, project_slug, header)
            for number, record in enumerate(records, start=2):
                labels += _import_item(project, record, number)
                items += 1
        except writers.DatasetFormatError as error:
            reason = {
                "empty": _("the file is empty."),
                "not_snapshot": _("not a Shinsa labels file (shinsa-labels/1)."),
                "not_item": _("an item needs an item key and a list of labels."),
                "not_json": _("not JSON."),
                "not_object": _("each line must be a JSON object."),
            }.get(error.code, error.reason)
            raise LabelingError(
                _("Line %(line)s: %(reason)s") % {"line": error.line or 1, "reason": reason}
            ) from None
        except UnicodeDecodeError:
            raise LabelingError(_("%(path)s is not UTF-8 text.") % {"path": path}) from None
    audit.record(
        actor=actor, verb="labeling.dataset.imported", obj=project, after={"items": items, "labels": labels}
    )
    return ImportResult(project=project, items=items, labels=labels)


def _import_item(project: LabelingProject, record: dict[str, Any], number: int) -> int:
    version = _version_of(record, number)
    media = record.get("media") or {}
    video = (
        AssetVersion.objects.filter(asset__title_version=version, sha256=media["sha256"]).first()
        if media.get("sha256")
        else None
    )
    signal = record.get("signal") or {}
    task, _created = LabelTask.objects.update_or_create(
        project=project,
        key=record["item"],
        defaults={
            "title_version": version,
            "asset_version": video,
            "subject": record.get("subject") or {},
            "signal_source": signal.get("source", ""),
            "signal_ref": signal.get("ref", ""),
            "signal_confidence": signal.get("confidence"),
            "target_labelers": int(record.get("target_labelers") or project.overlap),
            "status": record.get("status")
            if record.get("status") in TaskStatus.values
            else TaskStatus.COMPLETE,
            "agreement": record.get("agreement"),
        },
    )
    by_labeler: dict[str, list[Label]] = {name: [] for name in record.get("labelers", ())}
    for raw in record["labels"]:
        if not isinstance(raw, dict) or not raw.get("labeler"):
            raise LabelingError(_("Line %(line)d: a label is missing its fields.") % {"line": number})
        by_labeler.setdefault(str(raw["labeler"]), []).append(_label_from(raw, number))
    count = 0
    for name, rows in by_labeler.items():
        submission, _made = LabelSubmission.objects.update_or_create(
            task=task,
            labeler_name=name,
            defaults={
                "labeler": User.objects.filter(username=name).first(),
                "status": SubmissionStatus.SUBMITTED,
                "submitted_at": task.created_at,
            },
        )
        submission.labels.all().delete()
        for row in rows:
            row.submission = submission
        Label.objects.bulk_create(rows)
        count += len(rows)
    ConsensusLabel.objects.filter(task=task).delete()
    ConsensusLabel.objects.bulk_create(
        ConsensusLabel(
            task=task,
            label=str(mark["label"]),
            method=str(mark.get("method", "")),
            posterior=mark.get("posterior") or {},
            support=int(mark.get("support", 0)),
            **{key: mark.get(key) for key in CONSENSUS_KEYS},
        )
        for mark in record.get("consensus", ())
    )
    return count


def dataset_list() -> list[dict[str, Any]]:
    """``shinsa dataset list --json``: each project's latest snapshot."""
    rows = []
    for project in LabelingProject.objects.order_by("slug"):
        latest = project.snapshots.order_by("-number").first()
        rows.append(
            {
                "project": project.slug,
                "snapshot": latest.name if latest else "",
                "items": latest.items if latest else 0,
                "labels": latest.labels if latest else 0,
                "agreement": latest.agreement if latest else None,
            }
        )
    return rows
