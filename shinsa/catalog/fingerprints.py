"""Facts about a stored file, read by a worker: its real hash and size, and a few kind-specific facts.

Video: the container, from its first bytes. Subtitles: the encoding found, lines and cue markers.
Artwork: image format and size (header only; pixels are not decoded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from PIL import Image, UnidentifiedImageError

from shinsa.screening.subtitles.encoding import decode_subtitle_bytes
from shinsa.screening.subtitles.errors import SubtitleError

_SUBTITLE_READ_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size_bytes: int
    facts: dict[str, Any] = field(default_factory=dict)


def container_of(head: bytes) -> dict[str, str]:
    """The container of a video from its first bytes (ISO BMFF brand, Matroska/WebM, MPEG-TS, MXF)."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return {"container": "isobmff", "brand": head[8:12].decode("ascii", "replace").strip()}
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return {"container": "webm" if b"webm" in head[:64] else "matroska"}
    if head[:1] == b"\x47" and (len(head) < 189 or head[188:189] == b"\x47"):
        return {"container": "mpeg-ts"}
    if head.startswith(b"\x06\x0e\x2b\x34"):
        return {"container": "mxf"}
    return {"container": "unknown"}


def subtitle_facts(data: bytes) -> dict[str, Any]:
    try:
        text, codec = decode_subtitle_bytes(data)  # the same detection `shinsa subtitles` reports
    except SubtitleError:
        return {"encoding": None}
    return {"encoding": codec, "lines": len(text.splitlines()), "cue_markers": text.count("-->")}


def image_facts(handle: IO[bytes]) -> dict[str, Any]:
    try:
        with Image.open(handle) as image:  # reads the header; Pillow refuses decompression bombs here
            return {"format": image.format, "width": image.width, "height": image.height}
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return {"format": None}


def read_facts(handle: IO[bytes], kind: str) -> FileFacts:
    """Hash the whole stream, then gather the facts for the asset kind."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    kept = bytearray()
    while chunk := handle.read(1024 * 1024):
        if not head:
            head = chunk[:4096]
        if kind == "subtitle" and len(kept) < _SUBTITLE_READ_LIMIT:
            kept.extend(chunk)
        digest.update(chunk)
        size += len(chunk)
    facts: dict[str, Any] = {}
    if kind == "video":
        facts = container_of(head)
    elif kind == "subtitle":
        facts = subtitle_facts(bytes(kept))
    elif kind == "artwork":
        handle.seek(0)
        facts = image_facts(handle)
    return FileFacts(digest.hexdigest(), size, facts)
