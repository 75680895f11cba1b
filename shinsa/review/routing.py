"""Who may be offered which work item (pure, no Django).

The claim query (``shinsa.review.claims``) builds its SQL filter from a ``ReviewerRouting``; the same
rules are written here once as ``is_eligible`` so they can be tested as a table and compared with it.

Rules (docs/review.md):
- the item's queue accepts the reviewer (every language of the queue at its level, the queue's clearance);
- the reviewer holds the item's policy area;
- the item's own language need (Japanese subtitles: N2, or N1 when culturally/politically sensitive);
- the reviewer's clearance in the item's graphic category covers its graphic level;
- a sensitive item about a territory goes to someone who knows that territory;
- graphic items stop once the day's exposure budget is spent;
- an escalated item goes only to people who handle that tier;
- an appeal never goes to the reviewer whose decision it reopens;
- legal-only items (legal and government orders, quarantined media) go only to people with
  handle_legal, whatever their review skills (clearance and exposure still apply).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shinsa.accounts.skills import (
    JAPANESE,
    SkillProfile,
    levels_for_language,
    meets_language_requirement,
)
from shinsa.policy.schemas import Queue

# Escalation tiers, lowest first.
TIER_SPECIALIST = 0
TIER_SENIOR = 1
TIER_POLICY_LEGAL = 2
TIER_NAMES: tuple[str, ...] = ("specialist", "senior", "policy_legal")


def language_requirement_for(language: str, *, sensitive: bool) -> tuple[str, str]:
    """The level an item in ``language`` needs: Japanese N2 (N1 if sensitive), others B2 (C1 if sensitive)."""
    if language == JAPANESE:
        return language, "N1" if sensitive else "N2"
    return language, "C1" if sensitive else "B2"


def levels_meeting(level: str, language: str) -> tuple[str, ...]:
    """The required levels that someone at ``level`` satisfies (their own and every weaker one)."""
    return tuple(r for r in levels_for_language(language) if meets_language_requirement(level, r))


def queue_accepts(profile: SkillProfile, queue: Queue) -> bool:
    """Whether the person meets every language and clearance requirement of ``queue``."""
    for need in queue.languages:
        if not profile.meets_language(need.language, need.min_level):
            return False
    return all(profile.clearance_for(category) >= level for category, level in queue.clearance)


def queue_for(queues: Iterable[Queue], *, policy_area: str, territory: str) -> Queue | None:
    """Where an item of ``policy_area`` about ``territory`` lands: a queue for that territory first,
    else one for every territory (file order decides among equals)."""
    candidates = [q for q in queues if policy_area in q.policy_areas]
    for queue in candidates:
        if territory and territory in queue.territories:
            return queue
    for queue in candidates:
        if not queue.territories:
            return queue
    return None


@dataclass(frozen=True, kw_only=True, slots=True)
class ReviewerRouting:
    """What the claim filter needs to know about one reviewer, computed once per claim."""

    reviewer_id: int
    queue_ids: frozenset[str]
    policy_areas: frozenset[str]
    territories: frozenset[str]
    # (language, required levels the person satisfies)
    language_levels: tuple[tuple[str, tuple[str, ...]], ...]
    clearances: tuple[tuple[str, int], ...]
    exposure_budget_spent: bool
    max_escalation_tier: int
    legal: bool = False  # holds handle_legal: may take legal-only items (orders, quarantined media)
    # A reviewer's own routing for claims: the stamp of the skills and roles it was built from
    # (``shinsa.review.queries.routing_stamp_sql``). The claim statement checks the stamp still holds and
    # reads the exposure budget, last decision and queue gates itself, so such a routing can be cached.
    stamp: str | None = None


def reviewer_routing(
    *,
    reviewer_id: int,
    profile: SkillProfile,
    queues: Iterable[Queue],
    exposure_budget_spent: bool,
    max_escalation_tier: int,
    legal: bool = False,
    stamp: str | None = None,
) -> ReviewerRouting:
    return ReviewerRouting(
        reviewer_id=reviewer_id,
        queue_ids=frozenset(q.id for q in queues if queue_accepts(profile, q)),
        policy_areas=profile.policy_areas,
        territories=profile.territories,
        language_levels=tuple(
            (language, levels_meeting(level, language)) for language, level in profile.languages
        ),
        clearances=profile.clearances,
        exposure_budget_spent=exposure_budget_spent,
        max_escalation_tier=max_escalation_tier,
        legal=legal,
        stamp=stamp,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemNeeds:
    """What a work item asks of the person who takes it."""

    queue_id: str
    policy_area: str
    territory: str = ""
    required_language: str = ""
    required_level: str = ""
    graphic_category: str = ""
    graphic_level: int = 0
    sensitive: bool = False
    escalation_tier: int = TIER_SPECIALIST
    excluded_reviewer_id: int | None = None
    legal_only: bool = False


def is_eligible(routing: ReviewerRouting, needs: ItemNeeds) -> bool:
    """The routing rules for one item (the claim query applies the same rules in SQL)."""
    if needs.legal_only:
        # The restricted legal queue: legal staff only, whatever their review skills; clearance and
        # exposure still apply.
        return (
            routing.legal
            and _graphic_ok(routing, needs)
            and needs.excluded_reviewer_id != routing.reviewer_id
        )
    if needs.queue_id not in routing.queue_ids:
        return False
    if needs.policy_area not in routing.policy_areas:
        return False
    if needs.required_language:
        met = dict(routing.language_levels).get(needs.required_language, ())
        if needs.required_level not in met:
            return False
    if not _graphic_ok(routing, needs):
        return False
    if needs.sensitive and needs.territory and needs.territory not in routing.territories:
        return False
    if needs.escalation_tier > routing.max_escalation_tier:
        return False
    return needs.excluded_reviewer_id != routing.reviewer_id


def _graphic_ok(routing: ReviewerRouting, needs: ItemNeeds) -> bool:
    if needs.graphic_level == 0:
        return True
    if routing.exposure_budget_spent:
        return False
    return dict(routing.clearances).get(needs.graphic_category, 0) >= needs.graphic_level
