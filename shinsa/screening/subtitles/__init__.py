"""Subtitle files (SRT, WebVTT, ASS/SSA, TTML/IMSC) read into cues with integer millisecond times.

Pure: no Django. ``read_subtitle_file(path)`` or ``parse_subtitle_bytes(data)`` give a ``SubtitleTrack``;
every problem is a ``SubtitleError`` with a reason code. See docs/subtitles.md.
"""

from shinsa.screening.subtitles.cues import Cue, Ruby, SubtitleTrack
from shinsa.screening.subtitles.encoding import decode_subtitle_bytes
from shinsa.screening.subtitles.errors import Reason, SubtitleError
from shinsa.screening.subtitles.reader import MAX_SUBTITLE_BYTES, parse_subtitle_bytes, read_subtitle_file

__all__ = [
    "MAX_SUBTITLE_BYTES",
    "Cue",
    "Reason",
    "Ruby",
    "SubtitleError",
    "SubtitleTrack",
    "decode_subtitle_bytes",
    "parse_subtitle_bytes",
    "read_subtitle_file",
]
