"""Subtitle problems as one sentence in the user's language (reason codes -> translatable text).

The only module of the package that imports Django: the reader itself stays pure.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shinsa.screening.subtitles.errors import Reason, StreamNote, SubtitleError

REASONS: dict[Reason, Any] = {
    Reason.FILE_MISSING: _("the file does not exist or is not a regular file"),
    Reason.FILE_UNREADABLE: _("the file cannot be read (%(error)s)"),
    Reason.FILE_TOO_LARGE: _("the file is larger than the limit of %(limit_mb)s MB"),
    Reason.FILE_EMPTY: _("the file is empty"),
    Reason.BINARY: _("the file holds binary data, not text"),
    Reason.ENCODING_UNKNOWN: _(
        "the text encoding could not be recognised (UTF-8, UTF-16, CP932, EUC-JP and Latin-1 are read)"
    ),
    Reason.TRUNCATED_CHARACTER: _(
        "the file ends in the middle of a %(encoding)s character (is it cut short?)"
    ),
    Reason.FORMAT_UNKNOWN: _("not a subtitle file: no SRT, WebVTT, ASS/SSA or TTML content was found"),
    Reason.XML_SYNTAX: _("the XML is malformed (line %(line)s, column %(column)s)"),
    Reason.XML_FORBIDDEN: _("the XML declares a DTD, entities or external references, which are refused"),
    Reason.XML_TOO_DEEP: _("the XML is nested deeper than %(limit)s levels"),
    Reason.NOT_TTML: _("the XML is not a TTML document (its root element is %(root)s)"),
    Reason.TTML_TIMING: _("the TTML timing is invalid: %(detail)s"),
    Reason.TTML_INVALID: _("the TTML document cannot be read: %(detail)s"),
    Reason.CUE_WITHOUT_END: _("cue %(cue)s has no end time"),
    Reason.CUE_ENDS_BEFORE_START: _("cue %(cue)s ends before it starts"),
    Reason.BAD_TIMING: _("line %(line)s is not a valid %(format)s cue timing"),
    Reason.MALFORMED: _("the %(format)s file cannot be parsed: %(detail)s"),
    Reason.NO_CUES: _("the file holds no cues"),
}


def describe(error: SubtitleError) -> str:
    """The problem without the file name, in the active language."""
    return str(REASONS[error.reason]) % dict(error.params)


# Why a subtitle stream inside a video was not (wholly) text-screened; %(codec)s is FFmpeg's name.
STREAM_NOTES: dict[StreamNote, Any] = {
    StreamNote.BITMAP: _("bitmap subtitles (pictures of text): listed, not text-screened"),
    StreamNote.CODEC_NOT_READ: _("%(codec)s subtitles are not read: not text-screened"),
    StreamNote.TOO_LARGE: _("the stream holds more text than the limit: not text-screened"),
    StreamNote.NO_CUES: _("the stream holds no readable cue: nothing screened"),
}


def describe_stream(entry: dict[str, Any]) -> str:
    """The note on a stored subtitle stream (``run.media["subtitles"]``); "" when it was screened whole."""
    notes = []
    if entry.get("note") in STREAM_NOTES:
        notes.append(str(STREAM_NOTES[StreamNote(entry["note"])]) % {"codec": entry.get("codec", "")})
    skipped = int(entry.get("unreadable") or 0)
    if skipped:
        notes.append(
            ngettext(
                "%(count)s packet is not readable text and was skipped",
                "%(count)s packets are not readable text and were skipped",
                skipped,
            )
            % {"count": skipped}
        )
    return "; ".join(notes)
