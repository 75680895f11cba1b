"""Checks on text read from a manifest: invisible and direction-changing characters, controls, formulas.

Ids and titles are compared, shown to reviewers and exported to spreadsheets, so characters that make
two strings look alike or reorder what is displayed (bidi overrides, zero-width joiners) are refused with
an error naming the field, never silently stripped. Text is NFC-normalised so the same title typed on two
systems is stored once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shinsa.catalog.manifest.errors import Reason

# Bidi embeddings/overrides (U+202A–202E), isolates (U+2066–2069), marks (U+200E/200F, U+061C) and
# zero-width characters (U+200B–200D, U+2060, U+FEFF).
HOSTILE = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
)

ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(frozen=True)
class TextProblem:
    reason: Reason
    codepoint: str = ""
    position: int = 0


def codepoint_label(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_text(value: str, *, multiline: bool = False) -> TextProblem | None:
    """The first problem in ``value``, or None. Newlines and tabs are allowed only in multiline text."""
    if value.startswith("="):
        return TextProblem(Reason.FORMULA)
    for position, char in enumerate(value, start=1):
        if char in HOSTILE:
            return TextProblem(Reason.HOSTILE_CHARACTER, codepoint_label(char), position)
        if multiline and char in "\n\t":
            continue
        category = unicodedata.category(char)
        # Cc: C0/C1 controls; Cs: lone surrogates (from JSON escapes); Co/Cn: private use and unassigned.
        if category in {"Cc", "Cs", "Co", "Cn"} or char in "\u2028\u2029":
            return TextProblem(Reason.CONTROL_CHARACTER, codepoint_label(char), position)
    return None


def normalise(value: str, *, multiline: bool = False) -> str:
    """NFC, trimmed; multiline text keeps its line breaks but loses carriage returns."""
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()
