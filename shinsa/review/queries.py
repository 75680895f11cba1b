"""Reads of review work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.utils import timezone

from shinsa.accounts.models import (
    DEFAULT_EXPOSURE_BUDGET_MINUTES,
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    RoleGrant,
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
    roles: frozenset[str] = frozenset()
    # The routing inputs (skills, clearances, roles) as one string: a claim with a routing built from
    # this context checks, in its own statement, that the stamp still reads the same (``routing_stamp_sql``)
    routing_stamp: str = ""


# Whether the person's weighted graphic exposure today has reached their daily budget (params: the
# person, the day, the person). The claim statement evaluates it itself, so it is never stale.
EXPOSURE_SPENT_SQL = f"""((SELECT COALESCE(SUM(weighted_ms), 0) FROM {ExposureEntry._meta.db_table}
    WHERE reviewer_id = %s AND day = %s) >= COALESCE((SELECT daily_exposure_budget_minutes
    FROM {WellnessSettings._meta.db_table} WHERE user_id = %s), {DEFAULT_EXPOSURE_BUDGET_MINUTES}) * 60000)"""  # noqa: S608

# Whether the person's last decision was about a high-severity item (param: the person; NULL if none).
LAST_DECISION_HIGH_SQL = f"""(SELECT w.high_severity FROM {Decision._meta.db_table} d
    JOIN {WorkItem._meta.db_table} w ON w.id = d.item_id
    WHERE d.reviewer_id = %s ORDER BY d.decided_at DESC, d.id DESC LIMIT 1)"""  # noqa: S608


@lru_cache(maxsize=4)
def routing_stamp_sql(vendor: str) -> tuple[str, int]:
    """A scalar sub-SELECT of everything a reviewer's cached routing is built from (their skills,
    clearances and roles) as one string, and how many times it takes the person's id. Queues come from
    the policy files (the process's policy set) and the day's exposure, last decision and queue gates
    are read by the claim statement itself, so none of those is in it."""
    rows = f"""
        SELECT 'l:' || language || ':' || level AS k FROM {LanguageSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'a:' || area FROM {PolicyAreaSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'c:' || category || ':' || CAST(level AS TEXT) FROM {GraphicClearance._meta.db_table}
            WHERE user_id = %s
        UNION ALL SELECT 't:' || territory FROM {TerritorySkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'r:' || role FROM {RoleGrant._meta.db_table} WHERE user_id = %s
    """  # noqa: S608
    if vendor == "postgresql":
        return f"(SELECT COALESCE(string_agg(k, ',' ORDER BY k), '') FROM ({rows}) AS routing_inputs)", 5  # noqa: S608
    # SQLite (3.40) has no ORDER BY inside an aggregate; it keeps a sub-SELECT's order for group_concat.
    return f"(SELECT COALESCE(group_concat(k, ','), '') FROM ({rows} ORDER BY k) AS routing_inputs)", 5  # noqa: S608


@lru_cache(maxsize=4)
def _claim_context_sql(vendor: str) -> str:
    # One UNION ALL of small indexed lookups: a claim is on every reviewer's hot path, and seven separate
    # ORM queries cost more than the claim itself.
    # Only table names from model Meta are interpolated; every value is a parameter.
    return f"""
        SELECT 'lang', language, level FROM {LanguageSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'area', area, '' FROM {PolicyAreaSkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'clear', category, CAST(level AS TEXT) FROM {GraphicClearance._meta.db_table}
            WHERE user_id = %s
        UNION ALL SELECT 'terr', territory, '' FROM {TerritorySkill._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'spent', '', CAST({EXPOSURE_SPENT_SQL} AS TEXT)
        UNION ALL SELECT 'last', '', CAST({LAST_DECISION_HIGH_SQL} AS TEXT)
        UNION ALL SELECT 'held', '', CAST(COUNT(*) AS TEXT) FROM {WorkItem._meta.db_table}
            WHERE status = 'held' AND held_for_id = %s
        UNION ALL SELECT 'role', role, '' FROM {RoleGrant._meta.db_table} WHERE user_id = %s
        UNION ALL SELECT 'stamp', '', {routing_stamp_sql(vendor)[0]}
    """  # noqa: S608


def claim_context(user_id: int, *, today: datetime.date | None = None) -> ClaimContext:
    day = today or timezone.now().date()
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_context_sql(connection.vendor),
            [user_id] * 4
            + [user_id, day, user_id]
            + [user_id] * 3
            + [user_id] * routing_stamp_sql(connection.vendor)[1],
        )
        rows = cursor.fetchall()
    languages, areas, clearances, territories = [], set(), [], set()
    spent, last_high, held = False, False, 0
    roles, stamp = set(), ""
    for kind, key, value in rows:
        if kind == "lang":
            languages.append((key, value))
        elif kind == "area":
            areas.add(key)
        elif kind == "clear":
            clearances.append((key, int(value)))
        elif kind == "terr":
            territories.add(key)
        elif kind == "spent":
            spent = _true(value)
        elif kind == "last":
            last_high = _true(value)
        elif kind == "held":
            held = int(value)
        elif kind == "role":
            roles.add(key)
        elif kind == "stamp":
            stamp = value
    return ClaimContext(
        profile=SkillProfile(
            languages=tuple(sorted(languages)),
            policy_areas=frozenset(areas),
            clearances=tuple(sorted(clearances)),
            territories=frozenset(territories),
        ),
        exposure_budget_spent=spent,
        last_decision_high_severity=last_high,
        has_held_items=held > 0,
        roles=frozenset(roles),
        routing_stamp=stamp,
    )


def _true(value: str | None) -> bool:
    return value in ("true", "1", "t")  # a boolean cast to text: PostgreSQL 'true', SQLite '1'
