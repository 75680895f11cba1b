"""TTML / IMSC through ttconv, parsed safely first.

The XML is parsed by defusedxml with DTDs forbidden: a ``<!DOCTYPE``, an entity declaration (the
"billion laughs" bomb) or an external reference is refused before anything is expanded or fetched.
Nesting depth is checked without recursion, then the element tree is handed to ttconv's IMSC reader,
which resolves ``ttp:frameRate``, ``ttp:frameRateMultiplier``, ``ttp:tickRate``, ``ttp:timeBase`` and
``ttp:dropMode`` into exact rational seconds. ttconv reports problems by logging and carrying on; here a
logged timing problem refuses the file (a cue at a wrong time is worse than no cue), other logged
problems (a bad colour, an unknown style) are ignored because they change neither text nor time.

Each ``<p>`` is one cue: its time is made absolute through its ``<div>``/``<body>`` ancestors the way
ttconv's own ISD code does, and rounded to the nearest millisecond (halves up).
"""

from __future__ import annotations

import logging
import math
import re
import xml.etree.ElementTree as ElementTree  # noqa: S405 - only to wrap a tree parsed by defusedxml
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

import defusedxml
import defusedxml.ElementTree as SafeElementTree
import ttconv.model as ttmodel
import ttconv.style_properties as ttstyles
from ttconv.imsc.reader import to_model

from shinsa.screening.subtitles.cues import CueTextBuilder
from shinsa.screening.subtitles.errors import Reason, SubtitleError

TTML_NAMESPACE = "http://www.w3.org/ns/ttml"
MAX_DEPTH = 64
_WHITESPACE = re.compile(r"[ \t\r\n]+")
# ttconv log messages (pinned version) that mean a time was not understood.
_TIMING_MESSAGES = (
    "Bad begin",
    "Bad end",
    "Bad dur",
    "ttp:frameRate",
    "ttp:frameRateMultiplier",
    "ttp:tickRate",
    "Frame count",
    "bad timeContainer",
    "Bad ttp:timeBase",
    "Bad ttp:dropMode",
)

RawCue = tuple[int, int, CueTextBuilder, int]
_CONTAINERS = frozenset({f"{{{TTML_NAMESPACE}}}body", f"{{{TTML_NAMESPACE}}}div"})
_OPEN_ENDED = 1_000_000_000  # seconds, about 31 years


def read_ttml(text: str) -> list[RawCue]:
    root = _parse_xml(text)
    _check_depth(root)
    if root.tag != f"{{{TTML_NAMESPACE}}}tt":
        raise SubtitleError(None, Reason.NOT_TTML, root=_local_name(root.tag))
    _mark_open_ended_containers(root)
    with _ttconv_problems() as problems:
        try:
            document = to_model(ElementTree.ElementTree(root))
        except Exception as error:  # noqa: BLE001 - any crash of the reader on untrusted input
            raise SubtitleError(None, Reason.TTML_INVALID, detail=_short(error)) from None
    timing = [message for level, message in problems if message.startswith(_TIMING_MESSAGES)]
    if timing:
        raise SubtitleError(None, Reason.TTML_TIMING, detail=timing[0])
    fatal = [message for level, message in problems if level >= logging.CRITICAL]
    if document is None or fatal:
        raise SubtitleError(None, Reason.TTML_INVALID, detail=fatal[0] if fatal else "no tt element")
    body = document.get_body()
    if body is None:
        return []
    cues: list[RawCue] = []
    for paragraph, begin, end in _paragraphs(body, Fraction(0), None):
        number = len(cues) + 1
        if end is None or end >= _OPEN_ENDED:
            raise SubtitleError(None, Reason.CUE_WITHOUT_END, cue=number)
        builder = CueTextBuilder()
        emphasis = _emphasis_of(paragraph)
        for tag in sorted(emphasis):
            builder.open(tag)
        _read_content(builder, paragraph, emphasis)
        cues.append((_milliseconds(begin), _milliseconds(end), builder, number))
    return cues


def _parse_xml(text: str) -> ElementTree.Element:
    try:
        return SafeElementTree.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise SubtitleError(None, Reason.XML_FORBIDDEN) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        raise SubtitleError(None, Reason.XML_SYNTAX, line=line, column=column + 1) from None


def _mark_open_ended_containers(root: ElementTree.Element) -> None:
    """Work around ttconv 1.2.3 losing a timed ``<body>``/``<div>`` that has no ``end`` or ``dur``.

    In a parallel container ttconv computes such an element's implicit end as the largest of its own
    begin and its children's ends, but the children's ends are relative to the element: with
    ``<div begin="10s"><p end="2s">`` the div ends at 10 s, has no duration and is dropped. TTML1
    gives it an indefinite duration (it ends with its parent); a ``dur`` far beyond any programme
    stands for that, and an end past ``_OPEN_ENDED`` is read back as "no end".
    """
    for element in root.iter():
        if element.tag not in _CONTAINERS or element.get("begin") is None:
            continue
        if (
            element.get("end") is None
            and element.get("dur") is None
            and element.get("timeContainer") != "seq"
        ):
            element.set("dur", f"{_OPEN_ENDED}s")


