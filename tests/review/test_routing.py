"""Routing eligibility as a table (pure)."""

from __future__ import annotations

import pytest

from shinsa.accounts.skills import SkillProfile
from shinsa.policy.loader import load_policy_set
from shinsa.review.routing import (
    ItemNeeds,
    is_eligible,
    language_requirement_for,
    levels_meeting,
    queue_accepts,
    queue_for,
    reviewer_routing,
)

POLICIES = load_policy_set("policies")


def profile(
    languages=(("en", "C1"), ("ja", "N1")), areas=("violence", "hate"), clearances=(), territories=()
):
    return SkillProfile(
        languages=tuple(sorted(languages)),
        policy_areas=frozenset(areas),
        clearances=tuple(sorted(clearances)),
        territories=frozenset(territories),
    )


def routing(person: SkillProfile, *, spent: bool = False, tier: int = 0, reviewer_id: int = 1):
    return reviewer_routing(
        reviewer_id=reviewer_id,
        profile=person,
        queues=POLICIES.queues,
        exposure_budget_spent=spent,
        max_escalation_tier=tier,
    )


GRAPHIC_OK = (("disturbing", 1), ("violence_gore", 2))
HATE_JA = {"queue_id": "hate_ja", "policy_area": "hate", "territory": "JP"}
JA_SUBTITLES = {"required_language": "ja", "required_level": "N2"}
JA_SENSITIVE = {"required_language": "ja", "required_level": "N1", "sensitive": True}
VIOLENCE_JA = {"queue_id": "graphic_violence_ja", "policy_area": "violence", "territory": "JP"}

TABLE = [
    # (why, profile kwargs, routing kwargs, item needs, eligible)
    ("N1 takes the N1 queue", {}, {}, HATE_JA, True),
    ("N2 is not enough for hate_ja", {"languages": (("ja", "N2"),)}, {}, HATE_JA, False),
    ("no Japanese at all", {"languages": (("en", "C2"),)}, {}, HATE_JA, False),
    ("area not held", {"areas": ("violence",)}, {}, HATE_JA, False),
    (
        "N2 meets Japanese subtitles",
        {"languages": (("ja", "N2"), ("en", "C1"))},
        {},
        {"queue_id": "hate_global", "policy_area": "hate", **JA_SUBTITLES},
        True,
    ),
    (
        "N3 does not",
        {"languages": (("ja", "N3"), ("en", "C1"))},
        {},
        {"queue_id": "hate_global", "policy_area": "hate", **JA_SUBTITLES},
        False,
    ),
    (
        "sensitive Japanese needs N1",
        {"languages": (("ja", "N2"), ("en", "C1"))},
        {},
        {"queue_id": "hate_global", "policy_area": "hate", **JA_SENSITIVE},
        False,
    ),
    ("N1 takes sensitive", {}, {}, {"queue_id": "hate_global", "policy_area": "hate", **JA_SENSITIVE}, True),
    ("queue clearance met", {"clearances": GRAPHIC_OK}, {}, VIOLENCE_JA, True),
    (
        "queue clearance missing",
        {"clearances": (("violence_gore", 1), ("disturbing", 1))},
        {},
        VIOLENCE_JA,
        False,
    ),
    (
        "clearance covers the graphic level",
        {"clearances": GRAPHIC_OK},
        {},
        {**VIOLENCE_JA, "graphic_category": "violence_gore", "graphic_level": 2},
        True,
    ),
    (
        "clearance below the graphic level",
        {"clearances": GRAPHIC_OK},
        {},
        {**VIOLENCE_JA, "graphic_category": "violence_gore", "graphic_level": 3},
        False,
    ),
    (
        "budget spent: no graphic items",
        {"clearances": GRAPHIC_OK},
        {"spent": True},
        {**VIOLENCE_JA, "graphic_category": "violence_gore", "graphic_level": 1},
        False,
    ),
    ("budget spent: non-graphic still fine", {"clearances": GRAPHIC_OK}, {"spent": True}, VIOLENCE_JA, True),
    ("sensitive territory item needs the territory", {}, {}, {**HATE_JA, "sensitive": True}, False),
    ("territory specialist takes it", {"territories": ("JP",)}, {}, {**HATE_JA, "sensitive": True}, True),
    ("escalated beyond the person's tier", {}, {}, {**HATE_JA, "escalation_tier": 1}, False),
    ("senior takes the senior tier", {}, {"tier": 1}, {**HATE_JA, "escalation_tier": 1}, True),
    ("appeal never to the original reviewer", {}, {}, {**HATE_JA, "excluded_reviewer_id": 1}, False),
    ("appeal to anyone else", {}, {"reviewer_id": 2}, {**HATE_JA, "excluded_reviewer_id": 1}, True),
]


@pytest.mark.parametrize(
    ("why", "person", "options", "needs", "eligible"), TABLE, ids=[row[0] for row in TABLE]
)
def test_it_routes_by_skills(why, person, options, needs, eligible):
    assert is_eligible(routing(profile(**person), **options), ItemNeeds(**needs)) is eligible


def test_it_asks_n2_of_japanese_and_n1_when_sensitive():
    assert language_requirement_for("ja", sensitive=False) == ("ja", "N2")
    assert language_requirement_for("ja", sensitive=True) == ("ja", "N1")
    assert language_requirement_for("en", sensitive=False) == ("en", "B2")
    assert language_requirement_for("en", sensitive=True) == ("en", "C1")


def test_it_lists_the_levels_a_level_satisfies():
    assert levels_meeting("N2", "ja") == ("N2", "N3", "N4", "N5")
    assert levels_meeting("C2", "en") == ("C2", "C1", "B2", "B1", "A2", "A1")


def test_it_prefers_the_territory_queue_and_falls_back_to_the_global_one():
    assert queue_for(POLICIES.queues, policy_area="hate", territory="JP").id == "hate_ja"
    assert queue_for(POLICIES.queues, policy_area="hate", territory="FR").id == "hate_global"
    assert queue_for(POLICIES.queues, policy_area="hate", territory="").id == "hate_global"
    assert queue_for(POLICIES.queues, policy_area="nothing", territory="") is None


def test_it_checks_every_language_of_a_queue():
    subtitles = POLICIES.queues["subtitles_ja_en"]
    assert queue_accepts(profile(languages=(("ja", "N1"), ("en", "B2"))), subtitles)
    assert not queue_accepts(profile(languages=(("ja", "N1"),)), subtitles)
    assert not queue_accepts(profile(languages=(("ja", "N2"), ("en", "C2"))), subtitles)
