"""Silence a command-line process's standard error at the file-descriptor level.

FFmpeg, codecs and C extensions write to file descriptor 2 directly, past Python's ``sys.stderr``.
Only for short-lived command-line processes: it changes fd 2 for every thread of the process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stderr_silenced() -> Iterator[None]:
    """Send everything written to fd 2 to the null device until the block ends, then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
