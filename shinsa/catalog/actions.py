"""The only writers of the catalog. Each change is audited in the transaction that makes it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from shinsa import audit
from shinsa.catalog.conflicts import find_conflicts
from shinsa.catalog.manifest import IngestError, ManifestErrors, ParsedManifest, Reason
from shinsa.catalog.manifest.entries import AssetEntry, TitleEntry, TitleKind, VersionEntry
from shinsa.catalog.models import (
    Asset,
    AssetVersion,
    Availability,
    ExternalId,
    Fingerprint,
    Rendition,
    Title,
    TitleVersion,
)
from shinsa.catalog.storage import ContentChanged, storage_name, store_file

_KIND_ORDER = {TitleKind.FILM: 0, TitleKind.SERIES: 0, TitleKind.SEASON: 1, TitleKind.EPISODE: 2}
_TITLE_FIELDS = ("parent", "number", "original_title", "original_language", "year")


@dataclass
class IngestSummary:
    """Counts of what an ingest created, changed and left as it was."""

    titles: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)
    asset_versions: Counter[str] = field(default_factory=Counter)
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        def counts(counter: Counter[str], keys: tuple[str, ...]) -> dict[str, int]:
            return {key: counter[key] for key in keys}

        return {
            "dry_run": self.dry_run,
            "titles": counts(self.titles, ("created", "updated", "unchanged")),
            "versions": counts(self.versions, ("created", "updated", "unchanged")),
            "asset_versions": counts(self.asset_versions, ("created", "unchanged")),
        }


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


def do_ingest_manifest(
    *, actor: Any, manifest: ParsedManifest, source_dir: Path, dry_run: bool = False
) -> IngestSummary:
    """Create or update the titles, versions and assets of a checked manifest: all of it or nothing.

    Files are copied to content-addressed storage before the transaction (so a large copy never holds
    the database's write lock); if the transaction then fails, the copies are harmless leftovers that the
    next ingest of the same content reuses. New file asset versions get a fingerprint task after commit.
    ``dry_run`` does every check and write, reports the counts, then rolls back and copies nothing.
    Raises ``ManifestErrors`` for problems against the catalog's current state.
    """
    conflicts = find_conflicts(manifest)
    if conflicts:
        raise ManifestErrors(conflicts)
    if not dry_run:
        _store_files(manifest, source_dir)
    summary = IngestSummary(dry_run=dry_run)
    try:
        with transaction.atomic():
            conflicts = find_conflicts(manifest)  # again, inside the transaction that writes
            if conflicts:
                raise ManifestErrors(conflicts)
            _write(actor, manifest, summary)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError:
        # Another writer changed the same titles between our checks and our writes.
        raise ManifestErrors([IngestError(None, None, Reason.CATALOG_CONFLICT)]) from None
    return summary


def _store_files(manifest: ParsedManifest, source_dir: Path) -> None:
    base = source_dir.resolve()
    for asset in _all_assets(manifest):
        if asset.source is None:
            continue
        source = asset.source.resolve()
        if not source.is_relative_to(base):  # a ParsedManifest built elsewhere gets the same guard
            raise ManifestErrors([asset.where.error("path", Reason.PATH_OUTSIDE)])
        try:
            store_file(source, asset.sha256, asset.extension)
        except ContentChanged:
            raise ManifestErrors([asset.where.error("path", Reason.FILE_CHANGED)]) from None


def _all_assets(manifest: ParsedManifest) -> list[AssetEntry]:
    return [asset for title in manifest.titles for version in title.versions for asset in version.assets]


def _write(actor: Any, manifest: ParsedManifest, summary: IngestSummary) -> None:
    entries = sorted(manifest.titles, key=lambda entry: _KIND_ORDER[entry.kind])
    wanted = {entry.external_id for entry in entries} | {entry.parent for entry in entries if entry.parent}
    titles = Title.objects.in_bulk(list(wanted), field_name="external_id")
    for entry in entries:
        titles[entry.external_id] = _upsert_title(actor, entry, titles, summary)
    for entry in entries:
        for version_entry in entry.versions:
            version = _upsert_version(actor, titles[entry.external_id], version_entry, summary)
            for asset_entry in version_entry.assets:
                _add_asset_version(actor, version, asset_entry, summary)


def _title_state(
    title: Title, parent_external_id: str | None, external_ids: dict[str, str]
) -> dict[str, Any]:
    return {
        "parent": parent_external_id,
        "number": title.number,
        "original_title": title.original_title[:200],
        "original_language": title.original_language,
        "year": title.year,
        "external_ids": external_ids,
    }


def _upsert_title(actor: Any, entry: TitleEntry, titles: dict[str, Title], summary: IngestSummary) -> Title:
    parent = titles[entry.parent] if entry.parent else None
    wanted = {
        "parent": parent,
        "number": entry.number,
        "original_title": entry.original_title,
        "original_language": entry.original_language,
        "year": entry.year,
    }
    title = titles.get(entry.external_id)
    if title is None:
        title = Title.objects.create(external_id=entry.external_id, kind=entry.kind.value, **wanted)
        ExternalId.objects.bulk_create(
            ExternalId(title=title, namespace=ns, value=v) for ns, v in entry.external_ids
        )
        after = _title_state(title, entry.parent, dict(entry.external_ids)) | {"kind": entry.kind.value}
        audit.record(
            actor=actor,
            verb="catalog.title.created",
            obj=title,
            after={"external_id": title.external_id} | after,
        )
        summary.titles["created"] += 1
        return title
    old_parent = titles.get(entry.parent) if entry.parent else None
    stored_ids = dict(title.external_ids.values_list("namespace", "value"))
    before = _title_state(title, _parent_external_id(title, old_parent), stored_ids)
    for name in _TITLE_FIELDS:
        setattr(title, name, wanted[name])
    for namespace, value in entry.external_ids:
        if stored_ids.get(namespace) != value:
            ExternalId.objects.update_or_create(title=title, namespace=namespace, defaults={"value": value})
    after = _title_state(title, entry.parent, stored_ids | dict(entry.external_ids))
    changed = {key for key in after if after[key] != before[key]}
    if not changed:
        summary.titles["unchanged"] += 1
        return title
    title.updated_at = timezone.now()
    title.save()
    audit.record(
        actor=actor,
        verb="catalog.title.updated",
        obj=title,
        before={key: before[key] for key in sorted(changed)},
        after={key: after[key] for key in sorted(changed)},
    )
    summary.titles["updated"] += 1
    return title


def _parent_external_id(title: Title, candidate: Title | None) -> str | None:
    if title.parent_id is None:
        return None
    if candidate is not None and candidate.pk == title.parent_id:
        return candidate.external_id
    return Title.objects.values_list("external_id", flat=True).get(pk=title.parent_id)


def _windows(version: TitleVersion) -> list[list[str | None]]:
    return [
        [w.territory, w.starts_on.isoformat(), w.ends_on.isoformat() if w.ends_on else None]
        for w in version.availability.order_by("territory", "starts_on")
    ]


def _upsert_version(actor: Any, title: Title, entry: VersionEntry, summary: IngestSummary) -> TitleVersion:
    version, created = TitleVersion.objects.get_or_create(title=title, label=entry.label)
    before = [] if created else _windows(version)
    if entry.availability is not None:
        wanted = [
            [w.territory, w.start.isoformat(), w.end.isoformat() if w.end else None]
            for w in entry.availability
        ]
        if wanted != before:
            version.availability.all().delete()
            Availability.objects.bulk_create(
                Availability(title_version=version, territory=w.territory, starts_on=w.start, ends_on=w.end)
                for w in entry.availability
            )
    after = _windows(version)
    summary_fields = {"title": title.external_id, "label": version.label}
    if created:
        audit.record(
            actor=actor,
            verb="catalog.version.created",
            obj=version,
            after=summary_fields | {"availability": after},
        )
        summary.versions["created"] += 1
    elif after != before:
        version.updated_at = timezone.now()
        version.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            verb="catalog.version.updated",
            obj=version,
            before=summary_fields | {"availability": before},
            after=summary_fields | {"availability": after},
        )
        summary.versions["updated"] += 1
    else:
        summary.versions["unchanged"] += 1
    return version


def _add_asset_version(actor: Any, version: TitleVersion, entry: AssetEntry, summary: IngestSummary) -> None:
    asset, _ = Asset.objects.get_or_create(
        title_version=version, kind=entry.kind.value, language=entry.language, name=entry.name
    )
    latest = AssetVersion.objects.select_for_update().filter(asset=asset).order_by("-number").first()
    if latest is not None and latest.sha256 == entry.sha256:
        summary.asset_versions["unchanged"] += 1
        return
    asset_version = AssetVersion.objects.create(
        asset=asset,
        number=latest.number + 1 if latest else 1,
        sha256=entry.sha256,
        size_bytes=entry.size_bytes,
        file=storage_name(entry.sha256, entry.extension) if entry.source else "",
        source_path=entry.source_path,
        media_type=entry.media_type,
        source_encoding=entry.encoding,
        metadata=entry.metadata.as_json() if entry.metadata else None,
        created_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="catalog.asset_version.created",
        obj=asset_version,
        after={
            "asset": asset.pk,
            "title": version.title.external_id,
            "version": version.label,
            "kind": asset.kind,
            "language": asset.language,
            "name": asset.name,
            "number": asset_version.number,
            "sha256": asset_version.sha256,
            "size_bytes": asset_version.size_bytes,
        },
    )
    summary.asset_versions["created"] += 1
    if entry.source is not None:
        transaction.on_commit(lambda: _enqueue_fingerprint(asset_version.pk))
    _queue_screening(actor, asset_version.pk)


def _enqueue_fingerprint(asset_version_id: int) -> None:
    from shinsa.catalog.tasks import fingerprint_asset_version

    fingerprint_asset_version.enqueue(asset_version_id)


def _queue_screening(actor: Any, asset_version_id: int) -> None:
    """Every new asset version (video, artwork, subtitle, metadata) gets a screening run: its row now,
    in this transaction; its task on commit."""
    from django.apps import apps

    if apps.is_installed("shinsa.screening"):
        from shinsa.screening.enqueue import enqueue_screening

        enqueue_screening(actor=actor, asset_version_id=asset_version_id)


@transaction.atomic
def do_record_fingerprint(
    *, actor: Any, asset_version: AssetVersion, status: str, size_bytes: int | None, facts: dict[str, Any]
) -> Fingerprint:
    """Store what a worker found about a stored file. Safe to repeat: same facts, no new row, no event."""
    existing = Fingerprint.objects.select_for_update().filter(asset_version=asset_version).first()
    if existing is not None and (existing.status, existing.size_bytes, existing.facts) == (
        status,
        size_bytes,
        facts,
    ):
        return existing
    fingerprint, _ = Fingerprint.objects.update_or_create(
        asset_version=asset_version,
        defaults={"status": status, "size_bytes": size_bytes, "facts": facts, "checked_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        verb="catalog.asset_version.fingerprinted",
        obj=asset_version,
        before={"status": existing.status} if existing else None,
        after={"status": status, "size_bytes": size_bytes},
    )
    return fingerprint


@transaction.atomic
def do_record_rendition(
    *,
    actor: Any,
    asset_version: AssetVersion,
    kind: str,
    source: Path,
    sha256: str,
    extension: str,
    media_type: str,
    facts: dict[str, Any] | None = None,
) -> Rendition | None:
    """Store a rendition file made from ``asset_version`` (replacing one of the same kind).

    Returns None, storing nothing, when the asset version is quarantined: illegal content gets no
    proxy, poster or thumbnail. Safe to repeat: the same content records nothing new.
    """
    locked = AssetVersion.objects.select_for_update().get(pk=asset_version.pk)
    if locked.quarantined_at is not None:
        return None
    existing = Rendition.objects.filter(asset_version=locked, kind=kind).first()
    if existing is not None and existing.sha256 == sha256:
        return existing
    name = store_file(source, sha256, extension)
    values = {
        "file": name,
        "sha256": sha256,
        "size_bytes": source.stat().st_size,
        "media_type": media_type,
        "facts": facts or {},
        "created_at": timezone.now(),
    }
    rendition, _ = Rendition.objects.update_or_create(asset_version=locked, kind=kind, defaults=values)
    audit.record(
        actor=actor,
        verb="catalog.rendition.recorded",
        obj=locked,
        before={"kind": kind, "sha256": existing.sha256} if existing else None,
        after={"kind": kind, "sha256": sha256, "size_bytes": values["size_bytes"]},
    )
    return rendition


@transaction.atomic
def do_quarantine_asset_version(*, actor: Any, asset_version: AssetVersion, reason: str) -> AssetVersion:
    """Quarantine content that matched a bank of illegal content: its renditions are deleted (rows and
    files), none is made again, and only the legal role may open the original, which is kept as
    evidence. Idempotent: quarantining twice keeps the first time and reason."""
    locked = AssetVersion.objects.select_for_update().get(pk=asset_version.pk)
    if locked.quarantined_at is not None:
        return locked
    renditions = list(Rendition.objects.filter(asset_version=locked))
    locked.quarantined_at = timezone.now()
    locked.quarantine_reason = reason[:500]
    locked.save(update_fields=["quarantined_at", "quarantine_reason"])
    for rendition in renditions:
        name = rendition.file.name
        rendition.delete()
        if not Rendition.objects.filter(file=name).exists():
            # Delete the file once the quarantine is committed, so a rollback leaves nothing dangling.
            transaction.on_commit(lambda name=name: default_storage.delete(name))
    audit.record(
        actor=actor,
        verb="catalog.asset_version.quarantined",
        obj=locked,
        before=None,
        after={"reason": locked.quarantine_reason, "renditions_deleted": [r.kind for r in renditions]},
    )
    return locked
