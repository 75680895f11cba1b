"""Content-addressed storage of delivered files: ``assets/ab/cd/<sha256><ext>`` in the default storage.

A name is derived only from the content's hash and an extension from the accepted list, never from a
name in a manifest. The same content is stored once; a file left behind by an ingest that rolled back
is harmless, because the next ingest of that content finds it in place.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

INCOMING = "incoming"  # copies in progress; a leftover here (a killed process) is never referenced


def storage_name(sha256: str, extension: str) -> str:
    return f"assets/{sha256[:2]}/{sha256[2:4]}/{sha256}{extension}"


class _HashingFile(File):
    """A File whose chunks are hashed as storage writes them, so the copy is checked in the same read."""

    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        super().__init__(handle)
        self.digest = hashlib.sha256()

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in super().chunks(chunk_size):
            self.digest.update(chunk)
            yield chunk


class ContentChanged(Exception):
    """The source file no longer has the content it had when the manifest was checked."""


def store_file(source: Path, sha256: str, extension: str) -> str:
    """Copy ``source`` into storage under its content address (once) and return the stored name.

    The copy is written under a temporary name and moved into place only once it is complete and its
    hash checked, so a full disk, a crash or a kill mid-copy never leaves a half-written file under a
    content address. A file already at the address is trusted only if it has the source's size (one
    left half-written by an older version is replaced).
    """
    name = storage_name(sha256, extension)
    if default_storage.exists(name):
        if default_storage.size(name) == source.stat().st_size:
            return name
        default_storage.delete(name)
    incoming = f"{INCOMING}/{uuid.uuid4().hex}{extension}"
    try:
        with source.open("rb") as handle:
            hashing = _HashingFile(handle)
            incoming = default_storage.save(incoming, hashing)
        if hashing.digest.hexdigest() != sha256:
            raise ContentChanged(str(source))
        target = Path(default_storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(default_storage.path(incoming), target)  # atomic: same file system
    finally:
        if default_storage.exists(incoming):
            default_storage.delete(incoming)
    return name
