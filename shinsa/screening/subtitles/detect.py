"""Which subtitle format a text is, from its content (a file's name or extension is not trusted)."""

from __future__ import annotations

import re

SRT, VTT, ASS, SSA, TTML = "srt", "vtt", "ass", "ssa", "ttml"

_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t]|\n|$)")
_ASS_SECTION = re.compile(
    r"^[ \t]*\[(?:Script Info|V4\+? Styles|Events)\][ \t]*$", re.MULTILINE | re.IGNORECASE
)
_SSA_STYLES = re.compile(r"^[ \t]*\[V4 Styles\]", re.MULTILINE | re.IGNORECASE)
_SSA_SCRIPT_TYPE = re.compile(r"^[ \t]*ScriptType:[ \t]*v4\.00[ \t]*$", re.MULTILINE | re.IGNORECASE)
# A start time and the arrow are enough to call it SRT; the SRT reader then checks every timing line,
# so a corrupt end time is reported with its line rather than as "not a subtitle file".
_SRT_TIMING = re.compile(r"^[ \t]*\d{1,2}:\d{1,2}:\d{1,2}[,.]\d{1,3}[ \t]*-->", re.MULTILINE)
# The ASS header sits at the top; looking further into a huge file is not needed to recognise it.
_HEADER_WINDOW = 64 * 1024


def detect_format(text: str) -> str | None:
    """``srt``, ``vtt``, ``ass``, ``ssa`` or ``ttml``; None when the text is none of them.

    ``text`` has ``\\n`` line ends and no BOM. XML is reported as ``ttml`` whatever its root: the TTML
    reader refuses other XML with a precise reason (a DTD, a different root element).
    """
    start = text.lstrip(" \t\n")
    if _VTT_HEADER.match(start):
        return VTT
    if start.startswith("<"):
        return TTML
    head = text[:_HEADER_WINDOW]
    if _ASS_SECTION.search(head):
        if _SSA_STYLES.search(head) or _SSA_SCRIPT_TYPE.search(head):
            return SSA
        return ASS
    if _SRT_TIMING.search(text):
        return SRT
    return None
