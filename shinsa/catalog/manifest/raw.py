"""The readers' common output: nested records of values as read, before any value is checked.

JSON gives these directly; CSV and XLSX rows are grouped into the same shape (see ``flat``), so one
validator serves all three formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Refused:
    """Marks a value whose problem a reader already reported (a formula cell): not checked again."""

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED = Refused()


@dataclass
class RawNode:
    values: dict[str, Any]
    row: int | None
    label: Callable[[str], str]
    # True for spreadsheet cells: numbers may arrive as text ("2024") and text as numbers (a title 1984).
    from_cells: bool = False
    children: dict[str, list[RawNode] | None] = field(default_factory=dict)


def path_label(prefix: str) -> Callable[[str], str]:
    """Labels for JSON: ``titles[2].versions[0].`` + field name."""
    return lambda name: f"{prefix}{name}"


def column_label(columns: dict[str, str]) -> Callable[[str], str]:
    """Labels for CSV/XLSX: the column a field came from."""
    return lambda name: columns.get(name, name)
