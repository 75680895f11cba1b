"""The detector over generated history: it finds the planted anomaly, explains it, pages the person on
call, and the unacknowledged page escalates; ordinary weekly seasonality raises nothing."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

from shinsa.demo.history import ANOMALY_DAYS_AGO
from shinsa.insights.detection import detect_anomalies
from shinsa.insights.models import AnomalyFinding
from shinsa.oncall.models import Page, PageKind
from tests.insights.history import make_history


def test_it_finds_and_explains_the_planted_anomaly_and_pages_on_call(
    cast, audit_log, django_capture_on_commit_callbacks
):
    log = audit_log()
    with django_capture_on_commit_callbacks(execute=True):  # deliveries go out after commit
        history, oncall = make_history(cast)
    assert history.created and history.decisions > 1000
    planted_day = timezone.now().date() - datetime.timedelta(days=ANOMALY_DAYS_AGO)
    findings = list(AnomalyFinding.objects.all())
    assert [(f.metric, f.key, f.day) for f in findings] == [("reports", "violence", planted_day)]
    finding = findings[0]
    assert finding.value - finding.expected > 40 and finding.score > 6
    assert finding.drivers[0]["share"] > 0.9  # one title explains the excess
    page = Page.objects.get(kind=PageKind.ANOMALY)
    assert page.condition == "anomaly:reports:policy_area:violence" and "violence" in page.summary
    assert finding.drivers[0]["title"] in page.summary
    # Nobody acknowledged within 15 minutes: the page went to the next person in the chain.
    assert oncall.escalated == 1 and page.level == 1
    assert {"insights.anomaly.found", "oncall.page.raised", "oncall.page.escalated"} <= set(log.verbs())
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == [page.paged_user.email]
    # Running the detector again finds the same day once and pages nobody anew.
    again = detect_anomalies(today=timezone.now().date())
    assert again.new == 0 and Page.objects.count() == 1
