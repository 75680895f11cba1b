"""Reads behind the review console's pages, each in a fixed number of queries whatever the backlog.

Django glue only: the rules live in the actions, routing and policies. Subtitle cues are read from the
stored files and screened with the policy lexicons at page time (cached per file content and lexicon).
"""

from __future__ import annotations

import datetime
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shinsa.accounts.access import user_can
from shinsa.accounts.models import User, WellnessSettings
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetKind, AssetVersion, Availability
from shinsa.lib.clock import clock
from shinsa.policy.current import current_policies
from shinsa.review.counting import CappedCount, capped_count
from shinsa.review.evidence import CueText, EvidenceRow, cue_excerpt, subtitle_cue_row
from shinsa.review.models import (
    Appeal,
    Decision,
    DecisionSource,
    DecisionStatus,
    ExposureEntry,
    ItemStatus,
    LegalOrder,
    WorkItem,
    WorkKind,
)
from shinsa.review.player import Hit, player_context

_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*$")


def parse_time(text: str) -> int | None:
    """Milliseconds from ``1500`` (ms) or ``00:00:01.500`` / ``0:01.5``; None when unreadable."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    found = _CLOCK.match(text)
    if not found:
        return None
    hours, minutes, seconds = int(found.group(1) or 0), int(found.group(2)), float(found.group(3))
    return round(((hours * 60 + minutes) * 60 + seconds) * 1000)


def parse_ranges(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """``00:00:01.500–00:00:02.750, 3000-4000`` → [(1500, 2750), (3000, 4000)], and unreadable parts."""
    ranges: list[tuple[int, int]] = []
    bad: list[str] = []
    for part in re.split(r"[,;\n]+", text):
        if not part.strip():
            continue
        pieces = re.split(r"\s*[–—~]\s*|\s+-\s+|(?<=\d)-(?=\d)", part.strip())
        if len(pieces) != 2:
            bad.append(part.strip())
            continue
        start, end = parse_time(pieces[0]), parse_time(pieces[1])
        if start is None or end is None:
            bad.append(part.strip())
        else:
            ranges.append((start, end))
    return ranges, bad


# --- exposure ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    spent_ms: int
    budget_minutes: int

    @property
    def spent_minutes(self) -> int:
        return round(self.spent_ms / 60_000)

    @property
    def reached(self) -> bool:
        return self.spent_ms >= self.budget_minutes * 60_000

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.spent_ms / max(1, self.budget_minutes * 60_000)))


def exposure_today(user: User) -> Exposure:
    """Two queries: the day's weighted exposure and the budget."""
    spent = ExposureEntry.objects.filter(reviewer=user, day=timezone.now().date()).aggregate(
        ms=Sum("weighted_ms")
    )["ms"]
    settings = WellnessSettings.objects.filter(user=user).first() or WellnessSettings(user=user)
    return Exposure(spent_ms=spent or 0, budget_minutes=settings.daily_exposure_budget_minutes)


# --- my queues -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    id: str
    name: str
    sla: str
    open: int
    overdue: int
    next_due: datetime.datetime | None


def queue_rows(language: str, queue_ids: frozenset[str] | None = None) -> list[QueueRow]:
    """The active queues (those in ``queue_ids`` when given) with their open and overdue counts (capped,
    ``shinsa.review.counting``) and next deadline: one query, each figure a sub-SELECT that the partial
    index of open items by queue and deadline answers without reading the backlog."""
    from shinsa.review.models import Queue

    now = timezone.now()
    waiting = WorkItem.objects.filter(queue_id=OuterRef("pk"), status=ItemStatus.OPEN, legal_only=False)
    queues = (
        Queue.objects.filter(active=True)
        .annotate(
            open_count=CappedCount(waiting),
            overdue_count=CappedCount(waiting.filter(due_at__lt=now)),
            next_due=Subquery(waiting.filter(due_at__isnull=False).order_by("due_at").values("due_at")[:1]),
        )
        .order_by("id")
    )
    if queue_ids is not None:
        queues = queues.filter(pk__in=sorted(queue_ids))
    return [
        QueueRow(
            id=queue.id,
            name=queue.name_ja if language == "ja" else queue.name_en,
            sla=queue.sla,
            open=queue.open_count,
            overdue=queue.overdue_count,
            next_due=queue.next_due,
        )
        for queue in queues
    ]


