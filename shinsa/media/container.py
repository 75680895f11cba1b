"""Opening audio/video files with PyAV safely, and turning every way that can fail into a ``MediaError``.

Safety: FFmpeg is asked for the local ``file`` protocol only and for a fixed list of demuxers, so a
"video" that is really a playlist (HLS, concat, DASH) cannot make FFmpeg open other files or URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import av.container

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.paths import check_regular_file

# Demuxers we accept. Each name is one of the comma-separated names FFmpeg gives a demuxer.
ACCEPTED_DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2",  # ISO BMFF and QuickTime
    "matroska,webm",
    "mpegts",
    "mpeg",  # MPEG program streams (.mpg, .vob)
    "avi",
    "flv",
    "mxf",
    "ogg",
    "asf",  # .wmv
    "ivf",
    "mp3",
    "wav",
    "aac",
    "flac",
)
_OPEN_OPTIONS = {"protocol_whitelist": "file", "format_whitelist": ",".join(ACCEPTED_DEMUXERS)}

# Top-level ISO BMFF boxes that can open a file; a file starting with one is an MP4/MOV.
_BMFF_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"styp"}


def container_signature(head: bytes) -> str | None:
    """The container family a file's first bytes announce, or None when they announce none we know."""
    if len(head) >= 8 and head[4:8] in _BMFF_FIRST_BOXES:
        return "MP4/MOV"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "Matroska/WebM"
    if head[:1] == b"\x47" and len(head) > 188 and head[188:189] == b"\x47":
        return "MPEG-TS"
    for signature, family in _SIGNATURES:
        if head.startswith(signature):
            return family
    return None


_SIGNATURES = (
    (b"\x00\x00\x01\xba", "MPEG-PS"),
    (b"RIFF", "RIFF (AVI/WAV)"),
    (b"FLV", "FLV"),
    (b"OggS", "Ogg"),
    (b"DKIF", "IVF"),
    (b"fLaC", "FLAC"),
    (b"ID3", "MP3"),
    (b"\x06\x0e\x2b\x34", "MXF"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "ASF/WMV"),
)


def bmff_is_cut_short(path: Path, size: int) -> bool:
    """True when an MP4/MOV's top-level boxes run past the end of the file or its index (moov) is missing.

    Reads only the 8- or 16-byte box headers, so it is cheap on any size of file.
    """
    found_moov, offset = False, 0
    with path.open("rb") as handle:
        while offset < size:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                return True
            box_size, box_type = int.from_bytes(header[:4], "big"), header[4:8]
            if box_size == 1:
                if len(header) < 16:
                    return True
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:  # "to the end of the file"
                box_size = size - offset
            if box_size < 8:
                return False  # not a box structure we can follow: corrupt rather than cut short
            found_moov |= box_type == b"moov"
            offset += box_size
    return offset > size or not found_moov


_EBML_HEADER_ID, _MATROSKA_SEGMENT_ID = 0x1A45DFA3, 0x18538067


def matroska_is_cut_short(path: Path, size: int) -> bool:
    """True when a Matroska/WebM file's Segment declares more bytes than the file holds.

    FFmpeg reads a Matroska file cut in the middle without an error (what follows the cut is simply
    missing); its Segment size says how long the file was written. Reads the first kilobyte only. A
    live-written file with an "unknown" Segment size, or a header this does not follow, is not judged.
    """
    with path.open("rb") as handle:
        head = handle.read(1024)
    element, at = _ebml_number(head, 0, keep_marker=True)
    if element != _EBML_HEADER_ID:
        return False
    header_size, at = _ebml_number(head, at, keep_marker=False)
    if header_size is None:
        return False
    element, at = _ebml_number(head, at + header_size, keep_marker=True)
    if element != _MATROSKA_SEGMENT_ID:
        return False
    segment_size, at = _ebml_number(head, at, keep_marker=False)
    return segment_size is not None and at + segment_size > size


def _ebml_number(data: bytes, at: int, *, keep_marker: bool) -> tuple[int | None, int]:
    """An EBML variable-length integer at ``at``: (value, offset after it); None when it cannot be
    read or is the reserved "unknown size" (all value bits set)."""
    if at >= len(data) or data[at] == 0:
        return None, at
    length = 9 - data[at].bit_length()  # leading zero bits + 1
    if at + length > len(data):
        return None, at
    value = int.from_bytes(data[at : at + length], "big")
    if keep_marker:
        return value, at + length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), at + length


def _problem_for_unopenable(path: Path, size: int) -> tuple[MediaProblem, str]:
    with path.open("rb") as handle:
        head = handle.read(512)
    family = container_signature(head)
    if family is None:
        return MediaProblem.NOT_MEDIA, "no audio or video container was recognised"
    if family == "MP4/MOV" and bmff_is_cut_short(path, size):
        return MediaProblem.TRUNCATED, "the MP4/MOV index (moov) is missing or the data stops early"
    return MediaProblem.CORRUPT, f"its {family} structure cannot be read"


@contextmanager
def open_container(path: Path) -> Iterator[av.container.InputContainer]:
    """Open ``path`` for demuxing; every failure to open is a ``MediaError``."""
    size = check_regular_file(path)
    try:
        container = av.open(f"file:{path.resolve()}", mode="r", container_options=_OPEN_OPTIONS)
    except av.error.InvalidDataError:
        raise MediaError(path, *_problem_for_unopenable(path, size)) from None
    except av.error.ArgumentError:
        # The format whitelist refused what FFmpeg recognised (a playlist, an image sequence, ...).
        raise MediaError(
            path, MediaProblem.UNSUPPORTED, "not an audio/video container Shinsa reads"
        ) from None
    except (av.error.PermissionError, PermissionError):
        raise MediaError(path, MediaProblem.UNREADABLE, "permission denied") from None
    except (av.error.FFmpegError, OSError) as error:
        problem, detail = _problem_for_unopenable(path, size)
        raise MediaError(path, problem, f"{detail}: {error}") from None
    try:
        yield container
    finally:
        container.close()


def decode_failure(path: Path, error: Exception, at_ms: int | None) -> MediaError:
    """The ``MediaError`` for an FFmpeg error raised while demuxing or decoding at ``at_ms``."""
    where = f"after {at_ms / 1000:.3f} s" if at_ms is not None else "at the start"
    if isinstance(error, av.error.DecoderNotFoundError):
        return MediaError(path, MediaProblem.UNSUPPORTED, "no decoder for the video codec")
    if isinstance(error, av.error.EOFError):
        return MediaError(path, MediaProblem.TRUNCATED, f"the data stops {where}")
    reason = getattr(error, "strerror", None) or type(error).__name__
    return MediaError(path, MediaProblem.CORRUPT, f"{reason} {where}")
