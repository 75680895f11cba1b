"""Reads of the rating workflow: published ratings, back-test inputs, compliance gaps, export rows."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from shinsa.catalog.models import Availability, TitleKind
from shinsa.ratings.backtest import BacktestReport, PublishedSnapshot, RollupSnapshot, backtest
from shinsa.ratings.findings import Certificate as EngineCertificate
from shinsa.ratings.findings import Finding as EngineFinding
from shinsa.ratings.models import Assessment, Certificate, Finding, PublishedRating, Source
from shinsa.ratings.policies import RatingPolicies
from shinsa.ratings.territories import advice_language, schemes_for_territory

DEFAULT_HORIZON_DAYS = 30
# An upper bound only: any change to published ratings or policies changes the cache key at once.
BACKTEST_CACHE_SECONDS = 3600


def published_ratings(title_version_id: int | None = None) -> QuerySet[PublishedRating]:
    rows = PublishedRating.objects.select_related("title", "title_version", "published_by")
    if title_version_id is not None:
        rows = rows.filter(title_version_id=title_version_id)
    return rows.order_by("title__external_id", "title_version__label", "territory", "scheme")


def _findings_by_assessment(assessment_ids: set[int]) -> dict[int, tuple[EngineFinding, ...]]:
    grouped: dict[int, list[EngineFinding]] = defaultdict(list)
    accepted = Finding.objects.filter(assessment_id__in=assessment_ids, status=Finding.Status.ACCEPTED)
    for finding in accepted.order_by("pk"):
        grouped[finding.assessment_id].append(
            EngineFinding(
                descriptor=finding.descriptor,
                intensity=finding.intensity,
                start_ms=finding.start_ms,
                end_ms=finding.end_ms,
                context=frozenset(finding.context),
            )
        )
    return {key: tuple(value) for key, value in grouped.items()}


def _certificates_by_version(version_ids: set[int]) -> dict[int, tuple[EngineCertificate, ...]]:
    grouped: dict[int, list[EngineCertificate]] = defaultdict(list)
    for version_id, scheme, level in Certificate.objects.filter(title_version_id__in=version_ids).values_list(
        "title_version_id", "scheme", "level"
    ):
        grouped[version_id].append(EngineCertificate(scheme=scheme, code=level))
    return {key: tuple(value) for key, value in grouped.items()}


def backtest_inputs() -> tuple[list[PublishedSnapshot], list[RollupSnapshot]]:
    """Every published rating as the back-test reads it: the findings and certificates behind each cut's
    rating, and each rollup's children (seasons before series, so a season's new level is known)."""
    rows = list(PublishedRating.objects.select_related("title", "title_version").order_by("pk"))
    per_cut = [row for row in rows if row.source != Source.ROLLUP]
    findings = _findings_by_assessment({row.assessment_id for row in per_cut if row.assessment_id})
    certificates = _certificates_by_version({row.title_version_id for row in per_cut if row.title_version_id})
    published = [
        PublishedSnapshot(
            ref=row.pk,
            title=f"{row.title.external_id}/{row.title_version.label}",
            scheme=row.scheme,
            territory=row.territory,
            level=row.level,
            source=row.source,
            policy_version=row.policy_version,
            findings=findings.get(row.assessment_id, ()),
            certificates=certificates.get(row.title_version_id, ()),
            computed_level=row.computed_level,
        )
        for row in per_cut
    ]
    by_key: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for row in rows:
        owner = row.title.parent_id
        is_child = (row.title.kind == TitleKind.EPISODE and row.source != Source.ROLLUP) or (
            row.title.kind == TitleKind.SEASON and row.source == Source.ROLLUP
        )
        if owner is not None and is_child:
            by_key[(owner, row.scheme, row.territory)].append(row.pk)
    depth = {TitleKind.SEASON: 0, TitleKind.SERIES: 1}
    rollup_rows = sorted(
        (row for row in rows if row.source == Source.ROLLUP),
        key=lambda row: (depth.get(row.title.kind, 2), row.pk),
    )
    rollups = [
        RollupSnapshot(
            ref=row.pk,
            title=row.title.external_id,
            scheme=row.scheme,
            territory=row.territory,
            level=row.level,
            children=tuple(by_key[(row.title_id, row.scheme, row.territory)]),
        )
        for row in rollup_rows
    ]
    return published, rollups


def run_backtest(candidate: RatingPolicies) -> BacktestReport:
    """The back-test of every published rating against ``candidate`` policies."""
    published, rollups = backtest_inputs()
    return backtest(candidate, published, rollups)


def _backtest_inputs_stamp() -> tuple[Any, ...]:
    """Changes whenever anything the back-test reads changes: three aggregate queries, no rows loaded.

    Published ratings are upserted (``published_at`` moves), findings only ever belong to assessments
    whose ``updated_at`` moves with every change, and certificates are insert-only.
    """
    ratings = PublishedRating.objects.aggregate(n=Count("pk"), top=Max("pk"), at=Max("published_at"))
    assessments = Assessment.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    certificates = Certificate.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return (*ratings.values(), *assessments.values(), *certificates.values())


def cached_backtest(candidate: RatingPolicies) -> BacktestReport:
    """``run_backtest`` remembered until the policies or the published ratings change, so a page that
    shows outdated ratings does not re-evaluate the whole catalog on every visit."""
    stamp = repr((candidate.version, _backtest_inputs_stamp()))
    key = "ratings.backtest." + hashlib.sha256(stamp.encode()).hexdigest()
    report = cache.get(key)
    if report is None:
        report = run_backtest(candidate)
        cache.set(key, report, BACKTEST_CACHE_SECONDS)
    return report


@dataclass(frozen=True)
class ComplianceGap:
    title: str
    title_version_id: int
    version: str
    territory: str
    scheme: str
    # missing_rating | missing_advice | outdated_rating
    problem: str
    deadline: date
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "version": self.version,
            "territory": self.territory,
            "scheme": self.scheme,
            "problem": self.problem,
            "deadline": self.deadline.isoformat(),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CutGaps:
    """The gaps of one cut, for a page that lists cuts rather than hundreds of territory × scheme rows."""

    title: str
    version: str
    deadline: date  # the earliest deadline among its gaps
    gaps: tuple[ComplianceGap, ...]

    @property
    def territories(self) -> list[str]:
        return sorted({gap.territory for gap in self.gaps})

    @property
    def problems(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for gap in self.gaps:
            counts[gap.problem] = counts.get(gap.problem, 0) + 1
        return counts


def gaps_by_cut(gaps: list[ComplianceGap], *, territory: str | None = None) -> list[CutGaps]:
    """Groups gaps per cut (optionally for one territory), soonest deadline first."""
    grouped: dict[tuple[str, str], list[ComplianceGap]] = {}
    for gap in gaps:
        if territory is None or gap.territory == territory:
            grouped.setdefault((gap.title, gap.version), []).append(gap)
    cuts = [
        CutGaps(title=title, version=version, deadline=min(g.deadline for g in items), gaps=tuple(items))
        for (title, version), items in grouped.items()
    ]
    return sorted(cuts, key=lambda cut: (cut.deadline, cut.title, cut.version))


def compliance_gaps(
    policies: RatingPolicies,
    *,
    today: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    backtest_report: BacktestReport | None = None,
) -> list[ComplianceGap]:
    """Cuts available in a territory (or becoming so within ``horizon_days``) whose customers would not
    get accurate and complete information there, soonest deadline first.

    For each scheme rating the territory: no published rating (``missing_rating``); a published rating
    without consumer advice in the territory's language (``missing_advice``: Japanese in JP, English
    elsewhere) while it has advice in the other language, or while it comes from a certificate
    recorded without advice at a level that calls for some; or a rating made under an older version of
    the scheme that the back-test against the policies in force says would change
    (``outdated_rating``). The deadline is the availability window's start (already passed for a
    window that is open now).
    """
    horizon = today + timedelta(days=horizon_days)
    windows = (
        Availability.objects.filter(starts_on__lte=horizon)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("title_version__title")
        .order_by("starts_on", "title_version__title__external_id", "territory")
    )
    deadlines: dict[tuple[int, str], tuple[date, Any]] = {}
    for window in windows:
        key = (window.title_version_id, window.territory)
        if key not in deadlines or window.starts_on < deadlines[key][0]:
            deadlines[key] = (window.starts_on, window.title_version)
    version_ids = {version_id for version_id, _territory in deadlines}
    published = {
        (row.title_version_id, row.territory, row.scheme): row
        for row in PublishedRating.objects.filter(title_version_id__in=version_ids)
    }
    # A season's or series' own cut is rated by its episodes' rollup when it has no rating of its own.
    title_ids = {version.title_id for _deadline, version in deadlines.values()}
    rolled_up = {
        (row.title_id, row.territory, row.scheme): row
        for row in PublishedRating.objects.filter(title_id__in=title_ids, title_version__isnull=True)
    }
    would_change = set()
    if backtest_report is not None:
        would_change = {change.ref for change in backtest_report.changed}
    gaps = []
    for (version_id, territory), (deadline, version) in deadlines.items():
        label = version.title.external_id
        for scheme_id in schemes_for_territory(policies.schemes, territory):
            row = published.get((version_id, territory, scheme_id)) or rolled_up.get(
                (version.title_id, territory, scheme_id)
            )
            gap = _gap_for(row, policies, scheme_id, territory, would_change)
            if gap is not None:
                problem, detail = gap
                gaps.append(
                    ComplianceGap(
                        label, version_id, version.label, territory, scheme_id, problem, deadline, detail
                    )
                )
    gaps.sort(key=lambda gap: (gap.deadline, gap.title, gap.version, gap.territory, gap.scheme, gap.problem))
    return gaps


def _gap_for(
    row: PublishedRating | None,
    policies: RatingPolicies,
    scheme_id: str,
    territory: str,
    would_change: set[int],
) -> tuple[str, str] | None:
    if row is None:
        return "missing_rating", ""
    scheme = policies.schemes[scheme_id]
    language = advice_language(territory)
    advice = row.advice_ja if language == "ja" else row.advice_en
    other = row.advice_en if language == "ja" else row.advice_ja
    # A computed rating's advice is whatever the scheme's topics give (US TV has no letter for
    # horror): complete by definition, and always in both languages. What can be missing is a
    # translation, or the advice of an issued certificate that was recorded without it.
    issued = row.source in (Source.CERTIFICATE, Source.MAPPING)
    advised = row.level in scheme.codes and scheme.level_index(row.level) >= max(1, scheme.advice.from_level)
    if not advice and (other or (issued and advised)):
        return "missing_advice", language
    if row.policy_version != scheme.content_hash and row.pk in would_change:
        return "outdated_rating", row.level
    return None
