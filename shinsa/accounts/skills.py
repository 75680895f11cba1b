"""The vocabulary of skill profiles (pure, no Django): language levels, territories, clearance levels.

Japanese proficiency is written as a JLPT level (N1 best, N5 lowest); every other language as a CEFR
level (C2 best, A1 lowest). Routing compares levels only through ``meets_language_requirement``.
"""

from __future__ import annotations

from dataclasses import dataclass

from shinsa.accounts.iso_codes import LANGUAGES, TERRITORIES

JAPANESE = "ja"
# Best first, so a smaller index is a stronger level.
JLPT_LEVELS: tuple[str, ...] = ("N1", "N2", "N3", "N4", "N5")
CEFR_LEVELS: tuple[str, ...] = ("C2", "C1", "B2", "B1", "A2", "A1")

LANGUAGE_CODES: frozenset[str] = frozenset(LANGUAGES)
TERRITORY_CODES: frozenset[str] = frozenset(TERRITORIES)

# Graphic-content clearance: 0 (none, the default when nothing is recorded) to 3 (the most severe material).
MIN_CLEARANCE = 0
MAX_CLEARANCE = 3


def levels_for_language(language: str) -> tuple[str, ...]:
    """The proficiency scale of a language, best level first."""
    return JLPT_LEVELS if language == JAPANESE else CEFR_LEVELS


def is_valid_level(language: str, level: str) -> bool:
    return language in LANGUAGE_CODES and level in levels_for_language(language)


def meets_language_requirement(level: str | None, required: str) -> bool:
    """Whether ``level`` is at least as strong as ``required`` (N1 ≥ N2 ≥ … ≥ N5; C2 ≥ C1 ≥ … ≥ A1).

    ``level`` None means the person has no recorded skill in the language. Comparing a JLPT level with
    a CEFR level is a programming error and raises ValueError.
    """
    scale = JLPT_LEVELS if required in JLPT_LEVELS else CEFR_LEVELS
    if required not in scale:
        raise ValueError(f"unknown language level {required!r}")
    if level is None:
        return False
    if level not in scale:
        raise ValueError(f"cannot compare language level {level!r} with {required!r}")
    return scale.index(level) <= scale.index(required)


def language_problem(language: str, level: str) -> str | None:
    """Why ``language``/``level`` is not a valid pair, or None when it is."""
    if language not in LANGUAGE_CODES:
        return f"unknown language code {language!r} (use ISO 639-1, e.g. ja, en)"
    scale = levels_for_language(language)
    if level not in scale:
        system = "a JLPT level" if language == JAPANESE else "a CEFR level"
        return f"language level for {language!r} must be {system} ({', '.join(scale)}), not {level!r}"
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class SkillProfile:
    """What one person can review, as routing sees it."""

    languages: tuple[tuple[str, str], ...]  # (language, level), sorted by language
    policy_areas: frozenset[str]
    clearances: tuple[tuple[str, int], ...]  # (category, level 1–3), sorted by category
    territories: frozenset[str]

    def language_level(self, language: str) -> str | None:
        return dict(self.languages).get(language)

    def meets_language(self, language: str, min_level: str) -> bool:
        return meets_language_requirement(self.language_level(language), min_level)

    def clearance_for(self, category: str) -> int:
        return dict(self.clearances).get(category, MIN_CLEARANCE)
