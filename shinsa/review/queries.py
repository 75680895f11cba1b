"""Reads of review work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from shinsa.accounts.models import (
    DEFAULT_EXPOSURE_BUDGET_MINUTES,
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    TerritorySkill,
    WellnessSettings,
)
from shinsa.accounts.skills import SkillProfile
from shinsa.review.models import Decision, ExposureEntry, WorkItem


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimContext:
    """What a claim needs to know about the reviewer, read in one round trip."""

    profile: SkillProfile
    exposure_budget_spent: bool
    last_decision_high_severity: bool
    has_held_items: bool = True  # items held for this person wait (checked first by a claim)


def _claim_context_sql() -> str:
    # One UNION ALL of small indexed lookups: a claim is on every reviewer's hot path, and seven separate
    # ORM queries cost more than the claim itself.
    # Only table names from model Meta are interpolated; every value is a parameter.
    return f"""
        SELECT 'lang', language, level FROM {LanguageSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'area', area, '' FROM {PolicyAreaSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'clear', category, CAST(level AS TEXT) FROM {GraphicClearance._meta.db_table}
            WHERE user_id = %s
        UNION ALL SELECT 'terr', territory, '' FROM {TerritorySkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'budget', '', CAST(daily_exposure_budget_minutes AS TEXT)
            FROM {WellnessSettings._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'spent', '', CAST(COALESCE(SUM(weighted_ms), 0) AS TEXT)
            FROM {ExposureEntry._meta.db_table} WHERE reviewer_id = %s AND day = %s
        UNION ALL SELECT 'last', '', CAST((
            SELECT w.high_severity FROM {Decision._meta.db_table} d
            JOIN {WorkItem._meta.db_table} w ON w.id = d.item_id
            WHERE d.reviewer_id = %s ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS TEXT)
        UNION ALL SELECT 'held', '', CAST(COUNT(*) AS TEXT) FROM {WorkItem._meta.db_table}
            WHERE status = 'held' AND held_for_id = %s
    """  # noqa: S608


_CLAIM_CONTEXT_SQL = _claim_context_sql()


def claim_context(user_id: int, *, today: datetime.date | None = None) -> ClaimContext:
    day = today or timezone.now().date()
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_CONTEXT_SQL, [user_id] * 6 + [day, user_id, user_id])
        rows = cursor.fetchall()
    languages, areas, clearances, territories = [], set(), [], set()
    budget_minutes, spent_ms, last_high, held = DEFAULT_EXPOSURE_BUDGET_MINUTES, 0, False, 0
    for kind, key, value in rows:
        if kind == "lang":
            languages.append((key, value))
        elif kind == "area":
            areas.add(key)
        elif kind == "clear":
            clearances.append((key, int(value)))
        elif kind == "terr":
            territories.add(key)
        elif kind == "budget":
            budget_minutes = int(value)
        elif kind == "spent":
            spent_ms = int(value)
        elif kind == "last":
            last_high = value in ("true", "1", "t")
        elif kind == "held":
            held = int(value)
    return ClaimContext(
        profile=SkillProfile(
            languages=tuple(sorted(languages)),
            policy_areas=frozenset(areas),
            clearances=tuple(sorted(clearances)),
            territories=frozenset(territories),
        ),
        exposure_budget_spent=spent_ms >= budget_minutes * 60_000,
        last_decision_high_severity=last_high,
        has_held_items=held > 0,
    )
