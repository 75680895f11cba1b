"""Frozen, keyword-only types for the contents of ``policies/`` (pure, no Django)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

# The names of the built-in kinds (the key of each in ``PolicySet.kinds``).
POLICY_AREAS = "policy_areas"
WELLNESS_PRESETS = "wellness_presets"
CLAUSES = "clauses"
REPORT_REASONS = "report_reasons"
SLAS = "slas"
QUEUES = "queues"

MS_PER_HOUR = 3_600_000

# EU Transparency Database statement-of-reasons categories (DSA Art. 24(5)).
DSA_CATEGORIES: frozenset[str] = frozenset(
    f"STATEMENT_CATEGORY_{name}"
    for name in (
        "ANIMAL_WELFARE",
        "CONSUMER_INFORMATION",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NOT_SPECIFIED_NOTICE",
        "OTHER_VIOLATION_TC",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "UNSAFE_AND_PROHIBITED_PRODUCTS",
        "VIOLENCE",
    )
)


class Severity(StrEnum):
    """How harmful a violation in a policy area is; routing and escalation order by it."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Priority(StrEnum):
    """Work item priority; each SLA sets a target per priority."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


@dataclass(frozen=True, kw_only=True, slots=True)
class Bilingual:
    ja: str
    en: str

    def in_language(self, language: str) -> str:
        """The text for a language code; anything but Japanese gets English."""
        return self.ja if language.lower().startswith("ja") else self.en


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyArea:
    id: str
    name: Bilingual
    description: Bilingual
    severity: Severity
    clause_prefix: str  # every clause of the area has an id starting "<prefix>-"
    dsa_category: str | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Clause:
    """A rule that decisions cite. ``version`` is the hash of its content, so a citation pins its text."""

    id: str
    area: str
    title: Bilingual
    text: Bilingual
    effective: datetime.date
    legal_basis: Bilingual | None  # set when the clause carries out a legal duty, not only the terms
    version: str
    source: str  # the file it came from, relative to the policy directory


@dataclass(frozen=True, kw_only=True, slots=True)
class ReportReason:
    id: str
    area: str
    label: Bilingual
    priority: Priority


@dataclass(frozen=True, kw_only=True, slots=True)
class WellnessPreset:
    """Defaults for showing media of one graphic-content category (also the clearance categories)."""

    id: str
    name: Bilingual
    blur: bool
    greyscale: bool
    mute: bool
    reveal_steps: int  # how many steps progressive reveal takes from fully treated to clear
    exposure_weight: float  # a minute of this category counts this many minutes against the daily budget


@dataclass(frozen=True, kw_only=True, slots=True)
class Sla:
    id: str
    name: Bilingual
    urgent_hours: int
    high_hours: int
    normal_hours: int
    low_hours: int

    def target_ms(self, priority: Priority) -> int:
        """Time allowed from an item's creation to its decision, in milliseconds."""
        hours = {
            Priority.URGENT: self.urgent_hours,
            Priority.HIGH: self.high_hours,
            Priority.NORMAL: self.normal_hours,
            Priority.LOW: self.low_hours,
        }[Priority(priority)]
        return hours * MS_PER_HOUR


@dataclass(frozen=True, kw_only=True, slots=True)
class LanguageRequirement:
    language: str  # ISO 639-1
    min_level: str  # JLPT for Japanese, CEFR otherwise


@dataclass(frozen=True, kw_only=True, slots=True)
class Queue:
    id: str
    name: Bilingual
    policy_areas: tuple[str, ...]
    territories: tuple[str, ...]  # ISO 3166-1 alpha-2; empty means every territory
    languages: tuple[LanguageRequirement, ...]  # a reviewer needs all of them
    clearance: tuple[tuple[str, int], ...]  # (wellness category, minimum level), sorted
    sla: str

    def required_clearance(self, category: str) -> int:
        return dict(self.clearance).get(category, 0)


class HasId(Protocol):
    @property
    def id(self) -> str: ...


class ItemsById[T: HasId]:
    """An ordered, read-only collection of entries with unique ids."""

    __slots__ = ("_by_id", "_items")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = tuple(items)
        self._by_id = {item.id: item for item in self._items}
        if len(self._by_id) != len(self._items):
            raise ValueError("ids must be unique")

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._by_id

    def __getitem__(self, item_id: str) -> T:
        return self._by_id[item_id]

    def get(self, item_id: str) -> T | None:
        return self._by_id.get(item_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def __repr__(self) -> str:
        return f"ItemsById({list(self._by_id)})"


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyFile:
    name: str  # relative to the policy directory
    kind: str
    sha256: str  # of the canonical content: comments and formatting do not count


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicySet:
    """Everything loaded from one policy directory. ``version`` identifies it; decisions store it."""

    directory: str
    version: str
    files: tuple[PolicyFile, ...]
    kinds: Mapping[str, Any]
    unclaimed: tuple[str, ...]  # TOML files that no registered kind reads

    def kind(self, name: str) -> Any:
        """What a registered kind's loader returned (KeyError for an unknown kind)."""
        return self.kinds[name]

    @property
    def areas(self) -> ItemsById[PolicyArea]:
        return self.kinds[POLICY_AREAS]

    @property
    def clauses(self) -> ItemsById[Clause]:
        return self.kinds[CLAUSES]

    @property
    def report_reasons(self) -> ItemsById[ReportReason]:
        return self.kinds[REPORT_REASONS]

    @property
    def wellness_presets(self) -> ItemsById[WellnessPreset]:
        return self.kinds[WELLNESS_PRESETS]

    @property
    def slas(self) -> ItemsById[Sla]:
        return self.kinds[SLAS]

    @property
    def queues(self) -> ItemsById[Queue]:
        return self.kinds[QUEUES]
