"""Projects and their tasks: create a project from a schema, fill it from its source, open the label
items (review work items of kind ``label``), training rights and export blocks."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetVersion, Title, TitleVersion
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import (
    ConsensusMethod,
    ExportBlock,
    FrameIndex,
    LabelingProject,
    LabelTask,
    SourceKind,
    TaskStatus,
    TrainingRights,
)
from shinsa.labeling.schemas import LABEL_SCHEMAS, LabelSchema
from shinsa.labeling.snapping import FrameTimes, frame_times_ms
from shinsa.media.errors import MediaError
from shinsa.media.probe import probe
from shinsa.policy.current import current_policies
from shinsa.review.actions import do_keep_item_from, do_upsert_item
from shinsa.review.actions.actors import Actor, _require
from shinsa.review.errors import ReviewError
from shinsa.review.models import Decision, WorkItemSignal, WorkKind

BLOCK_REASONS = ("illegal_bank_match", "quarantine", "legal_hold")


def label_schemas() -> Any:
    return current_policies().kinds.get(LABEL_SCHEMAS)


def schema_named(schema_id: str) -> LabelSchema | None:
    schemas = label_schemas()
    return schemas.get(schema_id) if schemas is not None else None


@transaction.atomic
def do_create_project(
    *,
    actor: Actor,
    slug: str,
    name_ja: str,
    name_en: str,
    instructions_ja: str,
    instructions_en: str,
    schema_id: str,
    policy_area: str,
    source_kind: str,
    source: dict[str, Any] | None = None,
    overlap: int = 2,
    max_labelers: int = 3,
    min_agreement: float = 0.8,
    min_signal_confidence: float = 0.0,
    consensus_method: str = ConsensusMethod.MAJORITY,
    language: str = "",
    graphic_category: str = "",
    graphic_level: int = 0,
    test_fraction: float = 0.2,
    examples: Sequence[dict[str, str]] = (),
    split_seed: str = "",
    schema: LabelSchema | None = None,
) -> LabelingProject:
    """A labeling project over one schema; items come from ``do_fill_project``."""
    _require(actor, Perm.MANAGE_DATASETS)
    policies = current_policies()
    schema = schema or schema_named(schema_id)  # an import brings the schema its labels were made under
    problems = []
    if schema is None:
        problems.append(_("Unknown label schema “%(schema)s”.") % {"schema": schema_id})
    if policy_area not in policies.areas:
        problems.append(_("Unknown policy area “%(area)s”.") % {"area": policy_area})
    if source_kind not in SourceKind.values:
        problems.append(_("Unknown source “%(source)s”.") % {"source": source_kind})
    if not 1 <= overlap <= max_labelers:
        problems.append(_("The overlap must be at least 1 and at most the labeler limit."))
    if not 0.0 <= min_agreement <= 1.0 or not 0.0 <= test_fraction <= 1.0:
        problems.append(_("Agreement thresholds and the test share are between 0 and 1."))
    if consensus_method not in ConsensusMethod.values:
        problems.append(_("Unknown consensus method “%(method)s”.") % {"method": consensus_method})
    if not all(text.strip() for text in (name_ja, name_en, instructions_ja, instructions_en)):
        problems.append(_("A project needs a name and instructions in Japanese and English."))
    if LabelingProject.objects.filter(slug=slug).exists():
        problems.append(_("A project “%(slug)s” exists already.") % {"slug": slug})
    if graphic_level and graphic_category not in policies.wellness_presets:
        problems.append(_("Unknown graphic category “%(category)s”.") % {"category": graphic_category})
    if problems:
        raise LabelingError(*problems)
    assert schema is not None
    project = LabelingProject.objects.create(
        slug=slug,
        name_ja=name_ja.strip(),
        name_en=name_en.strip(),
        instructions_ja=instructions_ja.strip(),
        instructions_en=instructions_en.strip(),
        examples=list(examples),
        schema_id=schema.id,
        schema_version=schema.version,
        schema=schema.as_json(),
        policy_area=policy_area,
        source_kind=source_kind,
        source=source or {},
        overlap=overlap,
        max_labelers=max_labelers,
        min_agreement=min_agreement,
        min_signal_confidence=min_signal_confidence,
        consensus_method=consensus_method,
        language=language,
        graphic_category=graphic_category if graphic_level else "",
        graphic_level=graphic_level,
        test_fraction=test_fraction,
        split_seed=split_seed or slug,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit.record(
        actor=actor,
        verb="labeling.project.created",
        obj=project,
        after={
            "schema": schema.id,
            "schema_version": schema.version,
            "source": source_kind,
            "overlap": overlap,
        },
    )
    return project


# --- filling a project ---------------------------------------------------------------------------


def _video_of(version: TitleVersion) -> AssetVersion | None:
    return (
        AssetVersion.objects.filter(
            asset__title_version=version, asset__kind="video", quarantined_at__isnull=True
        )
        .order_by("asset__name", "-number")
        .first()
    )


def _candidates(project: LabelingProject) -> list[dict[str, Any]]:
    """What the project's source names: one dict per task to be."""
    source = project.source or {}
    if project.source_kind == SourceKind.CATALOG:
        versions = TitleVersion.objects.select_related("title").order_by("title__external_id", "label")
        if source.get("titles"):
            versions = versions.filter(title__external_id__in=source["titles"])
        found = []
        for version in versions:
            video = _video_of(version)
            if video is None and source.get("video_only", True):
                continue
            found.append(
                {"key": f"tv:{version.title.external_id}/{version.label}", "version": version, "video": video}
            )
        return found
    if project.source_kind == SourceKind.SCREENING_HITS:
        signals = WorkItemSignal.objects.select_related("item__title_version__title").order_by("id")
        if source.get("signal_source"):
            signals = signals.filter(source=source["signal_source"])
        return [
            {
                "key": f"signal:{s.source}:{s.ref}:{s.item.title_version_id}",
                "version": s.item.title_version,
                "video": _video_of(s.item.title_version),
                "signal": s,
                "subject": {
                    "signal_source": s.source,
                    "signal_ref": s.ref,
                    "policy_area": s.item.policy_area,
                },
            }
            for s in signals
        ]
    if project.source_kind == SourceKind.DECISIONS:
        ids = sorted(Decision.objects.values_list("id", flat=True))
        chosen = random.Random(str(source.get("seed", project.slug))).sample(
            ids, min(int(source.get("sample", 50)), len(ids))
        )
        decisions = (
            Decision.objects.select_related("title_version__title").filter(id__in=chosen).order_by("id")
        )
        return [
            {
                "key": f"decision:{d.pk}",
                "version": d.title_version,
                "video": _video_of(d.title_version),
                "subject": {"decision": d.pk, "action": d.action, "clause": d.clause_id},
            }
            for d in decisions
        ]
    return []


