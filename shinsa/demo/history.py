"""Generated history for the insights dashboards and on-call: ~100 days of customer reports, signal
hits, review items, decisions, appeals and exposure, with weekly seasonality (weekends draw more
viewing, so more reports) and ONE planted anomaly: three days ago, a burst of violence reports about
one series, which the detector then finds, explains and pages the on-call person about.

Bulk-created for speed (a demo load must stay quick); the rows are what the review actions would
write, and one audit event records the load. Running it again adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from shinsa import audit
from shinsa.accounts.models import User
from shinsa.catalog.models import TitleVersion
from shinsa.insights.models import CustomerReport, RecallAudit, ReportChannel, ReportStatus
from shinsa.policy.current import current_policies
from shinsa.review import priority
from shinsa.review.actions import do_sync_queues
from shinsa.review.models import (
    LIVE_STATUSES,
    Appeal,
    AppealOutcome,
    Decision,
    DecisionStatus,
    ExposureEntry,
    ItemStatus,
    WorkItem,
    WorkItemSignal,
    WorkKind,
)
from shinsa.review.routing import queue_for

DAYS = 100
ANOMALY_DAYS_AGO = 3
ANOMALY_EXTRA_REPORTS = 60
WEEKDAY_FACTOR = (1.0, 0.95, 0.95, 1.0, 1.15, 1.5, 1.4)  # Monday … Sunday
# Reports a day per policy area on an ordinary Monday.
REPORT_RATES = {
    "violence": 9.0,
    "sexual_content": 6.0,
    "hate": 3.0,
    "maturity_rating": 4.0,
    "subtitle_quality": 5.0,
    "metadata_quality": 2.0,
    "ip_infringement": 1.5,
    "self_harm": 1.0,
}
SIGNAL_SOURCES = {
    "violence": ("screening:classifier", 0.62),
    "sexual_content": ("screening:classifier", 0.55),
    "hate": ("screening:lexicon", 0.4),
    "subtitle_quality": ("screening:lexicon", 0.8),
    "ip_infringement": ("hash:pdq", 0.92),
    "maturity_rating": ("screening:classifier", 0.7),
}
TERRITORIES = ("JP", "US", "GB", "DE", "FR", "CR")
REVIEWERS = ("haruka", "liam", "kenji")
APPEAL_JUDGE = "akiko"
GRAPHIC = {"violence": "violence_gore", "sexual_content": "sexual", "self_harm": "self_harm"}


@dataclass(frozen=True)
class HistoryLoad:
    created: bool
    reports: int = 0
    decisions: int = 0
    appeals: int = 0


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is fine for the small means used here.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@transaction.atomic
def load_history(*, now: datetime.datetime | None = None, seed: int = 7) -> HistoryLoad:
    if CustomerReport.objects.exists():
        return HistoryLoad(created=False)
    now = now or timezone.now()
    rng = random.Random(seed)
    policies = current_policies()
    do_sync_queues(actor="demo")
    versions = list(TitleVersion.objects.select_related("title").order_by("pk"))
    if not versions:
        return HistoryLoad(created=False)
    people = {u.username: u for u in User.objects.filter(username__in=[*REVIEWERS, APPEAL_JUDGE])}
    reviewers = [people[name] for name in REVIEWERS if name in people]
    judge = people.get(APPEAL_JUDGE)
    clauses: dict[str, list] = {}
    for clause in policies.clauses:
        clauses.setdefault(clause.area, []).append(clause)
    reasons = {reason.area: reason for reason in policies.report_reasons}  # the last of each area
    hot = max(versions, key=lambda v: (v.title.kind == "episode", v.pk))  # the planted anomaly's title
    today = now.date()
    items: list[WorkItem] = []
    reports: list[tuple[int, CustomerReport]] = []
    signals: list[tuple[int, WorkItemSignal]] = []
    # Review items already live (other demo parts, e.g. quality's) hold their key: stay clear of them.
    live_keys: set[tuple[int, str]] = set(
        WorkItem.objects.filter(kind=WorkKind.REVIEW, status__in=LIVE_STATUSES).values_list(
            "title_version_id", "policy_area"
        )
    )
    for back in range(DAYS, 0, -1):
        day = today - datetime.timedelta(days=back)
        factor = WEEKDAY_FACTOR[day.weekday()]
        for area, rate in REPORT_RATES.items():
            if area not in reasons or area not in clauses:
                continue
            count = _poisson(rng, rate * factor)
            if back == ANOMALY_DAYS_AGO and area == "violence":
                count += ANOMALY_EXTRA_REPORTS
            by_version: dict[int, list[datetime.datetime]] = {}
            for n in range(count):
                planted = (
                    back == ANOMALY_DAYS_AGO and area == "violence" and n >= count - ANOMALY_EXTRA_REPORTS
                )
                version = hot if planted else rng.choice(versions)
                at = datetime.datetime.combine(
                    day, datetime.time(), tzinfo=datetime.UTC
                ) + datetime.timedelta(seconds=rng.randrange(86400))
                by_version.setdefault(version.pk, []).append(at)
            for version_pk, moments in by_version.items():
                version = next(v for v in versions if v.pk == version_pk)
                territory = rng.choice(TERRITORIES)
                created = min(moments)
                decide = back > 2 or rng.random() < 0.6
                if not decide and (version_pk, area) in live_keys:
                    decide = True
                item = _item(policies, version, area, territory, created, len(moments), now, decide, rng)
                if not decide:
                    live_keys.add((version_pk, area))
                items.append(item)
                index = len(items) - 1
                for at in moments:
                    reports.append(
                        (
                            index,
                            CustomerReport(
                                title_version=version,
                                reason=reasons[area].id,
                                policy_area=area,
                                territory=rng.choice(TERRITORIES),
                                language=rng.choice(("ja", "en")),
                                text="",
                                reporter_ref=f"viewer-{rng.randrange(10**9)}",
                                channel=rng.choice(
                                    (ReportChannel.API, ReportChannel.API, ReportChannel.FORM)
                                ),
                                status=ReportStatus.MERGED,
                                received_at=at,
                            ),
                        )
                    )
                # A quarter of the catalog never trips this area's signal: the unflagged content the
                # random recall audits sample from.
                blind = (version_pk + len(area)) % 4 == 0
                if area in SIGNAL_SOURCES and not blind and rng.random() < 0.7:
                    source, _precision = SIGNAL_SOURCES[area]
                    signals.append(
                        (
                            index,
                            WorkItemSignal(
                                source=source,
                                ref=f"demo-{day.isoformat()}-{version_pk}-{area}",
                                confidence=round(rng.uniform(0.5, 0.99), 2),
                                first_seen_at=created,
                                last_seen_at=created,
                            ),
                        )
                    )
    WorkItem.objects.bulk_create(items, batch_size=500)
    for index, report in reports:
        report.item = items[index]
    CustomerReport.objects.bulk_create([r for _, r in reports], batch_size=1000)
    for index, signal in signals:
        signal.item = items[index]
        items[index].signal_count = 1
    WorkItemSignal.objects.bulk_create([s for _, s in signals], batch_size=1000)
    flagged = set(id(items[i]) for i, _ in signals)
    decisions = _decisions(items, flagged, reviewers, clauses, policies.version, rng)
    appeals = _appeals(decisions, judge, rng)
    _exposure(reviewers, today, rng)
    _flagged_burst(versions[0], now, rng)
    for area in ("violence", "hate"):
        flagged_versions = set(
            WorkItemSignal.objects.filter(item__policy_area=area).values_list(
                "item__title_version_id", flat=True
            )
        )
        for version in [v for v in versions if v.pk not in flagged_versions][:12]:
            RecallAudit.objects.create(
                title_version=version,
                policy_area=area,
                violating=rng.random() < 0.1,
                audited_by=people.get("haruka"),
                audited_at=now - datetime.timedelta(days=rng.randrange(1, 30)),
                sampled_at=now - datetime.timedelta(days=30),
            )
    audit.record(
        actor="demo",
        verb="demo.history.loaded",
        object_type="insights.customerreport",
        object_id="*",
        after={"days": DAYS, "reports": len(reports), "items": len(items), "decisions": len(decisions)},
    )
    return HistoryLoad(created=True, reports=len(reports), decisions=len(decisions), appeals=appeals)


def _item(policies, version, area, territory, created, report_count, now, decide, rng) -> WorkItem:  # noqa: ANN001
    severity = policies.areas[area].severity.value
    sla_priority = priority.SLA_PRIORITY_FOR_SEVERITY[severity]
    queue = queue_for(policies.queues, policy_area=area, territory=territory)
    assert queue is not None
    due = created + datetime.timedelta(milliseconds=policies.slas[queue.sla].target_ms(sla_priority))
    decided_at = created + datetime.timedelta(hours=rng.lognormvariate(2.0, 0.8)) if decide else None
    if decided_at is not None and decided_at > now:
        decided_at = now - datetime.timedelta(minutes=rng.randrange(5, 120))
    item = WorkItem(
        kind=WorkKind.REVIEW,
        title_version=version,
        policy_area=area,
        queue_id=queue.id,
        territory=territory,
        status=ItemStatus.DECIDED if decide else ItemStatus.OPEN,
        severity=severity,
        high_severity=severity in priority.HIGH_SEVERITIES,
        sla_priority=sla_priority,
        due_at=due,
        report_count=report_count,
        created_at=created,
        updated_at=decided_at or created,
        decided_at=decided_at,
    )
    item.priority_score = priority.priority_score(
        priority.PriorityInputs(
            severity=severity, max_confidence=0.0, report_count=report_count, audience_reach=0
        )
    )
    item.rank_ms = priority.rank_ms(due_ms=int(due.timestamp() * 1000), score=item.priority_score)
    return item


def _decisions(items, flagged, reviewers, clauses, policy_version, rng) -> list[Decision]:  # noqa: ANN001
    rows = []
    for item in items:
        if item.decided_at is None or not reviewers:
            continue
        source_precision = SIGNAL_SOURCES.get(item.policy_area, ("", 0.5))[1]
        violating = rng.random() < (source_precision if id(item) in flagged else 0.35)
        action = (
            rng.choice(("restrict", "age_gate", "edit_request", "age_gate", "remove"))
            if violating
            else "approve"
        )
        clause = rng.choice(clauses[item.policy_area])
        rows.append(
            Decision(
                item=item,
                title_version_id=item.title_version_id,
                reviewer=rng.choice(reviewers),
                action=action,
                territories=[item.territory] if action in ("restrict", "age_gate", "remove") else [],
                clause_id=clause.id,
                clause_version=clause.version,
                policy_version=policy_version,
                source="screening" if id(item) in flagged else "customer_report",
                automated_detection=id(item) in flagged,
                work_kind=WorkKind.REVIEW,
                status=DecisionStatus.FINAL,
                high_impact=action == "remove",
                decided_at=item.decided_at,
                final_at=item.decided_at,
            )
        )
    return Decision.objects.bulk_create(rows, batch_size=500)


def _appeals(decisions, judge, rng) -> int:  # noqa: ANN001
    if judge is None:
        return 0
    appeals, overturned = [], []
    for decision in decisions:
        if decision.action == "approve" or rng.random() > 0.08 or decision.reviewer_id == judge.pk:
            continue
        opened = decision.decided_at + datetime.timedelta(hours=rng.randrange(2, 72))
        if opened > timezone.now():
            continue
        overturn = rng.random() < 0.25
        appeals.append(
            Appeal(
                decision=decision,
                item_id=decision.item_id,
                original_reviewer_id=decision.reviewer_id,
                reason="The rights holder disputes the decision.",
                opened_by="appellant",
                opened_at=opened,
                outcome=AppealOutcome.OVERTURNED if overturn else AppealOutcome.UPHELD,
                decided_by=judge,
                decided_at=min(opened + datetime.timedelta(hours=rng.randrange(4, 48)), timezone.now()),
            )
        )
        if overturn:
            overturned.append(decision.pk)
    Appeal.objects.bulk_create(appeals, batch_size=500)
    Decision.objects.filter(pk__in=overturned).update(status=DecisionStatus.OVERTURNED)
    return len(appeals)


def _exposure(reviewers, today, rng) -> None:  # noqa: ANN001
    items = list(WorkItem.objects.filter(policy_area__in=GRAPHIC).values_list("pk", "policy_area")[:200])
    if not items or not reviewers:
        return
    rows = []
    for back in range(DAYS, 0, -1):
        day = today - datetime.timedelta(days=back)
        for reviewer in reviewers:
            pk, area = rng.choice(items)
            viewed = rng.randrange(60_000, 40 * 60_000)
            rows.append(
                ExposureEntry(
                    reviewer=reviewer,
                    item_id=pk,
                    category=GRAPHIC[area],
                    viewed_ms=viewed,
                    weighted_ms=int(viewed * (2.0 if area == "violence" else 1.5)),
                    day=day,
                )
            )
    ExposureEntry.objects.bulk_create(rows, batch_size=1000)


def _flagged_burst(version: TitleVersion, now: datetime.datetime, rng: random.Random) -> None:
    """A coordinated burst: two accounts a day old, the same text, seconds apart — flagged, not merged."""
    start = now - datetime.timedelta(days=1, hours=2)
    CustomerReport.objects.bulk_create(
        CustomerReport(
            title_version=version,
            reason="graphic_violence",
            policy_area="violence",
            territory="US",
            language="en",
            text="This show must be removed now!!",
            reporter_ref=f"burst-{n % 2}",
            reporter_since=start - datetime.timedelta(days=1),
            channel=ReportChannel.API,
            status=ReportStatus.FLAGGED,
            suspicions=["burst_few_reporters", "new_accounts", "identical_text"],
            received_at=start + datetime.timedelta(seconds=10 * n),
        )
        for n in range(8)
    )


@dataclass(frozen=True)
class OncallLoad:
    rotations: int
    anomalies: int
    escalated: int


def load_oncall(*, now: datetime.datetime | None = None) -> OncallLoad:
    """Rotations in Tokyo, San José and UTC; then the detector runs over the history (as of 40 minutes
    ago), pages the person on call about the planted anomaly, and nobody acknowledges: the page
    escalates to the next person."""
    from shinsa.accounts.actions import do_update_user
    from shinsa.insights.detection import detect_anomalies
    from shinsa.oncall.actions import do_create_rotation, do_escalate_pages
    from shinsa.oncall.models import Rotation

    if Rotation.objects.exists():
        return OncallLoad(rotations=0, anomalies=0, escalated=0)
    now = now or timezone.now()
    people = {u.username: u for u in User.objects.filter(username__in=["kenji", "akiko", "admin"])}
    if len(people) < 3:
        return OncallLoad(rotations=0, anomalies=0, escalated=0)
    monday = now.date() - datetime.timedelta(days=now.weekday() + 21)
    specs = [
        (
            "primary",
            "Primary (Tokyo)",
            "プライマリ（東京）",
            "weekly",
            "Asia/Tokyo",
            monday,
            10,
            ["kenji", "akiko", "admin"],
        ),
        (
            "weekend",
            "Weekend (San José)",
            "週末（サンホセ）",
            "weekend",
            "America/Costa_Rica",
            monday + datetime.timedelta(days=5),
            9,
            ["akiko", "kenji"],
        ),
        ("ops-utc", "Operations (UTC)", "運用（UTC）", "weekly", "UTC", monday, 0, ["admin", "akiko"]),
    ]
    for slug, en, ja, pattern, zone, first, hour, names in specs:
        do_create_rotation(
            actor="demo",
            slug=slug,
            name_en=en,
            name_ja=ja,
            pattern=pattern,
            zone=zone,
            first_day=first,
            handoff_hour=hour,
            members=[people[n] for n in names],
            escalate_after_minutes=15,
        )
    for person in people.values():
        if not person.email:  # pages are e-mailed: the demo's mail lands in var/mail (file backend)
            do_update_user(actor="demo", user=person, email=f"{person.username}@demo.shinsa.invalid")
    past = now - datetime.timedelta(minutes=40)
    run = detect_anomalies(today=now.date(), now=past, actor="demo")
    escalated = do_escalate_pages(actor="demo", now=now)
    return OncallLoad(rotations=len(specs), anomalies=run.new, escalated=len(escalated))
