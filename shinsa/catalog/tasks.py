"""Background work of the catalog (Django tasks, run by ``shinsa worker``)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.tasks import task

from shinsa.catalog.actions import do_record_fingerprint
from shinsa.catalog.fingerprints import read_facts
from shinsa.catalog.models import AssetVersion, Fingerprint


@task()
def fingerprint_asset_version(asset_version_id: int) -> str:
    """Check a stored file against its recorded SHA-256 and size, and record basic facts about it.

    Idempotent: a second run finds the same facts and changes nothing; a run retried after a crash
    updates the one Fingerprint row of the version (unique per version), never adds another.
    """
    asset_version = AssetVersion.objects.select_related("asset").get(pk=asset_version_id)
    if not asset_version.file.name or not default_storage.exists(asset_version.file.name):
        status, size, facts = Fingerprint.Status.MISSING, None, {}
    else:
        with default_storage.open(asset_version.file.name, "rb") as handle:
            found = read_facts(handle, asset_version.asset.kind)
        matches = found.sha256 == asset_version.sha256 and found.size_bytes == asset_version.size_bytes
        status = Fingerprint.Status.OK if matches else Fingerprint.Status.MISMATCH
        size, facts = found.size_bytes, found.facts
    do_record_fingerprint(
        actor="worker", asset_version=asset_version, status=status, size_bytes=size, facts=facts
    )
    return str(status)
