"""HTTP Range requests (RFC 9110 §14) for the media view: one byte range, or the whole file (pure).

Players seek with a single range; a request for several ranges is answered with the whole file
(allowed: a server may ignore Range), so no multipart bodies are ever built.
"""

from __future__ import annotations

import re

_SINGLE = re.compile(r"^bytes=(\d*)-(\d*)$")


class UnsatisfiableRange(ValueError):
    """The range lies outside the file: answer 416 with ``Content-Range: bytes */size``."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte positions asked for, or None for the whole file.

    Raises UnsatisfiableRange when a well-formed single range selects nothing of a ``size``-byte file.
    """
    if not header:
        return None
    match = _SINGLE.match(header.strip())
    if match is None:
        return None  # several ranges, another unit or garbage: ignore Range, send everything
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # a suffix: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise UnsatisfiableRange(header)
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None
    if first >= size:
        raise UnsatisfiableRange(header)
    return first, min(last, size - 1)
