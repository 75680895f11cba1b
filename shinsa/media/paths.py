"""Checks on a path before any decoder sees it: it exists, is a regular file, can be read, is not empty."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from shinsa.media.errors import MediaError, MediaProblem


def check_regular_file(path: Path) -> int:
    """The file's size in bytes; a ``MediaError`` when it is missing, unreadable or empty."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise MediaError(path, MediaProblem.MISSING) from None
    except OSError as error:
        raise MediaError(path, MediaProblem.UNREADABLE, error.strerror or str(error)) from None
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(path, MediaProblem.MISSING, "a directory or special file, not a regular file")
    if not os.access(path, os.R_OK):
        raise MediaError(path, MediaProblem.UNREADABLE, "permission denied")
    if info.st_size == 0:
        raise MediaError(path, MediaProblem.EMPTY)
    return info.st_size
