"""The one error type of the subtitle reader: which file, and why it cannot be read (a reason code)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Reason(StrEnum):
    FILE_MISSING = "file_missing"
    FILE_UNREADABLE = "file_unreadable"
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    BINARY = "binary"
    ENCODING_UNKNOWN = "encoding_unknown"
    TRUNCATED_CHARACTER = "truncated_character"
    FORMAT_UNKNOWN = "format_unknown"
    XML_SYNTAX = "xml_syntax"
    XML_FORBIDDEN = "xml_forbidden"
    XML_TOO_DEEP = "xml_too_deep"
    NOT_TTML = "not_ttml"
    TTML_TIMING = "ttml_timing"
    TTML_INVALID = "ttml_invalid"
    CUE_WITHOUT_END = "cue_without_end"
    CUE_ENDS_BEFORE_START = "cue_ends_before_start"
    BAD_TIMING = "bad_timing"
    MALFORMED = "malformed"
    NO_CUES = "no_cues"


_ENGLISH = {
    Reason.FILE_MISSING: "the file does not exist or is not a regular file",
    Reason.FILE_UNREADABLE: "the file cannot be read ({error})",
    Reason.FILE_TOO_LARGE: "the file is larger than the limit of {limit_mb} MB",
    Reason.FILE_EMPTY: "the file is empty",
    Reason.BINARY: "the file holds binary data, not text",
    Reason.ENCODING_UNKNOWN: "the text encoding could not be recognised",
    Reason.TRUNCATED_CHARACTER: "the file ends in the middle of a {encoding} character (is it cut short?)",
    Reason.FORMAT_UNKNOWN: "not a subtitle file: no SRT, WebVTT, ASS/SSA or TTML content was found",
    Reason.XML_SYNTAX: "the XML is malformed (line {line}, column {column})",
    Reason.XML_FORBIDDEN: "the XML declares a DTD, entities or external references, which are refused",
    Reason.XML_TOO_DEEP: "the XML is nested deeper than {limit} levels",
    Reason.NOT_TTML: "the XML is not a TTML document (its root element is {root})",
    Reason.TTML_TIMING: "the TTML timing is invalid: {detail}",
    Reason.TTML_INVALID: "the TTML document cannot be read: {detail}",
    Reason.CUE_WITHOUT_END: "cue {cue} has no end time",
    Reason.CUE_ENDS_BEFORE_START: "cue {cue} ends before it starts",
    Reason.BAD_TIMING: "line {line} is not a valid {format} cue timing",
    Reason.MALFORMED: "the {format} file cannot be parsed: {detail}",
    Reason.NO_CUES: "the file holds no cues",
}


class StreamNote(StrEnum):
    """Why a subtitle stream's text was not (or not wholly) read."""

    BITMAP = "bitmap"  # pictures of text: listed, not text-screened
    CODEC_NOT_READ = "codec_not_read"  # text in a codec Shinsa does not read (closed captions, ...)
    TOO_LARGE = "too_large"  # more text than MAX_SUBTITLE_BYTES (or the file's share of MAX_TOTAL_BYTES)
    NO_CUES = "no_cues"  # no packet held readable text


class SubtitleError(Exception):
    """A subtitle file that cannot be read: ``path`` (None for bytes without a name), a ``reason`` code
    and the values its message needs. ``str()`` is one English line; the CLI translates the code."""

    def __init__(self, path: str | None, reason: Reason, **params: str | int) -> None:
        self.path = path
        self.reason = reason
        self.params: Mapping[str, str | int] = params
        text = _ENGLISH[reason].format(**params)
        super().__init__(f"{path}: {text}" if path is not None else text)

    def for_path(self, path: str) -> SubtitleError:
        """The same problem, naming ``path``."""
        return SubtitleError(path, self.reason, **self.params)
