"""Insights pages: the dashboard (charts, anomalies, recall), flagged reports, and the public report
form (no sign-in). Thin: read through queries, write only through actions."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shinsa.accounts.access import perm_required
from shinsa.accounts.roles import Perm
from shinsa.insights import dashboard
from shinsa.insights.actions import (
    ReportInput,
    do_record_recall_audit,
    do_resolve_flagged_report,
    do_submit_report,
)
from shinsa.insights.errors import InsightsError
from shinsa.insights.forms import DashboardFilters, PublicReportForm
from shinsa.insights.models import AnomalyFinding, CustomerReport, RecallAudit, ReportChannel, ReportStatus
from shinsa.insights.series import Filters

FORM_ACTOR = "public-form"


def _language() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


@perm_required(Perm.VIEW_INSIGHTS)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    form = DashboardFilters(request.GET or None)
    since, until = form.range(timezone.now().date())
    filters = Filters(
        since=since,
        until=until,
        territory=form.cleaned_data.get("territory", "") if form.is_bound and form.is_valid() else "",
        language=form.cleaned_data.get("language", "") if form.is_bound and form.is_valid() else "",
    )
    language = _language()
    panels = [
        {
            "key": p.key,
            "heading": p.heading,
            "svg": mark_safe(p.chart.svg),  # noqa: S308 - the chart engine escapes every text
            "note": p.note,
            "points": p.chart.points,
        }
        for p in dashboard.panels(filters, language=language, now=timezone.now())
    ]
    anomalies = AnomalyFinding.objects.filter(day__gte=since, day__lte=until)[:20]
    return render(
        request,
        "insights/pages/dashboard.html",
        {
            "nav": "insights",
            "form": form,
            "since": since,
            "until": until,
            "panels": panels,
            "anomalies": [
                {"finding": a, "area": dashboard.area_name(a.key, language), "excess": a.value - a.expected}
                for a in anomalies
            ],
            "recall": [
                {"area": dashboard.area_name(r.policy_area, language), "row": r}
                for r in dashboard.recall_rows(filters)
            ],
            "flagged": dashboard.flagged_count(),
        },
    )


@perm_required(Perm.VIEW_INSIGHTS)
@require_GET
def flagged(request: HttpRequest) -> HttpResponse:
    reports = (
        CustomerReport.objects.filter(status=ReportStatus.FLAGGED)
        .select_related("title_version__title")
        .order_by("-received_at")[:200]
    )
    return render(request, "insights/pages/flagged.html", {"nav": "insights", "reports": reports})


@perm_required(Perm.MANAGE_QUEUES)
@require_POST
def resolve_flagged(request: HttpRequest, report_id: int) -> HttpResponse:
    report = CustomerReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("no such report")
    try:
        do_resolve_flagged_report(
            actor=request.user, report=report, release=request.POST.get("release") == "1"
        )
    except InsightsError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Report %(id)s handled.") % {"id": report.pk})
    return redirect("insights:flagged")


def _reporter(request: HttpRequest) -> str:
    """A pseudonymous id per browser session: the form never asks who the viewer is."""
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key or ""
    return "form-" + hashlib.sha256(key.encode()).hexdigest()[:20]


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    language = _language()
    form = PublicReportForm(request.POST or None, language=language)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_submit_report(
                actor=FORM_ACTOR,
                data=ReportInput(
                    title=data["title"],
                    episode=data["episode"],
                    reason=data["reason"],
                    timecode_ms=data["timecode"],
                    territory=data["territory"],
                    language=data["language"] or language,
                    text=data["text"],
                    reporter=_reporter(request),
                ),
                channel=ReportChannel.FORM,
            )
        except InsightsError as error:
            for field, text in error.problems:
                form.add_error(field if field in form.fields else None, text)
        else:
            return render(request, "insights/pages/report_thanks.html", {"nav": "report"})
    return render(request, "insights/pages/report_form.html", {"nav": "report", "form": form})


@perm_required(Perm.AUDIT_DECISIONS)
@require_GET
def recall_audits(request: HttpRequest) -> HttpResponse:
    """Randomly drawn, unflagged versions waiting for a person's finding (``shinsa insights
    recall-sample`` draws them)."""
    language = _language()
    pending = RecallAudit.objects.filter(violating__isnull=True).select_related("title_version__title")[:100]
    rows = [{"audit": a, "area": dashboard.area_name(a.policy_area, language)} for a in pending]
    done = RecallAudit.objects.filter(violating__isnull=False).count()
    return render(request, "insights/pages/recall.html", {"nav": "insights", "rows": rows, "done": done})


@perm_required(Perm.AUDIT_DECISIONS)
@require_POST
def record_recall_audit(request: HttpRequest, audit_id: int) -> HttpResponse:
    recall_audit = RecallAudit.objects.filter(pk=audit_id).first()
    if recall_audit is None:
        raise Http404("no such audit")
    try:
        do_record_recall_audit(
            actor=request.user,
            recall_audit=recall_audit,
            violating=request.POST.get("violating") == "1",
            note=request.POST.get("note", "")[:2000],
        )
    except InsightsError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("insights:recall")
