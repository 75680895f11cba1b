"""Answers given outside the review flow (audit re-reviews, calibration, onboarding): checked against the
policies in force, with time ranges in milliseconds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from shinsa.policy.current import current_policies
from shinsa.quality.stats import Answer, RatingFinding
from shinsa.ratings.active import active_rating_policies
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


def clean_findings(findings: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Rating findings as stored ({descriptor, intensity, start_ms, end_ms}), and one sentence per problem."""
    descriptors = active_rating_policies().vocabulary.descriptors
    cleaned: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, finding in enumerate(findings, start=1):
        try:
            descriptor = str(finding["descriptor"])
            intensity = int(finding["intensity"])
            start, end = int(finding["start_ms"]), int(finding["end_ms"])
        except (KeyError, TypeError, ValueError):
            problems.append(
                _("Finding %(number)s needs a descriptor, an intensity and a time range.")
                % {"number": number}
            )
            continue
        if descriptor not in descriptors:
            problems.append(_("Unknown descriptor “%(descriptor)s”.") % {"descriptor": descriptor})
        if not 1 <= intensity <= 4:
            problems.append(_("Finding %(number)s: the intensity is 1 to 4.") % {"number": number})
        if start < 0 or end <= start:
            problems.append(
                _("Finding %(number)s must start at 0 or later and end after it starts.") % {"number": number}
            )
        cleaned.append({"descriptor": descriptor, "intensity": intensity, "start_ms": start, "end_ms": end})
    return cleaned, problems


def as_findings(rows: Iterable[dict[str, Any]]) -> tuple[RatingFinding, ...]:
    return tuple(
        RatingFinding(
            descriptor=row["descriptor"],
            intensity=row["intensity"],
            start_ms=row["start_ms"],
            end_ms=row["end_ms"],
        )
        for row in rows
    )


def assessment_findings(*, reviewer_id: int, title_version_id: int) -> list[dict[str, Any]]:
    """The accepted, timed findings of the reviewer's latest rating assessment of the version: how a
    decision on maturity-rating gold carries its findings."""
    from shinsa.ratings.models import Assessment

    latest = (
        Assessment.objects.filter(assessor_id=reviewer_id, title_version_id=title_version_id)
        .order_by("-pk")
        .first()
    )
    if latest is None:
        return []
    return [
        {"descriptor": f.descriptor, "intensity": f.intensity, "start_ms": f.start_ms, "end_ms": f.end_ms}
        for f in latest.findings.filter(status="accepted", start_ms__isnull=False, end_ms__isnull=False)
    ]
