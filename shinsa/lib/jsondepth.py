"""How deeply a JSON text nests, found in one pass before parsing (Python's json recursion is unbounded).

Pure: no Django import. Every reader of untrusted JSON checks this first, so a file of 100,000 ``[``
gives a clear error instead of a ``RecursionError`` traceback.
"""

from __future__ import annotations


def json_depth(text: str) -> int:
    """Deepest nesting of arrays/objects in ``text`` (strings and escapes are skipped)."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
