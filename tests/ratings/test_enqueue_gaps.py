"""Compliance gaps become maturity-rating review items in time, once per cut."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.utils import timezone

from shinsa.audit.models import AuditEvent
from shinsa.catalog.models import Availability
from shinsa.ratings.actions import COMPLIANCE_POLICY_AREA, do_enqueue_compliance_gaps
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.queries import compliance_gaps
from shinsa.review.models import WorkItem


def current_gaps():
    return compliance_gaps(active_rating_policies(), today=timezone.localdate(), horizon_days=30)


def test_it_opens_one_item_per_cut_and_nothing_the_second_time(catalog):
    opened = do_enqueue_compliance_gaps(gaps=current_gaps())

    cut_ids = {catalog.film_cut.pk, *(cut.pk for cut in catalog.episode_cuts)}
    assert {item.title_version_id for item in opened} == cut_ids
    assert {item.policy_area for item in opened} == {COMPLIANCE_POLICY_AREA}
    assert {item.queue_id for item in opened} == {"maturity_ratings"}
    assert AuditEvent.objects.filter(object_type="review.workitem").count() >= len(cut_ids)
    assert do_enqueue_compliance_gaps(gaps=current_gaps()) == []
    assert WorkItem.objects.count() == len(cut_ids)
    assert {item.signal_count for item in WorkItem.objects.all()} == {1}


def test_it_makes_an_upcoming_cut_due_before_its_window_opens(catalog):
    opens_on = timezone.localdate() + datetime.timedelta(days=2)
    Availability.objects.filter(title_version=catalog.film_cut).update(starts_on=opens_on)

    do_enqueue_compliance_gaps(gaps=current_gaps())

    item = WorkItem.objects.get(title_version=catalog.film_cut)
    assert item.due_at <= datetime.datetime.combine(opens_on, datetime.time.min, tzinfo=datetime.UTC)


def test_it_enqueues_from_the_command(catalog, capsys):
    call_command("ratings", "gaps", "--enqueue")
    assert "3 review items opened." in capsys.readouterr().out
    assert WorkItem.objects.filter(policy_area=COMPLIANCE_POLICY_AREA).count() == 3