def frame_index_for(video: AssetVersion) -> FrameIndex | None:
    """The frame times of a stored video version, read once from its packets and kept."""
    existing = FrameIndex.objects.filter(asset_version=video).first()
    if existing is not None:
        return existing
    try:
        path = video.file.path
        times = frame_times_ms(path)
        info = probe(path)
    except (MediaError, ValueError, OSError):
        return None
    track = info.video_tracks[0] if info.video_tracks else None
    index, _created = FrameIndex.objects.get_or_create(
        asset_version=video,
        defaults={
            "starts_ms": list(times.starts_ms),
            "end_ms": times.end_ms,
            "width": track.width if track else 0,
            "height": track.height if track else 0,
        },
    )
    return index


def frame_times_of(task: LabelTask) -> FrameTimes | None:
    if task.asset_version_id is None:
        return None
    index = frame_index_for(task.asset_version)
    return FrameTimes(starts_ms=tuple(index.starts_ms), end_ms=index.end_ms) if index else None


@transaction.atomic
def do_fill_project(*, actor: Actor, project: LabelingProject) -> int:
    """Create the tasks the project's source names that it lacks, each with its label item; how many."""
    _require(actor, Perm.MANAGE_DATASETS)
    existing = set(project.tasks.values_list("key", flat=True))
    created = 0
    for candidate in _candidates(project):
        if candidate["key"] in existing:
            continue
        signal = candidate.get("signal")
        confidence = signal.confidence if signal is not None else None
        target = project.overlap
        if confidence is not None and confidence < project.min_signal_confidence:
            target = min(project.overlap + 1, project.max_labelers)  # a weak signal: one more opinion
        task = LabelTask.objects.create(
            project=project,
            key=candidate["key"],
            title_version=candidate["version"],
            asset_version=candidate["video"],
            subject=candidate.get("subject", {}),
            signal_source=signal.source if signal is not None else "",
            signal_ref=signal.ref if signal is not None else "",
            signal_confidence=confidence,
            target_labelers=target,
        )
        if candidate["video"] is not None:
            frame_index_for(candidate["video"])
        open_label_item(project, task, actor="labeling")
        created += 1
    audit.record(actor=actor, verb="labeling.project.filled", obj=project, after={"created": created})
    return created


def open_label_item(
    project: LabelingProject, task: LabelTask, *, actor: Actor, keep_from: Sequence[User] = ()
) -> None:
    """Give the task a live label item routed like review work (queue, skills, exposure budget)."""
    try:
        item = do_upsert_item(
            actor=actor,
            title_version=task.title_version,
            policy_area=project.policy_area,
            kind=WorkKind.LABEL,
            severity="low",
            language=project.language,
            graphic_category=project.graphic_category,
            graphic_level=project.graphic_level,
        )
    except ReviewError as error:
        raise LabelingError(*error.messages) from None
    if keep_from:
        do_keep_item_from(
            actor=actor, item=item, people=list(keep_from), reason=_("already labeled this item")
        )
    task.work_item = item
    task.status = TaskStatus.OPEN
    task.save(update_fields=["work_item", "status"])


# --- rights and blocks ---------------------------------------------------------------------------


@transaction.atomic
def do_set_training_rights(*, actor: Actor, title: Title, allowed: bool, note: str = "") -> TrainingRights:
    """Whether the title's media may leave in training datasets."""
    _require(actor, Perm.MANAGE_DATASETS)
    row = TrainingRights.objects.filter(title=title).first()
    before = {"allowed": row.allowed} if row else None
    row, _created = TrainingRights.objects.update_or_create(
        title=title,
        defaults={
            "allowed": allowed,
            "note": note,
            "set_by": actor if isinstance(actor, User) else None,
            "set_at": timezone.now(),
        },
    )
    audit.record(
        actor=actor, verb="labeling.rights.set", obj=title, before=before, after={"allowed": allowed}
    )
    return row


@transaction.atomic
def do_block_media_export(
    *, actor: Actor, asset_version: AssetVersion, reason: str, note: str = ""
) -> ExportBlock:
    """Media that must never be exported (an illegal-content bank match, a quarantine, a legal hold).

    The banks' quarantine calls this with ``actor="screening"``; blocks are never lifted by labeling.
    """
    if reason not in BLOCK_REASONS:
        raise LabelingError(_("Unknown reason “%(reason)s”.") % {"reason": reason})
    block, created = ExportBlock.objects.get_or_create(
        asset_version=asset_version, defaults={"reason": reason, "note": note}
    )
    if created:
        audit.record(actor=actor, verb="labeling.export.blocked", obj=asset_version, after={"reason": reason})
    return block
