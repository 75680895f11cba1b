"""Typed readers for single values of a raw record; each problem becomes one ``IngestError``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from shinsa.catalog.manifest import codes
from shinsa.catalog.manifest.errors import IngestError, Reason
from shinsa.catalog.manifest.raw import REFUSED, RawNode
from shinsa.catalog.manifest.text import ID_PATTERN, check_text, normalise

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"[0-9]{1,9}")


class FieldReader:
    """Reads the values of one record, appending problems to ``errors``; bad values read as None."""

    def __init__(self, node: RawNode, errors: list[IngestError]) -> None:
        self.node = node
        self.errors = errors

    def fail(self, name: str, reason: Reason, **params: Any) -> None:
        self.errors.append(IngestError(self.node.row, self.node.label(name), reason, params))

    def _raw(self, name: str, required: bool) -> Any:
        value = self.node.values.get(name)
        if value is REFUSED:
            return REFUSED
        if value is None and required:
            self.fail(name, Reason.REQUIRED)
        return value

    def text(
        self, name: str, *, required: bool = False, max_length: int = 500, multiline: bool = False
    ) -> str | None:
        value = self._raw(name, required)
        if value is None or value is REFUSED:
            return None
        if self.node.from_cells and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        if not isinstance(value, str):
            self.fail(name, Reason.NOT_TEXT)
            return None
        return self.checked_text(name, value, required=required, max_length=max_length, multiline=multiline)

    def checked_text(
        self, name: str, value: str, *, required: bool = False, max_length: int = 500, multiline: bool = False
    ) -> str | None:
        value = normalise(value, multiline=multiline)
        problem = check_text(value, multiline=multiline)
        if problem is not None:
            self.fail(name, problem.reason, codepoint=problem.codepoint, position=problem.position)
            return None
        if not value:
            if required:
                self.fail(name, Reason.REQUIRED)
            return None
        if len(value) > max_length:
            self.fail(name, Reason.TOO_LONG, max=max_length)
            return None
        return value

    def ident(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=64)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.fail(name, Reason.BAD_ID)
            return None
        return value

    def integer(self, name: str, *, minimum: int, maximum: int, required: bool = False) -> int | None:
        value = self._raw(name, required)
        if value is None or value is REFUSED:
            return None
        if self.node.from_cells:
            if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
                value = int(value.strip())
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, Reason.NOT_INTEGER)
            return None
        if not minimum <= value <= maximum:
            self.fail(name, Reason.OUT_OF_RANGE, min=minimum, max=maximum)
            return None
        return value

    def choice(self, name: str, choices: Iterable[str], *, required: bool = False) -> str | None:
        allowed = list(choices)
        value = self.text(name, required=required, max_length=64)
        if value is not None and value not in allowed:
            self.fail(name, Reason.BAD_CHOICE, choices=", ".join(allowed))
            return None
        return value

    def language(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=16)
        if value is None:
            return None
        return self.checked_language(name, value)

    def checked_language(self, name: str, value: str) -> str | None:
        if not codes.is_language(value.lower()):
            self.fail(name, Reason.BAD_LANGUAGE, value=value[:16])
            return None
        return value.lower()

    def territory(self, name: str, value: Any) -> str | None:
        if not isinstance(value, str) or value.upper() not in codes.TERRITORIES:
            self.fail(name, Reason.BAD_TERRITORY, value=str(value)[:16])
            return None
        return value.upper()

    def date(self, name: str, value: Any, *, required: bool = False) -> date | None:
        if value is REFUSED:
            return None
        if value is None or value == "":
            if required:
                self.fail(name, Reason.REQUIRED)
            return None
        if self.node.from_cells and isinstance(value, datetime) and value.time() == datetime.min.time():
            return value.date()
        if self.node.from_cells and type(value) is date:
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(name, Reason.BAD_DATE, value=str(value)[:32])
        return None

    def string_list(self, name: str, *, max_items: int, max_length: int) -> tuple[str, ...]:
        value = self._raw(name, False)
        if value is None or value is REFUSED:
            return ()
        if not isinstance(value, list):
            self.fail(name, Reason.NOT_LIST)
            return ()
        if len(value) > max_items:
            self.fail(name, Reason.TOO_MANY, max=max_items)
            return ()
        items: list[str] = []
        for item in value:
            if not isinstance(item, str):
                self.fail(name, Reason.NOT_TEXT)
                return ()
            checked = self.checked_text(name, item, max_length=max_length)
            if checked is not None and checked not in items:
                items.append(checked)
        return tuple(items)

    def string_map(self, name: str, *, max_items: int) -> tuple[tuple[str, str], ...]:
        """A namespace -> value map (external ids); namespaces are ids, values short text."""
        value = self._raw(name, False)
        if value is None or value is REFUSED:
            return ()
        if not isinstance(value, dict):
            self.fail(name, Reason.NOT_OBJECT)
            return ()
        if len(value) > max_items:
            self.fail(name, Reason.TOO_MANY, max=max_items)
            return ()
        pairs: dict[str, str] = {}
        for namespace, item in value.items():
            namespace = normalise(namespace).lower()
            if not ID_PATTERN.fullmatch(namespace) or len(namespace) > 32:
                self.fail(name, Reason.BAD_ID)
                continue
            if not isinstance(item, str):
                self.fail(name, Reason.NOT_TEXT)
                continue
            checked = self.checked_text(name, item, required=True, max_length=128)
            if checked is not None:
                pairs[namespace] = checked
        return tuple(sorted(pairs.items()))
