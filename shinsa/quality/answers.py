"""Answers given outside the review flow (audit re-reviews, calibration, onboarding): checked against the
policies in force, with time ranges in milliseconds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from shinsa.policy.current import current_policies
from shinsa.quality.stats import Answer
from shinsa.review.models import Decision, DecisionAction, EvidenceKind

# Escalating is not an answer: these are the decisions an answer can be compared on.
ANSWER_ACTIONS = [value for value in DecisionAction.values if value != DecisionAction.ESCALATE]


def clean_ranges(ranges: Iterable[Sequence[Any]]) -> tuple[list[list[int]], list[str]]:
    cleaned: list[list[int]] = []
    problems: list[str] = []
    for number, pair in enumerate(ranges, start=1):
        try:
            start, end = (int(value) for value in pair)
        except (TypeError, ValueError):
            problems.append(_("Time range %(number)s is not two numbers.") % {"number": number})
            continue
        if start < 0 or end <= start:
            problems.append(
                _("Time range %(number)s must start at 0 or later and end after it starts.")
                % {"number": number}
            )
            continue
        cleaned.append([start, end])
    return cleaned, problems


def clean_answer(
    *, action: str, clause_id: str, ranges: Iterable[Sequence[Any]] = (), policy_area: str | None = None
) -> tuple[Answer, list[list[int]], list[str]]:
    """The answer, its ranges as stored, and one sentence per problem."""
    policies = current_policies()
    problems: list[str] = []
    if action not in ANSWER_ACTIONS:
        problems.append(_("Unknown action “%(action)s”.") % {"action": action})
    if clause_id not in policies.clauses:
        problems.append(_("The clause “%(clause)s” is not in the policies in force.") % {"clause": clause_id})
    elif policy_area and policies.clauses[clause_id].area != policy_area:
        problems.append(
            _("The clause “%(clause)s” belongs to another policy area than “%(area)s”.")
            % {"clause": clause_id, "area": policy_area}
        )
    cleaned, range_problems = clean_ranges(ranges)
    problems += range_problems
    answer = Answer(action=action, clause_id=clause_id, ranges=tuple((s, e) for s, e in cleaned))
    return answer, cleaned, problems


def decision_ranges(decision: Decision) -> list[list[int]]:
    """The time ranges a decision's evidence marks."""
    return [
        [row.start_ms, row.end_ms]
        for row in decision.evidence.filter(kind=EvidenceKind.TIME_RANGE).order_by("start_ms", "id")
    ]


def decision_answer(decision: Decision) -> Answer:
    return Answer(
        action=decision.action,
        clause_id=decision.clause_id,
        ranges=tuple((s, e) for s, e in decision_ranges(decision)),
    )
