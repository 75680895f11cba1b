"""Keep FFmpeg's, codecs' and C extensions' own messages off standard error, at the file-descriptor level.

They write to file descriptor 2 directly, past Python's ``sys.stderr``, and some write late: a decoder's
threads may log while it is freed, after the call that used it has returned. So a command-line process
sends fd 2 to the null device for the rest of its life and gives Python's ``sys.stderr`` the real one.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def silence_native_stderr_for_this_process() -> None:
    """From now on fd 2 goes to the null device, and ``sys.stderr`` writes to the real standard error.

    Only for a command-line process: it changes fd 2 for every thread of the process.
    """
    sys.stderr.flush()
    real = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    sys.stderr = io.TextIOWrapper(
        io.FileIO(real, "w"),
        encoding=sys.stderr.encoding or "utf-8",
        errors="backslashreplace",
        line_buffering=True,
    )


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Within the block, send fd 2 to the null device; restore it after (for in-process callers)."""
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
