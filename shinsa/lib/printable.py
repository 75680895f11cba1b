"""Safe display of untrusted text inside one-line messages (pure)."""

from __future__ import annotations

import unicodedata
from typing import Any

_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def printable(value: Any) -> Any:
    """Shows invisible and control characters as U+XXXX so a message can never reorder a terminal line."""
    if not isinstance(value, str):
        return value
    shown = "".join(f"U+{ord(c):04X}" if unicodedata.category(c) in _INVISIBLE else c for c in value)
    return shown[:80]
