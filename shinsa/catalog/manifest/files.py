"""Checks on the files a manifest names: inside the manifest's folder, present, of an accepted type.

Names in a manifest are never trusted: a path is resolved (following links) and must stay inside the
folder; the stored name is later derived from the content hash and an extension from the list below.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from shinsa.catalog.manifest.encodings import decode
from shinsa.catalog.manifest.entries import AssetKind, ManifestLimits
from shinsa.catalog.manifest.errors import Reason
from shinsa.screening.subtitles.encoding import decode_subtitle_bytes
from shinsa.screening.subtitles.errors import SubtitleError

MEDIA_TYPES: dict[AssetKind, dict[str, str]] = {
    AssetKind.VIDEO: {
        ".mp4": "video/mp4",
        ".m4v": "video/mp4",
        ".mov": "video/quicktime",
        ".mkv": "video/x-matroska",
        ".webm": "video/webm",
        ".mxf": "application/mxf",
        ".ts": "video/mp2t",
    },
    AssetKind.SUBTITLE: {
        ".srt": "application/x-subrip",
        ".vtt": "text/vtt",
        ".ass": "text/x-ssa",
        ".ssa": "text/x-ssa",
        ".ttml": "application/ttml+xml",
        ".xml": "application/ttml+xml",
        ".dfxp": "application/ttml+xml",
    },
    AssetKind.ARTWORK: {
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".webp": "image/webp",
        ".tif": "image/tiff",
        ".tiff": "image/tiff",
    },
}

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileFacts:
    source: Path
    extension: str
    media_type: str
    sha256: str
    size_bytes: int


class FileProblem(Exception):
    def __init__(self, reason: Reason, **params: str | int | None) -> None:
        self.reason = reason
        self.params = params
        super().__init__(reason.value)


def resolve_inside(base_dir: Path, written: str) -> Path:
    """The real path of ``written`` (relative to ``base_dir``), refusing anything that leaves the folder."""
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or "\\" in written:
        raise FileProblem(Reason.PATH_OUTSIDE)
    base = base_dir.resolve()
    target = (base / written).resolve()
    if not target.is_relative_to(base) or target == base:
        raise FileProblem(Reason.PATH_OUTSIDE)
    return target


def sha256_of(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def inspect_file(base_dir: Path, written: str, kind: AssetKind) -> FileFacts:
    target = resolve_inside(base_dir, written)
    extension = target.suffix.lower()
    media_type = MEDIA_TYPES[kind].get(extension)
    if media_type is None:
        raise FileProblem(Reason.FILE_TYPE, extension=extension or "-", choices=" ".join(MEDIA_TYPES[kind]))
    if not target.is_file():
        raise FileProblem(Reason.ASSET_FILE_MISSING)
    sha256, size = sha256_of(target)
    return FileFacts(target, extension, media_type, sha256, size)


def subtitle_encoding(path: Path, declared: str | None, limits: ManifestLimits) -> str:
    """The codec a subtitle file is read with: the declared one if it decodes the file, else detected."""
    if path.stat().st_size > limits.max_subtitle_bytes:
        raise FileProblem(Reason.SUBTITLE_TOO_LARGE, limit_mb=limits.max_subtitle_bytes // (1024 * 1024))
    data = path.read_bytes()
    if declared is not None:
        try:
            info = codecs.lookup(declared)
        except LookupError:
            info = None
        # Codecs such as base64 or rot13 exist but are not text encodings.
        if info is None or not getattr(info, "_is_text_encoding", True):
            raise FileProblem(Reason.BAD_ENCODING_NAME, encoding=declared[:32])
        codec = info.name
        try:
            decode(data, codec)
        except UnicodeDecodeError:
            raise FileProblem(Reason.SUBTITLE_DECODE, encoding=codec) from None
        return codec
    try:
        _text, codec = decode_subtitle_bytes(data)  # the same detection `shinsa subtitles` reports
    except SubtitleError:
        raise FileProblem(Reason.SUBTITLE_ENCODING_UNKNOWN) from None
    return codec
