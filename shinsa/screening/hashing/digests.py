"""Cryptographic digests of a file's bytes, read once in bounded chunks (exact-match signals)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.paths import check_regular_file

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileDigests:
    md5: str  # lower-case hex, as NCMEC, StopNCII and GIFCT exchange video hashes
    sha256: str
    size_bytes: int


def file_digests(path: Path | str) -> FileDigests:
    """MD5 and SHA-256 of the file's bytes in one read; ``MediaError`` when it cannot be read."""
    path = Path(path)
    check_regular_file(path)
    md5, sha256, size = hashlib.md5(usedforsecurity=False), hashlib.sha256(), 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                md5.update(chunk)
                sha256.update(chunk)
                size += len(chunk)
    except OSError as error:
        raise MediaError(path, MediaProblem.UNREADABLE, error.strerror or str(error)) from None
    return FileDigests(md5=md5.hexdigest(), sha256=sha256.hexdigest(), size_bytes=size)
