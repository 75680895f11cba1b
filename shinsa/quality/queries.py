"""Reads of quality work: scorecards, calibration statistics, onboarding progress and the queue gate."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext

from shinsa.accounts.models import User
from shinsa.quality.metrics import METRIC_NAMES, AgreementError, Metric, Rating, RatingsTable, agreement
from shinsa.quality.models import (
    AuditSample,
    CalibrationAnswer,
    CalibrationSession,
    GoldAnswer,
    GoldContext,
    OnboardingSet,
    Phase,
    SampleStatus,
)
from shinsa.quality.stats import wilson_interval

FINISHED = (SampleStatus.AUDITED, SampleStatus.DISPUTED, SampleStatus.ADJUDICATED)


# --- scorecards ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ScoreLine:
    """Accuracy of one reviewer or policy area: correct audits out of finished ones, with a Wilson 95 %
    interval (wide for a handful of audits, never a cliff)."""

    key: str
    audited: int = 0
    errors: int = 0
    error_classes: Counter = field(default_factory=Counter)

    @property
    def correct(self) -> int:
        return self.audited - self.errors

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.audited if self.audited else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.correct, self.audited)


@dataclass(frozen=True)
class Scorecards:
    reviewers: list[ScoreLine]
    areas: list[ScoreLine]
    weeks: list[ScoreLine]  # key: ISO week "2026-W47"
    reviewer_weeks: list[ScoreLine]  # key: "rin 2026-W47"


def _week(moment: datetime.datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def scorecards() -> Scorecards:
    reviewers: dict[str, ScoreLine] = {}
    areas: dict[str, ScoreLine] = {}
    weeks: dict[str, ScoreLine] = {}
    reviewer_weeks: dict[str, ScoreLine] = {}
    samples = (
        AuditSample.objects.filter(status__in=FINISHED)
        .select_related("reviewer")
        .order_by("audited_at", "id")
    )
    for sample in samples:
        for table, key in (
            (reviewers, sample.reviewer.username),
            (areas, sample.policy_area),
            (weeks, _week(sample.audited_at)),
            (reviewer_weeks, f"{sample.reviewer.username} {_week(sample.audited_at)}"),
        ):
            line = table.setdefault(key, ScoreLine(key=key))
            line.audited += 1
            if sample.counts_as_error:
                line.errors += 1
                line.error_classes.update(sample.error_classes)
    return Scorecards(
        reviewers=[reviewers[k] for k in sorted(reviewers)],
        areas=[areas[k] for k in sorted(areas)],
        weeks=[weeks[k] for k in sorted(weeks)],
        reviewer_weeks=[reviewer_weeks[k] for k in sorted(reviewer_weeks)],
    )


# --- calibration ---------------------------------------------------------------------------------


def _ratings(session: CalibrationSession, round_number: int) -> list[Rating]:
    answers = CalibrationAnswer.objects.filter(item__session=session, round=round_number).select_related(
        "reviewer"
    )
    return [Rating(str(a.item_id), a.reviewer.username, a.action) for a in answers]


def session_alpha(session: CalibrationSession, *, round_number: int) -> float | None:
    """Krippendorff's alpha (nominal) on the actions of one round; None when undefined for the data."""
    rows = _ratings(session, round_number)
    if not rows:
        return None
    try:
        return agreement(RatingsTable.from_rows(rows), "alpha").value
    except AgreementError:
        return None


@dataclass(frozen=True)
class MetricLine:
    metric: str
    value: float | None
    ci95: tuple[float, float] | None
    observed: float | None
    problem: str  # why it is undefined, in the reader's language; "" when defined

    @property
    def name(self) -> str:
        return gettext(METRIC_NAMES[Metric(self.metric)])


@dataclass(frozen=True)
class ItemSpread:
    item_id: int
    position: int
    actions: list[tuple[str, int]]
    clauses: list[tuple[str, int]]
    answers: list[CalibrationAnswer]
    unanimous: bool


def session_statistics(session: CalibrationSession, round_number: int = 1) -> list[MetricLine]:
    rows = _ratings(session, round_number)
    lines: list[MetricLine] = []
    for metric in ("percent", "alpha", "fleiss", "ac1"):
        try:
            result = agreement(RatingsTable.from_rows(rows), metric)
        except AgreementError as error:
            lines.append(MetricLine(metric, None, None, None, error.message(gettext)))
            continue
        lines.append(MetricLine(metric, result.value, result.ci95, result.observed_agreement, ""))
    return lines


