"""Strict reading of one TOML policy file: typed field access that names file, line and field on error.

``tomllib`` gives no positions, so the line of a field is found by scanning the text: table headers
(``[a.b]``, ``[[a]]`` counted per array) give each section its path, and ``key =`` lines inside a section
give the line of a key. Inline tables and arrays resolve to the line of the key that holds them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.policy.errors import PolicyFileError

type FieldPath = tuple[str | int, ...]

# A table header's name is dotted bare or quoted keys (no commas), so an array line such as
# ["a", "b"] inside a multi-line value is never taken for a header.
_HEADER = re.compile(r"""^\s*(\[\[?)\s*([A-Za-z0-9_.\- "']+?)\s*\]\]?\s*(#.*)?$""")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_DECODE_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _split_dotted(name: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", name)
    return tuple(part.strip("\"'") for part in parts)


def field_name(path: FieldPath) -> str:
    """``("rules", 3, "levels")`` -> ``rules[3].levels``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Bilingual:
    """A text in both of Shinsa's languages."""

    en: str
    ja: str

    def in_language(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


@dataclass(frozen=True, slots=True, kw_only=True)
class _Section:
    path: FieldPath
    line: int
    key_lines: dict[tuple[str, ...], int]


class TomlLocator:
    """Finds the line of a field path in TOML text (best effort, never wrong about the file)."""

    def __init__(self, text: str) -> None:
        self._sections = self._scan(text.splitlines())

    @staticmethod
    def _scan(lines: list[str]) -> list[_Section]:
        sections = [_Section(path=(), line=1, key_lines={})]
        array_counts: dict[tuple[str, ...], int] = {}
        in_multiline = False
        for number, line in enumerate(lines, start=1):
            # Skip the inside of multi-line strings so their text is never read as keys.
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                was_inside = in_multiline
                in_multiline = not in_multiline
                if was_inside:
                    continue
            elif in_multiline:
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                names = _split_dotted(header.group(2))
                path: list[str | int] = []
                # Array-of-tables indices apply to every prefix seen as an array so far.
                for depth in range(1, len(names) + 1):
                    path.append(names[depth - 1])
                    prefix = names[:depth]
                    is_this_array = header.group(1) == "[[" and depth == len(names)
                    if is_this_array:
                        array_counts[prefix] = array_counts.get(prefix, -1) + 1
                    if prefix in array_counts:
                        path.append(array_counts[prefix])
                sections.append(_Section(path=tuple(path), line=number, key_lines={}))
                continue
            key = _KEY.match(line)
            if key:
                sections[-1].key_lines.setdefault(_split_dotted(key.group(1)), number)
        return sections

    def line_of(self, path: FieldPath) -> int | None:
        best: _Section | None = None
        for section in self._sections:
            if path[: len(section.path)] == section.path and (
                best is None or len(section.path) >= len(best.path)
            ):
                best = section
        if best is None:
            return None
        rest = tuple(part for part in path[len(best.path) :])
        keys: list[str] = []
        for part in rest:
            if isinstance(part, int):
                break
            keys.append(part)
        for length in range(len(keys), 0, -1):
            line = best.key_lines.get(tuple(keys[:length]))
            if line is not None:
                return line
        return best.line if best.path else None


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Returns the text and parsed data of a TOML file; any problem is a PolicyFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(str(path), f"cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise PolicyFileError(str(path), "is not UTF-8 text") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _DECODE_POSITION.search(message)
        reason = _DECODE_POSITION.sub("", message).strip()
        line = int(position.group(1)) if position else None
        raise PolicyFileError(str(path), f"invalid TOML: {reason}", line=line) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise PolicyFileError(str(path), "invalid TOML: nested too deeply") from None


class PolicyDocument:
    """One parsed policy file with typed, strict accessors. Every failure is a PolicyFileError."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self._locator = TomlLocator(text)

    @classmethod
    def read(cls, path: Path) -> PolicyDocument:
        text, data = read_toml(path)
        return cls(path, text, data)

    def error(self, path: FieldPath, reason: str) -> PolicyFileError:
        return PolicyFileError(
            str(self.path), reason, line=self._locator.line_of(path), field=field_name(path) or None
        )

    def line_of(self, path: FieldPath) -> int | None:
        return self._locator.line_of(path)

    # -- structure ---------------------------------------------------------------------------------

    def table(
        self,
        value: Any,
        path: FieldPath,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any]:
        """Checks that ``value`` is a table with exactly the allowed keys and all required ones."""
        if not isinstance(value, dict):
            raise self.error(path, f"must be a table, not {_type_name(value)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                expected = ", ".join(sorted(allowed)) or "none"
                raise self.error((*path, key), f"unknown key {key!r} (allowed: {expected})")
        for key in required:
            if key not in value:
                raise self.error(path, f"missing required key {key!r}")
        return value

    def array(self, value: Any, path: FieldPath, *, min_items: int = 0) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(path, f"must be an array, not {_type_name(value)}")
        if len(value) < min_items:
            raise self.error(path, f"must hold at least {min_items} item(s)")
        return value

    def string(self, value: Any, path: FieldPath, *, pattern: re.Pattern[str] | None = None) -> str:
        if not isinstance(value, str):
            raise self.error(path, f"must be a string, not {_type_name(value)}")
        if not value.strip():
            raise self.error(path, "must not be empty")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.error(path, f"{value!r} does not match {pattern.pattern}")
        return value

    def integer(
        self, value: Any, path: FieldPath, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"must be an integer, not {_type_name(value)}")
        if minimum is not None and value < minimum:
            raise self.error(path, f"must be at least {minimum}, not {value}")
        if maximum is not None and value > maximum:
            raise self.error(path, f"must be at most {maximum}, not {value}")
        return value

    def boolean(self, value: Any, path: FieldPath) -> bool:
        if not isinstance(value, bool):
            raise self.error(path, f"must be true or false, not {_type_name(value)}")
        return value

    def strings(
        self, value: Any, path: FieldPath, *, min_items: int = 0, unique: bool = True
    ) -> tuple[str, ...]:
        items = self.array(value, path, min_items=min_items)
        result = tuple(self.string(item, (*path, index)) for index, item in enumerate(items))
        if unique:
            seen: set[str] = set()
            for index, item in enumerate(result):
                if item in seen:
                    raise self.error((*path, index), f"{item!r} is listed twice")
                seen.add(item)
        return result

    def bilingual(self, value: Any, path: FieldPath) -> Bilingual:
        table = self.table(value, path, required=("en", "ja"))
        return Bilingual(
            en=self.string(table["en"], (*path, "en")), ja=self.string(table["ja"], (*path, "ja"))
        )

    def one_of(self, value: Any, path: FieldPath, choices: Iterable[str]) -> str:
        text = self.string(value, path)
        choices = tuple(choices)
        if text not in choices:
            raise self.error(path, f"{text!r} is not one of {', '.join(choices)}")
        return text


def _type_name(value: Any) -> str:
    return {
        dict: "a table",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a float",
    }.get(type(value), type(value).__name__)
