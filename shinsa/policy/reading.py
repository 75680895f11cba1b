"""Strict, typed reading of one TOML table of a policy file.

A ``TableReader`` is built with the keys its table may hold: an unknown key (usually a typo) is reported
first, then missing ones; each getter checks the value's type and range and raises ``PolicyFileError``
naming the file, line and field. Kinds registered by other apps use the same reader.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable
from typing import Any

from shinsa.policy.documents import KeyPath, PolicyDocument
from shinsa.policy.errors import PolicyFileError
from shinsa.policy.schemas import Bilingual

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
# Hiragana, katakana, CJK ideographs and half-width katakana: Japanese text has at least one.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "a table",
    list: "an array",
    datetime.date: "a date (YYYY-MM-DD)",
}


def type_name(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return "a date-time"
    if isinstance(value, datetime.time):
        return "a time"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class TableReader:
    """Reads the values of one table; ``keypath`` says where the table sits in its document."""

    def __init__(
        self,
        document: PolicyDocument,
        table: Any,
        keypath: KeyPath,
        *,
        required: Collection[str],
        optional: Collection[str] = (),
    ) -> None:
        self.document = document
        self.keypath = keypath
        if not isinstance(table, dict):
            raise document.error(keypath, f"must be a table, not {type_name(table)}")
        self.table: dict[str, Any] = table
        allowed = set(required) | set(optional)
        for key in table:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                raise self.error(key, f"unknown key {key!r}; expected one of: {expected}")
        for key in required:
            if key not in table:
                raise self.error(key, "missing required key")

    def error(self, key: str | int, reason: str) -> PolicyFileError:
        return self.document.error((*self.keypath, key), reason)

    def has(self, key: str) -> bool:
        return key in self.table

    def _typed(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        value = self.table[key]
        # bool is an int in Python, a datetime is a date: neither may stand in for the other here.
        wrong_bool = isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
        wrong_datetime = isinstance(value, datetime.datetime) and kind is datetime.date
        if not isinstance(value, kind) or wrong_bool or wrong_datetime:
            raise self.error(key, f"must be {expected}, not {type_name(value)}")
        return value

    def string(self, key: str, *, pattern: re.Pattern[str] | None = None, max_length: int = 10_000) -> str:
        value = self._typed(key, str, "a string")
        if not value.strip():
            raise self.error(key, "must not be empty")
        if len(value) > max_length:
            raise self.error(key, f"must be at most {max_length} characters, not {len(value)}")
        if pattern is not None and not pattern.match(value):
            raise self.error(key, f"{value!r} does not match the pattern {pattern.pattern}")
        return value

    def identifier(self, key: str) -> str:
        """A lower-case id: letters, digits and underscores, starting with a letter."""
        return self.string(key, pattern=IDENTIFIER, max_length=64)

    def boolean(self, key: str) -> bool:
        return self._typed(key, bool, "true or false")

    def integer(self, key: str, *, minimum: int, maximum: int) -> int:
        value = self._typed(key, int, "a whole number")
        if not minimum <= value <= maximum:
            raise self.error(key, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def number(self, key: str, *, minimum: float, maximum: float) -> float:
        value = self._typed(key, (int, float), "a number")
        if not minimum <= value <= maximum:
            raise self.error(key, f"must be between {minimum} and {maximum}, not {value}")
        return float(value)

    def date(self, key: str) -> datetime.date:
        return self._typed(key, datetime.date, "a date (YYYY-MM-DD)")

    def choice(self, key: str, choices: Collection[str], *, what: str) -> str:
        value = self._typed(key, str, "a string")
        if value not in choices:
            raise self.error(key, f"unknown {what} {value!r}; expected one of: {', '.join(sorted(choices))}")
        return value

    def reference(self, key: str, known: Collection[str], *, what: str) -> str:
        """An id that must name an entry loaded elsewhere (a policy area, an SLA, ...)."""
        value = self._typed(key, str, "a string")
        if value not in known:
            raise self.error(key, f"unknown {what} {value!r}")
        return value

    def string_list(
        self, key: str, *, allowed: Collection[str] | None = None, what: str = "value", min_items: int = 0
    ) -> tuple[str, ...]:
        """An array of distinct strings, each in ``allowed`` when given."""
        values = self._typed(key, list, "an array")
        if len(values) < min_items:
            raise self.error(key, f"needs at least {min_items} item{'s' if min_items != 1 else ''}")
        seen: set[str] = set()
        for index, value in enumerate(values):
            where = (*self.keypath, key, index)
            if not isinstance(value, str):
                raise self.document.error(where, f"must be a string, not {type_name(value)}")
            if allowed is not None and value not in allowed:
                raise self.document.error(where, f"unknown {what} {value!r}")
            if value in seen:
                raise self.document.error(where, f"{what} {value!r} is listed twice")
            seen.add(value)
        return tuple(values)

    def table_reader(
        self, key: str, *, required: Collection[str], optional: Collection[str] = ()
    ) -> TableReader:
        return TableReader(
            self.document, self.table[key], (*self.keypath, key), required=required, optional=optional
        )

    def table_list(
        self, key: str, *, required: Collection[str], optional: Collection[str] = ()
    ) -> list[TableReader]:
        values = self._typed(key, list, "an array of tables")
        return [
            TableReader(
                self.document, value, (*self.keypath, key, index), required=required, optional=optional
            )
            for index, value in enumerate(values)
        ]

    def integer_map(
        self, key: str, *, keys: Collection[str], what: str, minimum: int, maximum: int
    ) -> tuple[tuple[str, int], ...]:
        """A table of ``known id = whole number`` pairs, e.g. ``{ violence_gore = 2 }``, sorted by id."""
        table = self._typed(key, dict, "a table")
        nested = TableReader(self.document, table, (*self.keypath, key), required=(), optional=keys)
        return tuple(sorted((name, nested.integer(name, minimum=minimum, maximum=maximum)) for name in table))

    def bilingual(self, key: str, *, max_length: int = 10_000) -> Bilingual:
        """Text in both languages: ``{ ja = "...", en = "..." }``; the Japanese must be Japanese."""
        texts = self._typed(key, dict, "a table with ja and en texts")
        nested = TableReader(self.document, texts, (*self.keypath, key), required=(), optional=("ja", "en"))
        for language, label in (("ja", "Japanese"), ("en", "English")):
            if language not in texts:
                raise nested.error(language, f"missing {label} text")
        ja = nested.string("ja", max_length=max_length)
        en = nested.string("en", max_length=max_length)
        if not _JAPANESE.search(ja):
            raise nested.error("ja", "the Japanese text contains no Japanese characters")
        return Bilingual(ja=ja.strip(), en=en.strip())


def require_known_keys(document: PolicyDocument, allowed: Iterable[str]) -> None:
    """Reject top-level keys a file of this kind may not hold."""
    allowed = set(allowed)
    for key in document.data:
        if key not in allowed:
            raise document.error(
                (key,), f"unknown top-level key {key!r}; expected: {', '.join(sorted(allowed))}"
            )