def session_spread(session: CalibrationSession, round_number: int = 1) -> list[ItemSpread]:
    spreads: list[ItemSpread] = []
    for item in session.items.order_by("position"):
        answers = list(
            item.answers.filter(round=round_number).select_related("reviewer").order_by("reviewer__username")
        )
        actions = Counter(a.action for a in answers).most_common()
        clauses = Counter(a.clause_id for a in answers).most_common()
        spreads.append(
            ItemSpread(
                item_id=item.pk,
                position=item.position,
                actions=actions,
                clauses=clauses,
                answers=answers,
                unanimous=len(actions) == 1 and len(clauses) == 1,
            )
        )
    return spreads


@dataclass(frozen=True)
class AreaTrend:
    policy_area: str
    sessions: int
    mean_before: float | None
    mean_after: float | None
    latest: list[CalibrationSession]


def calibration_by_area() -> list[AreaTrend]:
    """Agreement before (blind answers) and after (answers after the discussion) per policy area."""
    grouped: dict[str, list[CalibrationSession]] = defaultdict(list)
    for session in CalibrationSession.objects.exclude(phase=Phase.ANSWERING).order_by("created_at", "id"):
        grouped[session.policy_area].append(session)
    trends: list[AreaTrend] = []
    for area in sorted(grouped):
        sessions = grouped[area]
        before = [s.alpha_before for s in sessions if s.alpha_before is not None]
        after = [s.alpha_after for s in sessions if s.alpha_after is not None]
        trends.append(
            AreaTrend(
                policy_area=area,
                sessions=len(sessions),
                mean_before=sum(before) / len(before) if before else None,
                mean_after=sum(after) / len(after) if after else None,
                latest=sessions[-5:],
            )
        )
    return trends


# --- gold and onboarding -------------------------------------------------------------------------


@dataclass(frozen=True)
class OnboardingProgress:
    onboarding: OnboardingSet
    answered: int
    total: int
    mean_score: float | None
    passed: bool
    required: bool


def onboarding_progress(user: User, onboarding: OnboardingSet) -> OnboardingProgress:
    total = onboarding.golds.count()
    answers = GoldAnswer.objects.filter(onboarding=onboarding, reviewer=user, context=GoldContext.ONBOARDING)
    summary = answers.aggregate(n=Count("id"), mean=Avg("score"))
    answered, mean = summary["n"], summary["mean"]
    passed = total > 0 and answered >= total and mean is not None and mean >= onboarding.pass_score
    return OnboardingProgress(
        onboarding=onboarding,
        answered=answered,
        total=total,
        mean_score=mean,
        passed=passed,
        required=user.date_joined >= onboarding.required_from,
    )


def closed_queues_sql(user_id: int) -> tuple[str, tuple[object, ...]]:
    """SQL of the queues whose onboarding set this person must pass and has not (registered as review's
    queue gate, so the claim statement applies it): ``onboarding_progress(...).passed`` in SQL."""
    return _CLOSED_QUEUES_SQL, (user_id, GoldContext.ONBOARDING.value, GoldContext.ONBOARDING.value)


def _closed_queues_sql() -> str:
    # Only table names from model Meta are interpolated; the person and context are parameters.
    golds = OnboardingSet.golds.through._meta.db_table
    answers = (
        f"FROM {GoldAnswer._meta.db_table} a"
        " WHERE a.onboarding_id = o.id AND a.reviewer_id = u.id AND a.context = %s"
    )
    total = f"(SELECT COUNT(*) FROM {golds} g WHERE g.onboardingset_id = o.id)"  # noqa: S608
    return f"""
        SELECT o.queue_id FROM {OnboardingSet._meta.db_table} o JOIN {User._meta.db_table} u ON u.id = %s
        WHERE o.active AND o.required_from <= u.date_joined
            AND NOT ({total} > 0 AND (SELECT COUNT(a.id) {answers}) >= {total}
                AND COALESCE((SELECT AVG(a.score) {answers}) >= o.pass_score, FALSE))
    """  # noqa: S608


_CLOSED_QUEUES_SQL = _closed_queues_sql()


@dataclass(frozen=True)
class GoldSummary:
    live_answers: int
    live_correct: int
    onboarding_answers: int
    mean_score: float | None


def gold_summary() -> GoldSummary:
    scored = GoldAnswer.objects.filter(score__isnull=False)
    live = scored.filter(context=GoldContext.LIVE)
    return GoldSummary(
        live_answers=live.count(),
        live_correct=live.filter(correct=True).count(),
        onboarding_answers=scored.filter(context=GoldContext.ONBOARDING).count(),
        mean_score=scored.aggregate(m=Avg("score"))["m"],
    )


def gold_by_reviewer() -> list[dict]:
    """Per reviewer: gold answered, correct, mean score (live and onboarding together)."""
    return list(
        GoldAnswer.objects.filter(score__isnull=False)
        .values("reviewer__username")
        .annotate(answered=Count("id"), correct=Count("id", filter=Q(correct=True)), mean=Avg("score"))
        .order_by("reviewer__username")
    )
