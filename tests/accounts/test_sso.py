"""Single sign-on over OIDC (django-allauth) against a real local provider the test starts: the
identity is matched to an existing account by verified e-mail, roles never come from the provider."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from shinsa.accounts.actions import do_update_user
from shinsa.accounts.models import RoleGrant, User
from shinsa.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]


def sso_sign_in(client: Client, next_path: str = "/catalog/"):
    """Press the sign-in page's SSO button, let the provider answer, follow it back to Shinsa."""
    start = client.post("/accounts/oidc/sso/login/", {"process": "login", "next": next_path})
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_sign_in_page_offers_sso_beside_the_password(client, idp):
    html = client.get("/login/").content.decode()
    assert 'action="/accounts/oidc/sso/login/"' in html and "Sign in with Example IdP" in html
    assert 'name="password"' in html


def test_a_verified_e_mail_links_the_identity_to_the_existing_account(client, cast, idp):
    do_update_user(actor="system", user=cast.rin, email="rin@example.com")
    idp.identity = {"sub": "idp-rin", "email": "RIN@example.com", "email_verified": True, "groups": ["admin"]}
    roles_before = set(RoleGrant.objects.values_list("user__username", "role"))
    users_before = User.objects.count()

    answer = sso_sign_in(client)
    assert answer.status_code == 302 and answer["Location"] == "/catalog/"
    assert client.get("/catalog/").status_code == 200
    assert int(client.session["_auth_user_id"]) == cast.rin.pk
    link = SocialAccount.objects.get()
    assert (link.user_id, link.uid, link.provider) == (cast.rin.pk, "idp-rin", "sso")
    assert AuditEvent.objects.filter(verb="accounts.sso.linked").count() == 1
    # Never a new account, never a role from the provider's claims.
    assert User.objects.count() == users_before
    assert set(RoleGrant.objects.values_list("user__username", "role")) == roles_before
    assert idp.token_requests == 1

    # The next sign-in follows the link, whatever the provider now says the address is.
    idp.identity = {"sub": "idp-rin", "email": "rin@elsewhere.example", "email_verified": True}
    again = Client()
    assert sso_sign_in(again)["Location"] == "/catalog/"
    assert int(again.session["_auth_user_id"]) == cast.rin.pk
    assert SocialAccount.objects.count() == 1


@pytest.mark.parametrize(
    "identity, says",
    [
        ({"sub": "x1", "email": "rin@example.com", "email_verified": False}, "did not confirm a verified"),
        ({"sub": "x2", "email": "rin@example.com"}, "did not confirm a verified"),
        ({"sub": "x3", "email": "nobody@example.com", "email_verified": True}, "No Shinsa account matches"),
    ],
)
def test_it_refuses_unverified_or_unknown_identities_and_creates_nothing(client, cast, idp, identity, says):
    do_update_user(actor="system", user=cast.rin, email="rin@example.com")
    idp.identity = identity
    users_before = User.objects.count()
    answer = sso_sign_in(client)
    assert answer.status_code == 403 and says in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before and not SocialAccount.objects.exists()


def test_it_refuses_an_id_token_issued_for_another_client(client, cast, idp):
    do_update_user(actor="system", user=cast.rin, email="rin@example.com")
    idp.identity = {"sub": "idp-rin", "email": "rin@example.com", "email_verified": True}
    idp.audience = "another-client"
    answer = sso_sign_in(client)
    assert answer.status_code == 400 and "did not complete" in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in_by_sso(client, cast, idp):
    do_update_user(actor="system", user=cast.kai, email="kai@example.com", is_active=False)
    idp.identity = {"sub": "idp-kai", "email": "kai@example.com", "email_verified": True}
    assert sso_sign_in(client).status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_senior_signed_in_by_sso_still_passes_the_second_factor(client, cast, idp):
    do_update_user(actor="system", user=cast.sora, email="sora@example.com")
    idp.identity = {"sub": "idp-sora", "email": "sora@example.com", "email_verified": True}
    assert sso_sign_in(client)["Location"] == "/catalog/"
    page = client.get("/catalog/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/")
