"""The disk fills up while an ingest copies a delivered file into storage (a real, small tmpfs).

Nothing half-written may be recorded: the ingest fails with one line, every table is unchanged and
no partial file sits under a content address. Once space is freed the same ingest succeeds and the
worker's fingerprint finds the stored copy intact.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shinsa.catalog.models import AssetVersion, Fingerprint
from shinsa.catalog.tasks import fingerprint_asset_version
from shinsa.media.synthetic import ClipSpec, Scene, encode_clip
from tests.catalog.manifests import one_file_title, write_json
from tests.hostile.tables import changed_tables, dump_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_disk(tmp_path, settings):
    """A 1 MiB tmpfs as the media root (we run as root in CI); skipped, saying why, if it cannot mount."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'}); needs root")
    settings.MEDIA_ROOT = mount_point
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": mount_point}},
    }
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _free_bytes(path: Path) -> int:
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


def _files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_full_disk_mid_copy_records_nothing_and_the_ingest_resumes_once_space_is_freed(
    cast, small_disk, delivery
):
    video = delivery / "main.mp4"
    encode_clip(
        ClipSpec(scenes=(Scene(frames=48, hue=0.2, texture=3), Scene(frames=48, hue=0.7, texture=4))), video
    )
    size = video.stat().st_size
    manifest = write_json(delivery, [one_file_title("full-1", "video", "main.mp4")])
    filler = small_disk / "filler.bin"
    filler.write_bytes(b"\0" * (_free_bytes(small_disk) - size // 2))  # room for half the video
    before = dump_tables()

    with pytest.raises(CommandError) as refused:
        call_command("ingest", str(manifest), stdout=io.StringIO(), stderr=io.StringIO())

    message = str(refused.value)
    assert "\n" not in message and "No space left on device" in message, message
    assert changed_tables(before, dump_tables()) == []
    assert _files_under(small_disk) == ["filler.bin"]  # no partial copy, under its address or elsewhere

    filler.unlink()  # space frees
    call_command("ingest", str(manifest), stdout=io.StringIO())

    stored = AssetVersion.objects.get(asset__title_version__title__external_id="full-1")
    assert (small_disk / stored.file.name).read_bytes() == video.read_bytes()
    assert fingerprint_asset_version.call(stored.pk) == Fingerprint.Status.OK
    assert Fingerprint.objects.filter(asset_version=stored).count() == 1


def test_a_half_written_copy_left_by_an_older_crash_is_replaced_not_trusted(cast, media_root, delivery):
    video = delivery / "main.mp4"
    encode_clip(ClipSpec(scenes=(Scene(frames=24, hue=0.2),)), video)
    manifest = write_json(delivery, [one_file_title("half-1", "video", "main.mp4")])
    from shinsa.catalog.manifest.files import sha256_of
    from shinsa.catalog.storage import storage_name

    digest, _size = sha256_of(video)
    partial = media_root / storage_name(digest, ".mp4")
    partial.parent.mkdir(parents=True)
    partial.write_bytes(video.read_bytes()[:100])  # what a crash mid-copy used to leave behind

    call_command("ingest", str(manifest), stdout=io.StringIO())

    assert partial.read_bytes() == video.read_bytes()
    stored = AssetVersion.objects.get(asset__title_version__title__external_id="half-1")
    assert fingerprint_asset_version.call(stored.pk) == Fingerprint.Status.OK