def special_counts(user: User) -> dict[str, int]:
    """Open appeals, pending confirmations (not the person's own) and legal items (one query each)."""
    counts = {
        "appeals": capped_count(WorkItem.objects.filter(status=ItemStatus.OPEN, kind=WorkKind.APPEAL)),
        "legal": 0,
        "confirmations": 0,
    }
    if user_can(user, Perm.HANDLE_LEGAL):
        counts["legal"] = capped_count(WorkItem.objects.filter(status=ItemStatus.OPEN, legal_only=True))
    if user_can(user, Perm.CONFIRM_HIGH_IMPACT):
        counts["confirmations"] = capped_count(
            Decision.objects.filter(status=DecisionStatus.PENDING_CONFIRMATION).exclude(reviewer=user)
        )
    return counts


def my_claims(user: User) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(status=ItemStatus.CLAIMED, claimed_by=user)
        .select_related("title_version__title")
        .order_by("claimed_at")[:20]
    )


# --- the item page -------------------------------------------------------------------------------


@dataclass
class CueRow:
    index: int
    start_ms: int
    end_ms: int
    clock: str
    html: SafeString
    hit: bool
    text: str = ""

    @property
    def end_clock(self) -> str:
        return clock(self.end_ms)

    @property
    def excerpt(self) -> str:
        return cue_excerpt(self.text)


@dataclass(frozen=True)
class CuePick:
    """A cue as the evidence list shows it: the form value (``version:index``), a label and its text."""

    value: str
    label: str
    text: str
    cue: CueRow


@dataclass
class SubtitleColumn:
    language: str
    asset_id: int
    version_id: int  # the file the cue numbers count in: what cue evidence names
    cues: list[CueRow]

    @property
    def picks(self) -> list[CuePick]:
        return [
            CuePick(
                value=f"{self.version_id}:{cue.index}",
                label=f"{self.language} #{cue.index + 1} · {cue.clock}–{cue.end_clock}",
                text=cue.excerpt,
                cue=cue,
            )
            for cue in self.cues
        ]


@dataclass
class ItemPage:
    item: WorkItem
    title: Any
    signals: list[Any]
    reports: list[Any]
    player: dict[str, Any] | None
    video_asset_id: int | None
    media_withheld: bool
    subtitles: list[SubtitleColumn]
    metadata: list[dict[str, Any]]
    artwork: list[AssetVersion]
    history: list[Decision]
    clauses: list[dict[str, Any]]
    territories: list[str]
    appeal: Appeal | None
    legal_orders: list[LegalOrder]
    source: str
    automated: bool
    exposure: Exposure
    area_name: str
    graphic: bool
    hits: list[Hit] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return str(DecisionSource(self.source).label)

    def picked(self, values: list[str]) -> list[CuePick]:
        """The cues of this page named by ``values`` (the form's picks, kept when a decision is refused)."""
        on_page = {pick.value: pick for column in self.subtitles for pick in column.picks}
        return [on_page[value] for value in dict.fromkeys(values) if value in on_page]


_cue_cache: OrderedDict[tuple[str, str], list[CueRow]] = OrderedDict()
_cue_lock = threading.Lock()


