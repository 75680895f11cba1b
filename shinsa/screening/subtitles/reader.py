"""Read a subtitle file: size guard, encoding, format by content, cues in start-time order."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from shinsa.screening.subtitles.cues import Cue, SubtitleTrack
from shinsa.screening.subtitles.detect import ASS, SRT, SSA, TTML, VTT, detect_format
from shinsa.screening.subtitles.encoding import decode_subtitle_bytes
from shinsa.screening.subtitles.errors import Reason, SubtitleError
from shinsa.screening.subtitles.pysubs2_reader import RawCue, read_ass, read_srt, read_vtt
from shinsa.screening.subtitles.ttml import read_ttml

# A two-hour feature's subtitles take well under 1 MB in any format; 20 MB leaves room for ASS files
# with embedded fonts while keeping the memory one read can take bounded.
MAX_SUBTITLE_BYTES = 20 * 1024 * 1024


def read_subtitle_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_SUBTITLE_BYTES) -> SubtitleTrack:
    """Read and parse one subtitle file; raises ``SubtitleError`` naming ``path``."""
    shown = str(path)
    try:
        data = _read_bounded(Path(path), max_bytes)
        return parse_subtitle_bytes(data, max_bytes=max_bytes)
    except SubtitleError as error:
        raise error.for_path(shown) from None


def parse_subtitle_bytes(data: bytes, *, max_bytes: int = MAX_SUBTITLE_BYTES) -> SubtitleTrack:
    """Parse the bytes of a subtitle file in any supported format and encoding (``SubtitleError``)."""
    if len(data) > max_bytes:
        raise SubtitleError(None, Reason.FILE_TOO_LARGE, limit_mb=max_bytes // (1024 * 1024))
    if not data:
        raise SubtitleError(None, Reason.FILE_EMPTY)
    text, encoding = decode_subtitle_bytes(data)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    format_ = detect_format(text)
    if format_ is None:
        raise SubtitleError(None, Reason.FORMAT_UNKNOWN)
    raw = _READERS[format_](text)
    return SubtitleTrack(format=ASS if format_ == SSA else format_, encoding=encoding, cues=cues_of(raw))


_READERS = {
    SRT: read_srt,
    VTT: read_vtt,
    ASS: lambda text: read_ass(text, ASS),
    SSA: lambda text: read_ass(text, SSA),
    TTML: read_ttml,
}


def cues_of(raw: list[RawCue]) -> tuple[Cue, ...]:
    """Finished cues in start-time order; ``SubtitleError`` for a cue ending before it starts, or none."""
    cues = []
    for start_ms, end_ms, builder, number in raw:
        if end_ms < start_ms:
            raise SubtitleError(None, Reason.CUE_ENDS_BEFORE_START, cue=number)
        text, markup, ruby = builder.finish()
        if text:
            cues.append(Cue(start_ms=start_ms, end_ms=end_ms, text=text, markup=markup, ruby=ruby))
    if not cues:
        raise SubtitleError(None, Reason.NO_CUES)
    # A stable sort: cues that start together keep the order of the file.
    return tuple(sorted(cues, key=lambda cue: cue.start_ms))


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing a non-regular file or one larger than ``max_bytes`` before reading it."""
    try:
        # Checked before opening too: opening a FIFO or a device could block or never end.
        if not stat.S_ISREG(path.stat().st_mode):
            raise SubtitleError(None, Reason.FILE_MISSING)
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SubtitleError(None, Reason.FILE_MISSING)
            if info.st_size > max_bytes:
                raise SubtitleError(None, Reason.FILE_TOO_LARGE, limit_mb=max_bytes // (1024 * 1024))
            data = handle.read(max_bytes + 1)  # a file that grows while read is still bounded
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise SubtitleError(None, Reason.FILE_MISSING) from None
    except OSError as error:
        raise SubtitleError(
            None, Reason.FILE_UNREADABLE, error=error.strerror or type(error).__name__
        ) from None
    if len(data) > max_bytes:
        raise SubtitleError(None, Reason.FILE_TOO_LARGE, limit_mb=max_bytes // (1024 * 1024))
    return data
