"""On-call pages and the ICS feed by secret URL."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from shinsa.oncall.actions import do_create_rotation, do_raise_page, do_rotate_calendar_feed
from shinsa.oncall.feeds import feed_token
from shinsa.oncall.models import PageStatus


def make_rotation(cast):  # noqa: ANN001, ANN201
    today = timezone.now().date()
    return do_create_rotation(
        actor="system",
        slug="primary",
        name_en="Primary",
        name_ja="プライマリ",
        pattern="weekly",
        zone="Asia/Tokyo",
        first_day=today - datetime.timedelta(days=14),
        handoff_hour=10,
        members=[cast.sora, cast.mei],
    )


def test_the_calendar_feed_needs_the_secret_and_a_new_secret_revokes_the_old(cast):
    make_rotation(cast)
    feed = do_rotate_calendar_feed(actor=cast.sora)
    url = f"/oncall/calendar/{cast.sora.pk}/{feed_token(feed)}.ics"
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") >= 5 and "SUMMARY:On call: Primary" in text
    assert Client().get(f"/oncall/calendar/{cast.sora.pk}/{'0' * 40}.ics").status_code == 404
    do_rotate_calendar_feed(actor=cast.sora)
    assert Client().get(url).status_code == 404


def test_a_person_acknowledges_and_silences_from_the_page(cast):
    make_rotation(cast)
    page = do_raise_page(actor="worker", kind="sla_risk", condition="sla_risk:general", summary="3 items due")
    client = Client()
    client.force_login(cast.sora)
    assert b"3 items due" in client.get(f"/oncall/pages/{page.pk}/").content
    client.post(f"/oncall/pages/{page.pk}/ack")
    page.refresh_from_db()
    assert page.status == PageStatus.ACKNOWLEDGED and page.acked_by == cast.sora
    answer = client.post(f"/oncall/pages/{page.pk}/silence", {"minutes": "30", "reason": ""}, follow=True)
    assert b"Say why the condition is silenced." in answer.content
    rotations = client.get("/oncall/").content.decode()
    assert "Asia/Tokyo" in rotations and "America/Costa_Rica" in rotations
    client.post("/oncall/rotations/primary/handoff", {"text": "watch the JP queue"})
    assert "watch the JP queue" in client.get("/oncall/").content.decode()
