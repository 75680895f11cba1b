"""Every URL and API route × every role of the cast (and anonymous): allowed or denied, as declared.

The table below is the one statement of who may reach what. A route without an entry fails the test
(so a new page or endpoint must declare its audience), and so does an entry for a route that is gone.
Denied means: anonymous visitors are sent to sign in (pages) or get 401 (API); signed-in people get
403 (pages, API) or Django admin's own sign-in page (admin). Allowed means anything else (200, a
redirect elsewhere, 404/405/422 past the permission check).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from tests.security.conftest import World
from tests.security.routes import api_operations, page_routes

EVERYONE = frozenset({"anonymous", "rin", "sora", "kai", "mei", "ada", "olive"})
STAFF = frozenset({"rin", "sora", "kai", "mei", "ada"})  # everyone with a role
REVIEWERS = frozenset({"rin", "sora", "ada"})
SENIORS = frozenset({"sora", "ada"})
ADMINS = frozenset({"ada"})
SIGNED_IN = EVERYONE - {"anonymous"}
AUDITORS = frozenset({"kai", "ada"})  # audit_decisions (calibration leads have it too; none in the cast)
INSIGHTS = frozenset({"kai", "mei", "ada"})  # view_insights
CALIBRATION_LEADS = frozenset({"ada"})  # run_calibration
ON_CALL = frozenset({"sora", "mei", "ada"})  # take_pages
BANK_MANAGERS = frozenset(
    {"ada"}
)  # policy owners and admins (Perm.MANAGE_BANKS); the cast has no policy owner


@dataclass(frozen=True)
class Expect:
    method: str
    allowed: frozenset[str]
    path: str  # with {placeholders} filled from the World
    data: dict | None = None
    json: dict | None = None


PAGES: dict[str, Expect] = {
    "i18n/setlang/": Expect("POST", EVERYONE, "/i18n/setlang/", data={"language": "en"}),
    "admin/": Expect("GET", frozenset({"ada"}), "/admin/"),
    "ratings/": Expect("GET", STAFF, "/ratings/"),
    "ratings/cut/<str:external_id>/<str:label>/": Expect("GET", STAFF, "/ratings/cut/{external_id}/{label}/"),
    "ratings/cut/<str:external_id>/<str:label>/certificates": Expect(
        "POST", REVIEWERS, "/ratings/cut/{external_id}/{label}/certificates", data={}
    ),
    "ratings/assessments/<int:assessment_id>/": Expect(
        "GET", REVIEWERS, "/ratings/assessments/{assessment_id}/"
    ),
    "ratings/assessments/<int:assessment_id>/<slug:step>": Expect(
        "POST",
        REVIEWERS,
        "/ratings/assessments/{assessment_id}/add-finding",
        data={"descriptor": "violence", "intensity": "2", "start_ms": "1000", "end_ms": "2000"},
    ),
    "ratings/overrides/<int:override_id>/decide": Expect(
        "POST", SENIORS, "/ratings/overrides/{override_id}/decide", data={"decision": "reject"}
    ),
    # Quality (docs/quality.md). Object ids that do not exist: past the permission check a page answers 404.
    "quality/": Expect("GET", STAFF, "/quality/"),
    "quality/audits/": Expect("GET", AUDITORS, "/quality/audits/"),
    "quality/audits/plans/<int:plan_id>/": Expect("GET", AUDITORS, "/quality/audits/plans/999999/"),
    "quality/audits/next": Expect("POST", AUDITORS, "/quality/audits/next"),
    "quality/audits/<int:sample_id>/": Expect("GET", AUDITORS | REVIEWERS, "/quality/audits/999999/"),
    "quality/audits/<int:sample_id>/<slug:step>": Expect(
        "POST", AUDITORS | REVIEWERS, "/quality/audits/999999/answer", data={}
    ),
    "quality/scorecards/": Expect("GET", INSIGHTS, "/quality/scorecards/"),
    "quality/scorecards.xlsx": Expect("GET", INSIGHTS, "/quality/scorecards.xlsx"),
    "quality/gold/": Expect("GET", AUDITORS, "/quality/gold/"),
    "quality/gold/place": Expect("POST", AUDITORS, "/quality/gold/place"),
    "quality/onboarding/<int:set_id>/": Expect("GET", REVIEWERS, "/quality/onboarding/999999/"),
    "quality/onboarding/<int:set_id>/answer": Expect("POST", REVIEWERS, "/quality/onboarding/999999/answer"),
    "quality/calibration/": Expect("GET", REVIEWERS | CALIBRATION_LEADS, "/quality/calibration/"),
    "quality/calibration/<int:session_id>/": Expect(
        "GET", REVIEWERS | CALIBRATION_LEADS, "/quality/calibration/999999/"
    ),
    "quality/calibration/<int:session_id>/<slug:step>": Expect(
        "POST", REVIEWERS | CALIBRATION_LEADS, "/quality/calibration/999999/reveal"
    ),
    "banks/": Expect("GET", BANK_MANAGERS, "/banks/"),
    "banks/new": Expect("POST", BANK_MANAGERS, "/banks/new", data={}),
    "banks/<int:bank_id>/": Expect("GET", BANK_MANAGERS, "/banks/{bank_id}/"),
    "banks/<int:bank_id>/entries": Expect("POST", BANK_MANAGERS, "/banks/{bank_id}/entries", data={}),
    "banks/<int:bank_id>/import": Expect("POST", BANK_MANAGERS, "/banks/{bank_id}/import", data={}),
    "banks/<int:bank_id>/export.csv": Expect("GET", BANK_MANAGERS, "/banks/{bank_id}/export.csv"),
    "banks/<int:bank_id>/enabled": Expect(
        "POST", BANK_MANAGERS, "/banks/{bank_id}/enabled", data={"enabled": "1"}
    ),
    "banks/entries/<int:entry_id>/confirm": Expect(
        "POST", BANK_MANAGERS, "/banks/entries/{entry_id}/confirm"
    ),
    "banks/entries/<int:entry_id>/remove": Expect("POST", BANK_MANAGERS, "/banks/entries/{entry_id}/remove"),
    "media/<int:asset_version_id>/<str:kind>": Expect("GET", STAFF, "/media/{asset_version_id}/play"),
    "screening/asset-versions/<int:asset_version_id>/": Expect(
        "GET", STAFF, "/screening/asset-versions/{asset_version_id}/"
    ),
    "screening/asset-versions/<int:asset_version_id>/progress": Expect(
        "GET", STAFF, "/screening/asset-versions/{asset_version_id}/progress"
    ),
    # The review console. Item routes answer 404 past the permission check to anyone but the holder.
    "review/": Expect("GET", REVIEWERS, "/review/"),
    "review/next": Expect("POST", REVIEWERS, "/review/next", data={}),
    "review/items/<int:item_id>/": Expect("GET", REVIEWERS, "/review/items/999999/"),
    "review/items/<int:item_id>/decide": Expect("POST", REVIEWERS, "/review/items/999999/decide", data={}),
    "review/items/<int:item_id>/skip": Expect("POST", REVIEWERS, "/review/items/999999/skip", data={}),
    "review/items/<int:item_id>/release": Expect("POST", REVIEWERS, "/review/items/999999/release", data={}),
    "review/items/<int:item_id>/heartbeat": Expect("POST", REVIEWERS, "/review/items/999999/heartbeat"),
    "review/items/<int:item_id>/exposure": Expect(
        "POST", REVIEWERS, "/review/items/999999/exposure", data={}
    ),
    "review/items/<int:item_id>/appeal": Expect("POST", REVIEWERS, "/review/items/999999/appeal", data={}),
    "review/confirmations/": Expect("GET", SENIORS, "/review/confirmations/"),
    "review/decisions/<int:decision_id>/confirm": Expect("POST", SENIORS, "/review/decisions/999999/confirm"),
    "review/decisions/<int:decision_id>/reject": Expect("POST", SENIORS, "/review/decisions/999999/reject"),
    "review/exposure/": Expect("GET", frozenset({"mei", "ada"}), "/review/exposure/"),
    # Legal orders: people with handle_legal or manage_queues (ops managers; administrators).
    "review/legal/": Expect("GET", frozenset({"mei", "ada"}), "/review/legal/"),
    "labeling/": Expect("GET", frozenset({"rin", "sora", "mei", "ada"}), "/labeling/"),
    "labeling/next": Expect("POST", REVIEWERS, "/labeling/next"),
    # Someone else's (or no) task is a 404 past the permission check: labeling is blind.
    "labeling/tasks/<int:task_id>/": Expect("GET", REVIEWERS, "/labeling/tasks/999999/"),
    "labeling/tasks/<int:task_id>/autosave": Expect(
        "POST", REVIEWERS, "/labeling/tasks/999999/autosave", json={"labels": []}
    ),
    "labeling/tasks/<int:task_id>/submit": Expect("POST", REVIEWERS, "/labeling/tasks/999999/submit"),
    "labeling/tasks/<int:task_id>/exposure": Expect(
        "POST", REVIEWERS, "/labeling/tasks/999999/exposure", data={"viewed_ms": "1000"}
    ),
    "labeling/projects/<slug:slug>/": Expect("GET", frozenset({"mei", "ada"}), "/labeling/projects/nope/"),
    "labeling/projects/new": Expect("GET", frozenset({"mei", "ada"}), "/labeling/projects/new"),
    "labeling/rights/<str:external_id>": Expect(
        "POST", frozenset({"mei", "ada"}), "/labeling/rights/{external_id}", data={"allowed": "0"}
    ),
    "labeling/projects/<slug:slug>/fill": Expect(
        "POST", frozenset({"mei", "ada"}), "/labeling/projects/nope/fill"
    ),
    "": Expect("GET", SIGNED_IN, "/"),
    "catalog/": Expect("GET", STAFF, "/catalog/"),
    "catalog/<str:external_id>/": Expect("GET", STAFF, "/catalog/{external_id}/"),
    "login/": Expect("GET", EVERYONE, "/login/"),
    "logout/": Expect("POST", EVERYONE, "/logout/"),
    # Single sign-on is for visitors who are not signed in yet (unconfigured here: 404 past any check).
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": Expect("POST", EVERYONE, "/accounts/oidc/sso/login/"),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": Expect(
        "GET", EVERYONE, "/accounts/oidc/sso/login/callback/"
    ),
    "accounts/sso/error/": Expect("GET", EVERYONE, "/accounts/sso/error/"),
    "accounts/sso/cancelled/": Expect("GET", EVERYONE, "/accounts/sso/cancelled/"),
    # Anyone signed in may set up and pass a second factor (the roles that need one are sent there).
    "account/two-factor/": Expect("GET", SIGNED_IN, "/account/two-factor/"),
    "account/two-factor/verify/": Expect("GET", SIGNED_IN, "/account/two-factor/verify/"),
    "healthz": Expect("GET", EVERYONE, "/healthz"),
    "insights/": Expect("GET", INSIGHTS, "/insights/"),
    "insights/reports/flagged": Expect("GET", INSIGHTS, "/insights/reports/flagged"),
    "insights/reports/<int:report_id>/resolve": Expect(
        "POST", frozenset({"mei", "ada"}), "/insights/reports/999999/resolve", data={"release": "1"}
    ),
    "insights/recall/": Expect("GET", frozenset({"kai", "ada"}), "/insights/recall/"),
    "insights/recall/<int:audit_id>": Expect(
        "POST", frozenset({"kai", "ada"}), "/insights/recall/999999", data={"violating": "1"}
    ),
    "report/": Expect("GET", EVERYONE, "/report/"),
    "oncall/": Expect("GET", ON_CALL, "/oncall/"),
    "oncall/me/": Expect("GET", ON_CALL, "/oncall/me/"),
    "oncall/me/calendar": Expect("POST", ON_CALL, "/oncall/me/calendar"),
    # The feed is reached by its secret alone (calendar apps cannot sign in): a wrong secret is a 404.
    "oncall/calendar/<int:user_id>/<str:token>.ics": Expect("GET", EVERYONE, "/oncall/calendar/1/nope.ics"),
    "oncall/pages/": Expect("GET", ON_CALL, "/oncall/pages/"),
    "oncall/pages/<int:page_id>/": Expect("GET", ON_CALL, "/oncall/pages/999999/"),
    "oncall/pages/<int:page_id>/<slug:step>": Expect("POST", ON_CALL, "/oncall/pages/999999/ack"),
    "oncall/rotations/<slug:slug>/handoff": Expect(
        "POST", ON_CALL, "/oncall/rotations/none/handoff", data={"text": "x"}
    ),
    # Not by role: by client address (the test client is 127.0.0.1, allowed by default) or bearer
    # token; the refusals are proven in tests/web/test_metrics.py.
    "metrics": Expect("GET", EVERYONE, "/metrics"),
}

API: dict[tuple[str, str], Expect] = {
    ("GET", "/api/v1/titles"): Expect("GET", STAFF, "/api/v1/titles"),
    ("GET", "/api/v1/titles/{external_id}"): Expect("GET", STAFF, "/api/v1/titles/{external_id}"),
    ("POST", "/api/v1/manifests"): Expect("POST", frozenset({"mei", "ada"}), "/api/v1/manifests", data={}),
    ("GET", "/api/v1/ratings/titles/{external_id}/versions/{label}/published"): Expect(
        "GET", STAFF, "/api/v1/ratings/titles/{external_id}/versions/{label}/published"
    ),
    ("POST", "/api/v1/ratings/titles/{external_id}/versions/{label}/assessments"): Expect(
        "POST", REVIEWERS, "/api/v1/ratings/titles/{external_id}/versions/{label}/assessments"
    ),
    ("GET", "/api/v1/ratings/assessments/{assessment_id}"): Expect(
        "GET", REVIEWERS, "/api/v1/ratings/assessments/{assessment_id}"
    ),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/findings"): Expect(
        "POST",
        REVIEWERS,
        "/api/v1/ratings/assessments/{assessment_id}/findings",
        json={"descriptor": "violence", "intensity": 2, "start_ms": 1000, "end_ms": 2000},
    ),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/submit"): Expect(
        "POST", REVIEWERS, "/api/v1/ratings/assessments/{assessment_id}/submit"
    ),
    ("GET", "/api/v1/ratings/compliance"): Expect("GET", STAFF, "/api/v1/ratings/compliance"),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/findings/{finding_id}/accept"): Expect(
        "POST", REVIEWERS, "/api/v1/ratings/assessments/{assessment_id}/findings/999999/accept"
    ),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/findings/{finding_id}/remove"): Expect(
        "POST", REVIEWERS, "/api/v1/ratings/assessments/{assessment_id}/findings/999999/remove"
    ),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/overrides"): Expect(
        "POST",
        REVIEWERS,
        "/api/v1/ratings/assessments/{assessment_id}/overrides",
        json={"scheme": "mpa", "territory": "US", "level": "R", "reason": "x"},
    ),
    ("POST", "/api/v1/ratings/overrides/{override_id}/decision"): Expect(
        "POST", SENIORS, "/api/v1/ratings/overrides/999999/decision", json={"decision": "reject"}
    ),
    ("POST", "/api/v1/ratings/assessments/{assessment_id}/publish"): Expect(
        "POST", REVIEWERS, "/api/v1/ratings/assessments/{assessment_id}/publish"
    ),
    ("POST", "/api/v1/ratings/titles/{external_id}/versions/{label}/certificates"): Expect(
        "POST",
        REVIEWERS,
        "/api/v1/ratings/titles/{external_id}/versions/{label}/certificates",
        json={
            "scheme": "nope",
            "level": "15",
            "number": "1",
            "issued_on": "2024-01-01",
            "medium": "cinema",
            "authority": "x",
        },
    ),
    ("GET", "/api/v1/webhooks"): Expect("GET", ADMINS, "/api/v1/webhooks"),
    ("POST", "/api/v1/webhooks"): Expect(
        "POST", ADMINS, "/api/v1/webhooks", json={"name": "x", "url": "not a url"}
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate"): Expect(
        "POST", ADMINS, "/api/v1/webhooks/999999/rotate"
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/retire-secret"): Expect(
        "POST", ADMINS, "/api/v1/webhooks/999999/retire-secret"
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/active"): Expect(
        "POST", ADMINS, "/api/v1/webhooks/999999/active", json={"active": False}
    ),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): Expect(
        "GET", ADMINS, "/api/v1/webhooks/999999/deliveries"
    ),
    # Review: ids that do not exist answer 404 past the permission check (allowed).
    ("GET", "/api/v1/review/queues"): Expect("GET", REVIEWERS, "/api/v1/review/queues"),
    ("GET", "/api/v1/review/items"): Expect("GET", REVIEWERS, "/api/v1/review/items"),
    ("GET", "/api/v1/review/items/{item_id}"): Expect("GET", REVIEWERS, "/api/v1/review/items/999999"),
    ("POST", "/api/v1/review/claims"): Expect("POST", REVIEWERS, "/api/v1/review/claims", json={}),
    ("POST", "/api/v1/review/items/{item_id}/heartbeat"): Expect(
        "POST", REVIEWERS, "/api/v1/review/items/999999/heartbeat", json={}
    ),
    ("POST", "/api/v1/review/items/{item_id}/release"): Expect(
        "POST", REVIEWERS, "/api/v1/review/items/999999/release", json={}
    ),
    ("POST", "/api/v1/review/items/{item_id}/skip"): Expect(
        "POST", REVIEWERS, "/api/v1/review/items/999999/skip", json={"reason": "x"}
    ),
    ("POST", "/api/v1/review/items/{item_id}/decision"): Expect(
        "POST",
        REVIEWERS,
        "/api/v1/review/items/999999/decision",
        json={"action": "approve", "clause_id": "HAT-1", "source": "proactive"},
    ),
    ("POST", "/api/v1/review/items/{item_id}/escalate"): Expect(
        "POST", REVIEWERS, "/api/v1/review/items/999999/escalate", json={"clause_id": "HAT-1", "reason": "x"}
    ),
    ("GET", "/api/v1/review/decisions"): Expect("GET", REVIEWERS, "/api/v1/review/decisions"),
    ("GET", "/api/v1/review/decisions/{decision_id}"): Expect(
        "GET", REVIEWERS, "/api/v1/review/decisions/999999"
    ),
    ("POST", "/api/v1/review/decisions/{decision_id}/confirm"): Expect(
        "POST", SENIORS, "/api/v1/review/decisions/999999/confirm", json={}
    ),
    ("POST", "/api/v1/review/decisions/{decision_id}/appeals"): Expect(
        "POST", REVIEWERS, "/api/v1/review/decisions/999999/appeals", json={"reason": "x"}
    ),
    ("GET", "/api/v1/review/appeals"): Expect("GET", REVIEWERS, "/api/v1/review/appeals"),
    ("POST", "/api/v1/review/appeals/{appeal_id}/decision"): Expect(
        "POST", REVIEWERS, "/api/v1/review/appeals/999999/decision", json={"outcome": "upheld"}
    ),
    ("POST", "/api/v1/reports"): Expect("POST", STAFF, "/api/v1/reports", json={}),
}

ROLES = sorted(EVERYONE)


def test_it_declares_every_page_and_api_route_exactly_once():
    assert sorted(PAGES) == sorted(page_routes()), "declare each page route in PAGES (and only those)"
    assert sorted(API) == sorted(api_operations()), "declare each API operation in API (and only those)"


def _client(cast, name: str) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(getattr(cast, name))
    return client


def _send(client: Client, expect: Expect, world: World):
    path = expect.path.format(**vars(world))
    if expect.method == "GET":
        return client.get(path)
    if expect.json is not None:
        return client.post(path, expect.json, content_type="application/json")
    return client.post(path, expect.data or {})


def _login_redirect(response) -> bool:
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith(("/login/?next=", "/admin/login/?next="))


def _page_outcome(response, name: str) -> str:
    """allowed, denied (the right way for this visitor) or a wrong refusal."""
    if name == "anonymous" and _login_redirect(response):
        return "denied"
    if name != "anonymous" and (response.status_code == 403 or _login_redirect(response)):
        return "denied"  # Django admin sends signed-in non-staff to its own sign-in page
    if response.status_code in (401, 403) or _login_redirect(response):
        return f"wrongly refused with {response.status_code}"
    return "allowed"


def _api_outcome(response, name: str) -> str:
    expected = 401 if name == "anonymous" else 403
    if response.status_code == expected:
        return "denied"
    if response.status_code in (401, 403):
        return f"wrongly refused with {response.status_code}"
    return "allowed"


@pytest.mark.parametrize("name", ROLES)
def test_it_allows_and_denies_each_route_as_declared(cast, world, name):
    wrong: list[str] = []
    for route, expect in PAGES.items():
        response = _send(_client(cast, name), expect, world)
        outcome = _page_outcome(response, name)
        if outcome != ("allowed" if name in expect.allowed else "denied"):
            wrong.append(f"{expect.method} /{route}: {outcome} ({response.status_code})")
    for (method, path), expect in API.items():
        response = _send(_client(cast, name), expect, world)
        outcome = _api_outcome(response, name)
        if outcome != ("allowed" if name in expect.allowed else "denied"):
            wrong.append(f"{method} {path}: {outcome} ({response.status_code})")
    assert not wrong, f"{name}: " + "; ".join(wrong)
