"""The one error type for a media file that cannot be read: which file, what kind of problem, a detail."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class MediaProblem(StrEnum):
    """What is wrong with a file, as a stable code (messages for people are made from it elsewhere)."""

    MISSING = "missing"  # no such file, or not a regular file
    UNREADABLE = "unreadable"  # exists but cannot be read (permissions, I/O error)
    EMPTY = "empty"  # zero bytes
    NOT_MEDIA = "not_media"  # no known container or image format
    TRUNCATED = "truncated"  # a known format whose data stops early
    CORRUPT = "corrupt"  # a known format whose data cannot be decoded
    UNSUPPORTED = "unsupported"  # readable media of a kind we do not handle (no video, unknown codec)
    TOO_LARGE = "too_large"  # an image declaring more pixels than we decode


class MediaError(Exception):
    """A media file that cannot be probed, decoded or hashed.

    ``detail`` is a short technical note in English (the FFmpeg or Pillow reason, a time in the file);
    it never holds a traceback.
    """

    def __init__(self, path: Path | str, kind: MediaProblem, detail: str = "") -> None:
        self.path = Path(path)
        self.kind = kind
        self.detail = " ".join(detail.split())[:200]
        super().__init__(f"{self.path}: {kind.value}" + (f" ({self.detail})" if self.detail else ""))
