"""SRT, WebVTT and ASS/SSA through pysubs2, with the checks it leaves out.

pysubs2 is lenient by design: a timing line it cannot read is taken as text of the previous cue, and
WebVTT is read with the SRT code, so NOTE blocks and cue identifiers would become cue text. Before
handing text over, every timing line is checked (a corrupt or truncated one refuses the file with its
line number), WebVTT is reduced to its cue blocks, and runs of blank lines are collapsed (pysubs2's
``\\n+ *\\d+ *$`` clean-up is quadratic in such a run). pysubs2's warnings are not printed: they would
be noise on stderr, and what matters is checked here.
"""

from __future__ import annotations

import re
import warnings

import pysubs2

from shinsa.screening.subtitles.cues import CueTextBuilder
from shinsa.screening.subtitles.detect import ASS, SRT, SSA, VTT
from shinsa.screening.subtitles.errors import Reason, SubtitleError
from shinsa.screening.subtitles.inline import AssStyle, read_ass_markup, read_html_markup

RawCue = tuple[int, int, CueTextBuilder, int]  # start ms, end ms, content, cue number (1-based)

# Two passes with single-character repeats: a group repeated a million times would keep a
# backtracking mark per repetition (150 MB for a million blank lines).
_SPACES_ONLY_LINE = re.compile(r"\n[ \t]+(?=\n)")
_BLANK_LINES = re.compile(r"\n{3,}")
_ARROW_LINE = re.compile(r"^[^\n]*-->[^\n]*$", re.MULTILINE)
_SRT_STAMP = re.compile(r"\d{1,2}:\d{1,2}:\d{1,2}[,.]\d{1,3}")
_VTT_TIMING = re.compile(
    r"^[ \t]*(\d{1,4}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(\d{1,4}:)?\d{2}:\d{2}\.\d{3}(?:[ \t]|$)"
)
_VTT_INLINE_TIMESTAMP = re.compile(r"<(?:\d{1,4}:)?\d{2}:\d{2}\.\d{3}>")
_VTT_BLOCK_KEYWORD = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_FORMAT_NAMES = {SRT: "SRT", VTT: "WebVTT", ASS: "ASS", SSA: "SSA"}


def read_srt(text: str) -> list[RawCue]:
    for arrow in _ARROW_LINE.finditer(text):
        if len(_SRT_STAMP.findall(arrow.group())) != 2:
            line_number = text.count("\n", 0, arrow.start()) + 1
            raise _bad_timing(SRT, line_number)
    collapsed = _BLANK_LINES.sub("\n\n", _SPACES_ONLY_LINE.sub("\n", text))
    events = _parse(collapsed, SRT, keep_html_tags=True)
    return [_html_cue(event, index, entities=False) for index, event in enumerate(events, 1)]


def read_vtt(text: str) -> list[RawCue]:
    blocks: list[str] = []
    lines = text.split("\n")
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], 1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            cue = _vtt_cue_block(block)
            if cue is not None:
                blocks.append(cue)
            block = []
    events = _parse("\n\n".join(blocks), VTT, keep_html_tags=True)
    return [_html_cue(event, index, entities=True) for index, event in enumerate(events, 1)]


def _vtt_cue_block(block: list[tuple[int, str]]) -> str | None:
    """A cue block as ``timing\\npayload`` (its identifier line dropped); None for other blocks."""
    first = block[0][1]
    if first.lstrip().startswith("WEBVTT") or _VTT_BLOCK_KEYWORD.match(first.lstrip()):
        return None
    arrows = [position for position, (_number, line) in enumerate(block[:2]) if "-->" in line]
    if not arrows:
        if any("-->" in line for _number, line in block):
            raise _malformed(VTT, f"line {block[0][0]}: a cue has more than one line before its timing")
        return None  # text outside any cue; WebVTT parsers skip it
    timing_index = arrows[0]
    number, timing = block[timing_index]
    if not _VTT_TIMING.match(timing):
        raise _bad_timing(VTT, number)
    payload = [_VTT_INLINE_TIMESTAMP.sub("", line) for _number, line in block[timing_index + 1 :]]
    if any("-->" in line for line in payload):
        raise _malformed(VTT, f"line {number + 1}: a cue's text contains -->")
    return "\n".join([timing, *payload])


def read_ass(text: str, format_: str) -> list[RawCue]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            subs = pysubs2.SSAFile.from_string(text, format_=format_)
        except Exception as error:  # noqa: BLE001 - any crash of the parser on untrusted input
            raise _malformed(format_, _short(error)) from None
    styles = ass_styles(subs)
    cues: list[RawCue] = []
    for index, event in enumerate(subs.events, 1):
        if event.type == "Comment":
            continue
        builder = CueTextBuilder()
        read_ass_markup(builder, event.text, style=styles.get(event.style, AssStyle()), styles=styles)
        cues.append((event.start, event.end, builder, index))
    return cues


def read_ass_header_styles(header: str) -> dict[str, AssStyle]:
    """The styles of an ASS/SSA script header (a Matroska track's CodecPrivate); none when unreadable."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ass_styles(
                pysubs2.SSAFile.from_string(header, format_=SSA if "[V4 Styles]" in header else ASS)
            )
        except Exception:  # noqa: BLE001 - a broken header leaves the cues unstyled, not unread
            return {}


def ass_styles(subs: pysubs2.SSAFile) -> dict[str, AssStyle]:
    return {
        name: AssStyle(
            italic=bool(style.italic),
            bold=bool(style.bold),
            underline=bool(style.underline),
            strikeout=bool(style.strikeout),
        )
        for name, style in subs.styles.items()
    }


def _parse(text: str, format_: str, **options: bool) -> list[pysubs2.SSAEvent]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return list(pysubs2.SSAFile.from_string(text, format_=format_, **options).events)
        except Exception as error:  # noqa: BLE001 - any crash of the parser on untrusted input
            raise _malformed(format_, _short(error)) from None


def _html_cue(event: pysubs2.SSAEvent, index: int, *, entities: bool) -> RawCue:
    builder = CueTextBuilder()
    read_html_markup(builder, event.text.replace("\\N", "\n"), entities=entities)
    return (event.start, event.end, builder, index)


def _malformed(format_: str, detail: str) -> SubtitleError:
    return SubtitleError(None, Reason.MALFORMED, format=_FORMAT_NAMES.get(format_, format_), detail=detail)


def _bad_timing(format_: str, line: int) -> SubtitleError:
    return SubtitleError(None, Reason.BAD_TIMING, format=_FORMAT_NAMES[format_], line=line)


def _short(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]
