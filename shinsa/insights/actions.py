"""Every change insights makes: customer reports in (merged into review items, or flagged), their
release or dismissal, anomaly findings (which page the on-call person), and recall audits.

Each runs in a transaction and writes its audit record in it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm
from shinsa.accounts.roles import Perm
from shinsa.accounts.skills import TERRITORY_CODES
from shinsa.catalog.models import Title, TitleVersion
from shinsa.insights.engine import suspicion
from shinsa.insights.errors import InsightsError
from shinsa.insights.models import AnomalyFinding, CustomerReport, RecallAudit, ReportChannel, ReportStatus
from shinsa.policy.current import current_policies
from shinsa.review.actions import IncomingReport, do_upsert_item
from shinsa.review.errors import ReviewError
from shinsa.review.models import WorkItemSignal

Actor = Any  # a User, or a string naming trusted code ("reports", "worker")

REPORT_LANGUAGES = ("ja", "en")
MAX_TEXT = 2000
MAX_TIMECODE_MS = 48 * 3600 * 1000
REPORTS_ACTOR = "reports"


@dataclass(frozen=True, kw_only=True)
class ReportInput:
    """A customer report as the API or the public form received it."""

    title: str  # the title's external id
    episode: str = ""  # an episode's external id, when the report is about one episode
    version: str = ""  # the cut's label; empty: the title's first version
    reason: str
    timecode_ms: int | None = None
    territory: str = ""
    language: str = ""
    text: str = ""
    reporter: str
    reporter_since: datetime.datetime | None = None
    audience_reach: int = 0


def _resolve_version(data: ReportInput) -> tuple[TitleVersion | None, list[tuple[str, str]]]:
    title = Title.objects.filter(external_id=data.title.strip()).first()
    if title is None:
        return None, [("title", _("No title has the id “%(id)s”.") % {"id": data.title})]
    if data.episode.strip():
        episode = Title.objects.filter(external_id=data.episode.strip()).first()
        if episode is None or not _descends_from(episode, title):
            return None, [
                ("episode", _("“%(episode)s” is not an episode of this title.") % {"episode": data.episode})
            ]
        title = episode
    versions = TitleVersion.objects.filter(title=title).order_by("created_at", "pk")
    version = (
        versions.filter(label=data.version.strip()).first() if data.version.strip() else versions.first()
    )
    if version is None:
        return None, [("version", _("This title has no such version."))]
    return version, []


def _descends_from(child: Title, ancestor: Title) -> bool:
    node: Title | None = child
    for _depth in range(4):  # series → season → episode
        node = node.parent if node is not None else None
        if node is None:
            return False
        if node.pk == ancestor.pk:
            return True
    return False


def _report_problems(data: ReportInput) -> list[tuple[str, str]]:
    policies = current_policies()
    problems: list[tuple[str, str]] = []
    if data.reason not in policies.report_reasons:
        problems.append(("reason", _("Unknown report reason “%(reason)s”.") % {"reason": data.reason}))
    if data.territory and data.territory not in TERRITORY_CODES:
        problems.append(("territory", _("Unknown territory “%(code)s”.") % {"code": data.territory}))
    if data.language and data.language not in REPORT_LANGUAGES:
        problems.append(("language", _("The language must be ja or en.")))
    if len(data.text) > MAX_TEXT:
        problems.append(("text", _("The text is longer than %(max)s characters.") % {"max": MAX_TEXT}))
    if data.timecode_ms is not None and not 0 <= data.timecode_ms <= MAX_TIMECODE_MS:
        problems.append(("timecode_ms", _("The timecode is outside the programme.")))
    if not data.reporter.strip() or len(data.reporter) > 128:
        problems.append(("reporter", _("A reporter id of 1 to 128 characters is needed.")))
    if data.audience_reach < 0:
        problems.append(("audience_reach", _("Audience reach cannot be negative.")))
    return problems


def _seen(report: CustomerReport) -> suspicion.SeenReport:
    return suspicion.SeenReport(
        reporter=report.reporter_ref,
        at=report.received_at,
        text=report.text,
        account_created=report.reporter_since,
    )


@transaction.atomic
def do_submit_report(
    *, actor: Actor, data: ReportInput, channel: str = ReportChannel.API, now: datetime.datetime | None = None
) -> CustomerReport:
    """Take in a customer report: check it, look for suspicious patterns among the recent reports of the
    same version, then either merge it into the open review item for (version, policy area) — which
    raises that item's priority with the volume of reports and the reach — or keep it flagged for a
    person, without touching any item."""
    if not isinstance(actor, str):
        require_perm(actor, Perm.USE_API)
    territory = data.territory.strip().upper()
    data = ReportInput(**{**data.__dict__, "territory": territory, "text": data.text.strip()})
    problems = _report_problems(data)
    version, version_problems = _resolve_version(data)
    problems += version_problems
    if problems:
        raise InsightsError(*problems)
    assert version is not None
    now = now or timezone.now()
    reason = current_policies().report_reasons[data.reason]
    recent = CustomerReport.objects.filter(
        title_version=version, received_at__gte=now - suspicion.WINDOW, received_at__lte=now
    ).order_by("received_at")
    new = suspicion.SeenReport(
        reporter=data.reporter, at=now, text=data.text, account_created=data.reporter_since
    )
    found = suspicion.suspicions(new, [_seen(r) for r in recent])
    report = CustomerReport(
        title_version=version,
        reason=reason.id,
        policy_area=reason.area,
        timecode_ms=data.timecode_ms,
        territory=territory,
        language=data.language,
        text=data.text,
        reporter_ref=data.reporter.strip(),
        reporter_since=data.reporter_since,
        audience_reach=data.audience_reach,
        channel=channel,
        status=ReportStatus.FLAGGED if found else ReportStatus.MERGED,
        suspicions=[str(s) for s in found],
        received_at=now,
    )
    if not found:
        report.item = _merge(report)
    report.save()
    audit.record(
        actor=actor,
        verb="insights.report.flagged" if found else "insights.report.received",
        obj=report,
        after={
            "title_version": version.pk,
            "reason": reason.id,
            "area": reason.area,
            "channel": channel,
            "suspicions": report.suspicions,
            "item": report.item_id,
        },
    )
    return report


def _merge(report: CustomerReport) -> Any:
    try:
        return do_upsert_item(
            actor=REPORTS_ACTOR,
            title_version=report.title_version,
            policy_area=report.policy_area,
            territory=report.territory,
            report=IncomingReport(reason=report.reason),
            audience_reach=report.audience_reach,
            language=report.language,
        )
    except ReviewError as error:
        raise InsightsError(*(("", message) for message in error.messages)) from None


@transaction.atomic
def do_resolve_flagged_report(*, actor: Actor, report: CustomerReport, release: bool) -> CustomerReport:
    """A person looked at a flagged report: release it into its review item, or dismiss it as abuse."""
    require_perm(actor, Perm.MANAGE_QUEUES)
    locked = CustomerReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.FLAGGED:
        raise InsightsError(("", _("This report is not waiting for a look.")))
    locked.status = ReportStatus.RELEASED if release else ReportStatus.DISMISSED
    locked.looked_at_by = actor
    if release:
        locked.item = _merge(locked)
    locked.save()
    audit.record(
        actor=actor,
        verb="insights.report.released" if release else "insights.report.dismissed",
        obj=locked,
        before={"status": ReportStatus.FLAGGED},
        after={"status": locked.status, "item": locked.item_id},
    )
    return locked


@transaction.atomic
def do_record_anomaly(
    *,
    actor: Actor,
    metric: str,
    dimension: str,
    key: str,
    day: datetime.date,
    value: float,
    expected: float,
    spread: float,
    score: float,
    release_day: bool,
    drivers: Sequence[dict[str, Any]],
    now: datetime.datetime | None = None,
) -> tuple[AnomalyFinding, bool]:
    """Keep an anomaly the detector found (once per series and day) and page the on-call person about
    a new one. Returns the finding and whether it is new."""
    from shinsa.oncall.actions import do_raise_page
    from shinsa.oncall.models import PageKind

    finding, created = AnomalyFinding.objects.get_or_create(
        metric=metric,
        dimension=dimension,
        key=key,
        day=day,
        defaults={
            "value": value,
            "expected": expected,
            "spread": spread,
            "score": score,
            "release_day": release_day,
            "drivers": list(drivers),
        },
    )
    if not created:
        return finding, False
    audit.record(
        actor=actor,
        verb="insights.anomaly.found",
        obj=finding,
        after={
            "series": f"{metric}/{dimension}={key}",
            "day": day.isoformat(),
            "value": value,
            "expected": round(expected, 2),
            "score": round(score, 2),
            "drivers": [d.get("title") for d in drivers],
        },
    )
    titles = ", ".join(str(d.get("title")) for d in drivers) or "—"
    do_raise_page(
        actor=actor,
        kind=PageKind.ANOMALY,
        condition=f"anomaly:{metric}:{dimension}:{key}",
        summary=(
            f"{metric} {dimension}={key} on {day.isoformat()}: {value:g} vs baseline {expected:.1f} "
            f"(score {score:.1f}); driven by {titles}"
        ),
        detail={"finding": finding.pk, "drivers": list(drivers)},
        now=now,
    )
    return finding, True


@transaction.atomic
def do_sample_recall_audits(
    *, actor: Actor, policy_area: str, size: int, seed: int | None = None
) -> list[RecallAudit]:
    """Draw ``size`` title versions at random among those no signal ever flagged in ``policy_area``."""
    if not isinstance(actor, str):
        require_perm(actor, Perm.AUDIT_DECISIONS)
    if policy_area not in current_policies().areas:
        raise InsightsError(("policy_area", _("Unknown policy area “%(area)s”.") % {"area": policy_area}))
    flagged = WorkItemSignal.objects.filter(item__policy_area=policy_area).values("item__title_version_id")
    pool = list(TitleVersion.objects.exclude(pk__in=flagged).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(pool, min(size, len(pool)))
    audits = [RecallAudit.objects.create(title_version_id=pk, policy_area=policy_area) for pk in chosen]
    audit.record(
        actor=actor,
        verb="insights.recall.sampled",
        object_type="insights.recallaudit",
        object_id=policy_area,
        after={"policy_area": policy_area, "size": len(audits), "pool": len(pool)},
    )
    return audits


@transaction.atomic
def do_record_recall_audit(
    *, actor: Actor, recall_audit: RecallAudit, violating: bool, note: str = ""
) -> None:
    """A person's finding on one randomly drawn, unflagged version."""
    require_perm(actor, Perm.AUDIT_DECISIONS)
    locked = RecallAudit.objects.select_for_update().get(pk=recall_audit.pk)
    if locked.violating is not None:
        raise InsightsError(("", _("This audit already has an outcome.")))
    locked.violating, locked.audited_by, locked.audited_at, locked.note = (
        violating,
        actor,
        timezone.now(),
        note,
    )
    locked.save()
    audit.record(actor=actor, verb="insights.recall.audited", obj=locked, after={"violating": violating})
