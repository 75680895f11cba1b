"""The demo's quality seed: an audit plan with finished audits, gold in a live queue, calibration."""

from __future__ import annotations

from shinsa.demo.actions import do_load_demo_people
from shinsa.demo.quality import seed_quality_demo
from shinsa.quality.models import AuditSample, CalibrationSession, GoldAnswer, GuidelineExample, Phase
from shinsa.quality.queries import scorecards
from tests.review.conftest import make_version


def test_the_demo_seeds_audits_gold_and_calibration_once(db):
    do_load_demo_people()
    for i in range(12):
        make_version(f"demo-{i}")
    summary = seed_quality_demo()
    assert summary["audit_samples"] >= 2 and summary["gold_placed"] == 1
    assert AuditSample.objects.filter(status="audited").count() == 2
    assert sum(line.errors for line in scorecards().reviewers) == 1
    assert GoldAnswer.objects.filter(context="live", item__isnull=False).count() == 1
    phases = set(CalibrationSession.objects.values_list("phase", flat=True))
    assert phases == {Phase.CLOSED, Phase.ANSWERING}
    closed = CalibrationSession.objects.get(phase=Phase.CLOSED)
    assert closed.alpha_before < closed.alpha_after == 1.0
    assert GuidelineExample.objects.count() == 1
    assert seed_quality_demo() == {}