def _highlight(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(f'<mark class="term">{escape(text[start:end])}</mark>')
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece escaped above


def subtitle_cues(version: AssetVersion, lexicons: Any) -> list[CueRow]:
    """The cues of a stored subtitle file with the lexicon's matched terms highlighted (cached)."""
    from shinsa.screening.subtitles.errors import SubtitleError
    from shinsa.screening.subtitles.reader import read_subtitle_file
    from shinsa.screening.text.matcher import screen_cues

    lexicon = lexicons.for_language(version.asset.language) if lexicons is not None else None
    key = (version.sha256, lexicon.version if lexicon is not None else "")
    with _cue_lock:
        if key in _cue_cache:
            return _cue_cache[key]
    try:
        track = read_subtitle_file(version.file.path)
    except (SubtitleError, OSError, ValueError):
        return []
    spans: dict[int, list[tuple[int, int]]] = {}
    if lexicon is not None and lexicon.terms:
        for hit in screen_cues(track.cues, lexicon):
            spans.setdefault(hit.cue_index, []).append((hit.hit.start, hit.hit.end))
    rows = [
        CueRow(
            index=index,
            start_ms=cue.start_ms,
            end_ms=cue.end_ms,
            clock=clock(cue.start_ms),
            html=_highlight(cue.text, spans.get(index, [])),
            hit=index in spans,
            text=cue.text,
        )
        for index, cue in enumerate(track.cues)
    ]
    with _cue_lock:
        _cue_cache[key] = rows
        while len(_cue_cache) > 128:
            _cue_cache.popitem(last=False)
    return rows


def cue_evidence(title_version_id: int, picks: list[str]) -> tuple[list[EvidenceRow], list[str]]:
    """Evidence rows for the subtitle cues picked on the item page (``"<asset version id>:<cue index>"``,
    0-based), read from the stored files so times and text are the file's own; and the problems, one
    sentence each in the reader's language (an unreadable pick, a file not of this title version, a cue
    the file does not have). One query."""
    wanted: list[tuple[int, int]] = []
    problems: list[str] = []
    for pick in picks:
        version_id, _sep, index = pick.strip().partition(":")
        if version_id.isdigit() and index.isdigit():
            wanted.append((int(version_id), int(index)))
        else:
            problems.append(_("The subtitle cue “%(pick)s” cannot be read.") % {"pick": pick})
    versions = AssetVersion.objects.select_related("asset").in_bulk({v for v, _i in wanted})
    lexicons = current_policies().kinds.get("lexicons")
    rows: list[EvidenceRow] = []
    for version_id, index in wanted:
        version = versions.get(version_id)
        if (
            version is None
            or version.asset.title_version_id != title_version_id
            or version.asset.kind != AssetKind.SUBTITLE
            or version.quarantined_at is not None
            or not version.file
        ):
            problems.append(
                _("The subtitle file %(version)s is not part of this title version.")
                % {"version": version_id}
            )
            continue
        cues = [CueText(c.start_ms, c.end_ms, c.text) for c in subtitle_cues(version, lexicons)]
        row = subtitle_cue_row(
            asset_id=version.asset_id, asset_version_id=version.pk, cue_index=index, cues=cues
        )
        if row is None:
            problems.append(
                _("The %(language)s subtitles have no cue %(number)s (they have %(count)s).")
                % {"language": version.asset.language, "number": index + 1, "count": len(cues)}
            )
        elif row not in rows:
            rows.append(row)
    return rows, problems


def decision_source(item: WorkItem, signals: list[Any], reports: list[Any], orders: list[Any]) -> str:
    if orders:
        return DecisionSource.LEGAL_ORDER
    if reports:
        return DecisionSource.CUSTOMER_REPORT
    if signals:
        return DecisionSource.SCREENING
    return DecisionSource.PROACTIVE


def item_page(user: User, item: WorkItem, language: str, *, exposure_url: str) -> ItemPage:
    """Everything the item page shows, in a fixed number of queries."""
    policies = current_policies()
    title = item.title_version.title
    signals = list(item.signals.all().order_by("start_ms", "pk"))
    reports = list(item.reports.all().order_by("reason"))
    versions = list(
        AssetVersion.objects.filter(asset__title_version_id=item.title_version_id)
        .select_related("asset", "fingerprint")
        .prefetch_related("renditions")
        .order_by("asset_id", "number")
    )
    newest: dict[int, AssetVersion] = {}
    for version in versions:
        newest[version.asset_id] = version
    by_kind: dict[str, list[AssetVersion]] = {}
    for version in newest.values():
        by_kind.setdefault(version.asset.kind, []).append(version)
    legal = user_can(user, Perm.HANDLE_LEGAL)
    orders = list(LegalOrder.objects.filter(item=item).order_by("deadline"))
    lexicons = policies.kinds.get("lexicons")
    subtitles = []
    hits: list[Hit] = []
    for version in sorted(
        by_kind.get(AssetKind.SUBTITLE, []), key=lambda v: (v.asset.language != "ja", v.pk)
    ):
        if version.quarantined_at is not None or not version.file:
            continue
        cues = subtitle_cues(version, lexicons)
        subtitles.append(
            SubtitleColumn(
                language=version.asset.language, asset_id=version.asset_id, version_id=version.pk, cues=cues
            )
        )
        hits += [
            Hit(
                start_ms=cue.start_ms,
                end_ms=cue.end_ms,
                label=f"{version.asset.language} #{cue.index + 1}",
                kind="subtitle",
            )
            for cue in cues
            if cue.hit
        ]
    hits += [
        Hit(start_ms=signal.start_ms, end_ms=signal.end_ms, label=signal.source, kind="hit")
        for signal in signals
        if signal.start_ms is not None
    ]
    history = list(
        Decision.objects.filter(title_version__title_id=title.pk)
        .select_related("reviewer", "title_version", "confirmation__confirmer")
        .prefetch_related("evidence")
        .order_by("-decided_at", "-pk")[:20]
    )
    for decision in history:
        if decision.title_version_id == item.title_version_id:
            hits += [
                Hit(start_ms=e.start_ms, end_ms=e.end_ms, label=f"#{decision.pk}", kind="evidence")
                for e in decision.evidence.all()
                if e.start_ms is not None
            ]
    videos = [v for v in by_kind.get(AssetKind.VIDEO, []) if v.file]
    player = None
    withheld = False
    video_asset_id = None
    if videos:
        video = videos[0]
        if video.quarantined_at is not None and not legal:
            withheld = True
        else:
            video_asset_id = video.asset_id
            player = player_context(
                user,
                video,
                category=item.graphic_category if item.graphic_level else "",
                hits=hits,
                exposure_url=exposure_url,
                form="[data-decision-form]",
                dom_id="player",
            )
    metadata = [
        {"language": v.asset.language, **(v.metadata or {})}
        for v in by_kind.get(AssetKind.METADATA, [])
        if v.metadata
    ]
    artwork = [
        v for v in by_kind.get(AssetKind.ARTWORK, []) if v.file and (v.quarantined_at is None or legal)
    ]
    clauses = [
        {
            "id": clause.id,
            "title": clause.title.in_language(language),
            "text": clause.text.in_language(language),
            "legal_basis": clause.legal_basis.in_language(language) if clause.legal_basis else "",
            "version": clause.version,
        }
        for clause in sorted(policies.clauses, key=lambda c: c.id)
        if clause.area == item.policy_area
    ]
    today = timezone.now().date()
    territories = sorted(
        set(
            Availability.objects.filter(title_version_id=item.title_version_id)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
            .values_list("territory", flat=True)
        )
    )
    appeal = None
    if item.kind == WorkKind.APPEAL:
        appeal = (
            Appeal.objects.filter(item=item, outcome="")
            .select_related("decision", "decision__reviewer")
            .order_by("opened_at")
            .first()
        )
    area = policies.areas.get(item.policy_area)
    return ItemPage(
        item=item,
        title=title,
        signals=signals,
        reports=reports,
        player=player,
        video_asset_id=video_asset_id,
        media_withheld=withheld,
        subtitles=subtitles,
        metadata=metadata,
        artwork=artwork,
        history=history,
        clauses=clauses,
        territories=territories,
        appeal=appeal,
        legal_orders=orders,
        source=decision_source(item, signals, reports, orders),
        automated=bool(signals),
        exposure=exposure_today(user),
        area_name=area.name.in_language(language) if area else item.policy_area,
        graphic=item.graphic_level > 0,
        hits=hits,
    )


# --- confirmations, exposure -----------------------------------------------------------------------


def pending_confirmations(user: User) -> list[Decision]:
    """High-impact decisions waiting for a second person, never the viewer's own (two queries)."""
    return list(
        Decision.objects.filter(status=DecisionStatus.PENDING_CONFIRMATION)
        .exclude(reviewer=user)
        .select_related("reviewer", "title_version__title", "item")
        .prefetch_related("evidence")
        .order_by("decided_at", "pk")[:50]
    )


@dataclass(frozen=True)
class ExposureRow:
    username: str
    today_ms: int
    week_ms: int
    budget_minutes: int

    @property
    def today_minutes(self) -> int:
        return round(self.today_ms / 60_000)

    @property
    def week_minutes(self) -> int:
        return round(self.week_ms / 60_000)

    @property
    def reached(self) -> bool:
        return self.today_ms >= self.budget_minutes * 60_000


def exposure_by_person() -> list[ExposureRow]:
    """Weighted exposure per reviewer today and over 7 days, with their budget: no content (two queries)."""
    today = timezone.now().date()
    week = today - datetime.timedelta(days=6)
    rows = (
        ExposureEntry.objects.filter(day__gte=week)
        .values("reviewer_id", "reviewer__username")
        .annotate(today=Sum("weighted_ms", filter=Q(day=today)), week=Sum("weighted_ms"))
        .order_by("reviewer__username")
    )
    rows = list(rows)
    budgets = dict(
        WellnessSettings.objects.filter(user_id__in=[r["reviewer_id"] for r in rows]).values_list(
            "user_id", "daily_exposure_budget_minutes"
        )
    )
    default = WellnessSettings().daily_exposure_budget_minutes
    return [
        ExposureRow(
            username=r["reviewer__username"],
            today_ms=r["today"] or 0,
            week_ms=r["week"] or 0,
            budget_minutes=budgets.get(r["reviewer_id"], default),
        )
        for r in rows
    ]
