"""Checks of a parsed manifest against what the catalog already holds (the parser cannot see the database)."""

from __future__ import annotations

from shinsa.catalog.manifest import IngestError, ParsedManifest, Reason
from shinsa.catalog.manifest.entries import PARENT_KINDS, TitleKind
from shinsa.catalog.models import ExternalId, Title


def find_conflicts(manifest: ParsedManifest) -> list[IngestError]:
    """Kind changes, unknown or wrong-kind parents, external ids and numbers held by other titles."""
    errors: list[IngestError] = []
    in_file = {entry.external_id: entry for entry in manifest.titles}
    wanted = set(in_file) | {entry.parent for entry in manifest.titles if entry.parent}
    stored = Title.objects.in_bulk(list(wanted), field_name="external_id")
    for entry in manifest.titles:
        existing = stored.get(entry.external_id)
        if existing is not None and existing.kind != entry.kind.value:
            errors.append(entry.where.error("kind", Reason.KIND_CHANGED, was=existing.kind))
        if entry.parent and entry.parent not in in_file:
            parent = stored.get(entry.parent)
            if parent is None:
                errors.append(entry.where.error("parent", Reason.PARENT_UNKNOWN, parent=entry.parent))
            elif TitleKind(parent.kind) not in PARENT_KINDS[entry.kind]:
                allowed = ", ".join(sorted(kind.value for kind in PARENT_KINDS[entry.kind]))
                errors.append(
                    entry.where.error("parent", Reason.PARENT_KIND, parent_kind=parent.kind, allowed=allowed)
                )
    errors += _taken_external_ids(manifest)
    errors += _taken_numbers(manifest, stored)
    return errors


def _taken_external_ids(manifest: ParsedManifest) -> list[IngestError]:
    errors = []
    for entry in manifest.titles:
        for namespace, value in entry.external_ids:
            holder = (
                ExternalId.objects.filter(namespace=namespace, value=value)
                .exclude(title__external_id=entry.external_id)
                .values_list("title__external_id", flat=True)
                .first()
            )
            if holder is not None:
                errors.append(
                    entry.where.error(
                        "external_ids", Reason.EXTERNAL_ID_TAKEN, namespace=namespace, holder=holder
                    )
                )
    return errors


def _taken_numbers(manifest: ParsedManifest, stored: dict[str, Title]) -> list[IngestError]:
    errors = []
    in_file = {entry.external_id for entry in manifest.titles}
    for entry in manifest.titles:
        parent = stored.get(entry.parent) if entry.parent else None
        if parent is None or entry.number is None:
            continue  # a parent new in this file has no stored children to collide with
        holder = (
            Title.objects.filter(parent=parent, kind=entry.kind.value, number=entry.number)
            .exclude(external_id=entry.external_id)
            .values_list("external_id", flat=True)
            .first()
        )
        if holder is not None and holder not in in_file:
            errors.append(
                entry.where.error("number", Reason.NUMBER_TAKEN, number=entry.number, holder=holder)
            )
    return errors