def _check_depth(root: ElementTree.Element) -> None:
    # ttconv walks the tree recursively; a deep tree would exhaust the stack there.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SubtitleError(None, Reason.XML_TOO_DEEP, limit=MAX_DEPTH)
        stack.extend((child, depth + 1) for child in element)


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1][:60]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.problems: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.problems.append((record.levelno, _short_text(record.getMessage())))


@contextmanager
def _ttconv_problems() -> Iterator[list[tuple[int, str]]]:
    """ttconv's log records of ERROR and above while reading; nothing reaches other handlers (stderr)."""
    logger = logging.getLogger("ttconv")
    collector = _Collector()
    was_propagating = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.problems
    finally:
        logger.removeHandler(collector)
        logger.propagate = was_propagating


def _paragraphs(
    element: ttmodel.ContentElement, parent_begin: Fraction, parent_end: Fraction | None
) -> Iterator[tuple[ttmodel.P, Fraction, Fraction | None]]:
    begin, end = _absolute(element, parent_begin, parent_end)
    if end is not None and end <= begin:
        return  # never shown
    if isinstance(element, ttmodel.P):
        yield element, begin, end
        return
    for child in element:
        yield from _paragraphs(child, begin, end)


def _absolute(
    element: ttmodel.ContentElement, parent_begin: Fraction, parent_end: Fraction | None
) -> tuple[Fraction, Fraction | None]:
    own_begin = element.get_begin()
    own_end = element.get_end()
    begin = parent_begin + (own_begin if own_begin is not None else 0)
    end = parent_begin + own_end if own_end is not None else parent_end
    if end is not None and parent_end is not None:
        end = min(end, parent_end)
    return begin, end


def _milliseconds(seconds: Fraction) -> int:
    return math.floor(seconds * 1000 + Fraction(1, 2))


def _read_content(
    builder: CueTextBuilder,
    element: ttmodel.ContentElement,
    emphasis: frozenset[str],
    preserve: bool = False,
) -> None:
    # Text nodes have no space handling of their own, and ttconv's anonymous spans do not copy their
    # parent's: xml:space="preserve" is carried down from the element that set it.
    preserve = preserve or element.get_space() is ttmodel.WhiteSpaceHandling.PRESERVE
    for child in element:
        if isinstance(child, ttmodel.Text):
            _text(builder, child.get_text(), preserve=preserve)
        elif isinstance(child, ttmodel.Br):
            builder.line_break()
        elif isinstance(child, ttmodel.Ruby):
            builder.start_ruby()
            _read_ruby(builder, child)
            builder.end_ruby()
        elif isinstance(child, ttmodel.Rp):
            continue  # fallback parentheses for readers without ruby
        else:
            inner = emphasis | _emphasis_of(child)
            for tag in sorted(inner - emphasis):
                builder.open(tag)
            _read_content(builder, child, inner, preserve)
            for tag in sorted(inner - emphasis, reverse=True):
                builder.close(tag)


def _read_ruby(builder: CueTextBuilder, element: ttmodel.ContentElement) -> None:
    for child in element:
        if isinstance(child, ttmodel.Rt):
            builder.start_reading()
            _read_content(builder, child, frozenset())
            builder.end_reading()
        elif isinstance(child, ttmodel.Rp):
            continue
        elif isinstance(child, ttmodel.Rb | ttmodel.Rbc | ttmodel.Rtc):
            _read_ruby(builder, child)
        else:
            _read_content(builder, child, frozenset())


def _text(builder: CueTextBuilder, text: str, *, preserve: bool) -> None:
    if not preserve:
        builder.text(_WHITESPACE.sub(" ", text))
        return
    lines = text.split("\n")
    builder.text(lines[0])
    for line in lines[1:]:
        builder.line_break()
        builder.text(line)


def _emphasis_of(element: ttmodel.ContentElement) -> frozenset[str]:
    tags = set()
    if element.get_style(ttstyles.StyleProperties.FontStyle) in (
        ttstyles.FontStyleType.italic,
        ttstyles.FontStyleType.oblique,
    ):
        tags.add("i")
    shear = element.get_style(ttstyles.StyleProperties.Shear)
    if shear:  # Japanese subtitles slant with tts:shear instead of an italic font
        tags.add("i")
    if element.get_style(ttstyles.StyleProperties.FontWeight) is ttstyles.FontWeightType.bold:
        tags.add("b")
    decoration = element.get_style(ttstyles.StyleProperties.TextDecoration)
    if decoration is not None and getattr(decoration, "underline", None):
        tags.add("u")
    return frozenset(tags)


def _short(error: Exception) -> str:
    return _short_text(str(error) or type(error).__name__)


def _short_text(text: str) -> str:
    return " ".join(text.split())[:200]
