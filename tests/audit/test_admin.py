"""The admin shows audit rows read-only and finds them by verb, object and actor."""

from __future__ import annotations

import pytest

from shinsa.audit.models import AuditEvent
from shinsa.audit.sealing import seal_pending
from tests.audit.writes import write_event
from tests.cast import PASSWORD


@pytest.fixture
def events(cast) -> list[AuditEvent]:
    made = [
        write_event(actor=cast.rin, verb="item.claim", object_id="501"),
        write_event(actor=cast.sora, verb="decision.confirm", object_id="777"),
    ]
    seal_pending()
    return made


@pytest.fixture
def admin_client(client, cast):
    assert client.login(username="ada", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("query", "found", "missing"), [("claim", "501", "777"), ("777", "777", "501"), ("sora", "777", "501")]
)
def test_it_searches_events_by_verb_object_and_actor(admin_client, events, query, found, missing):
    response = admin_client.get("/admin/audit/auditevent/", {"q": query})
    assert response.status_code == 200
    rows = [str(event.object_id) for event in response.context["cl"].result_list]
    assert found in rows and missing not in rows


def test_it_shows_an_event_without_a_way_to_change_it(admin_client, events):
    url = f"/admin/audit/auditevent/{events[0].pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert admin_client.post(url, {"verb": "forged"}).status_code == 403
    assert AuditEvent.objects.get(pk=events[0].pk).verb == "item.claim"


@pytest.mark.parametrize("model", ["auditevent", "auditseal"])
def test_it_offers_no_add_or_delete(admin_client, events, model):
    assert admin_client.get(f"/admin/audit/{model}/add/").status_code == 403
    assert admin_client.get(f"/admin/audit/{model}/1/delete/").status_code == 403
    changelist = admin_client.get(f"/admin/audit/{model}/")
    assert changelist.status_code == 200 and b"delete_selected" not in changelist.content


def test_it_keeps_people_without_staff_access_out(client, cast, events):
    assert client.login(username="olive", password=PASSWORD)
    assert client.get("/admin/audit/auditevent/").status_code == 302
