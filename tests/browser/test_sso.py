"""Single sign-on in a real browser against the local OIDC provider: the sign-in page's button, the
provider's redirect back, and the console — with the strict CSP of production (form-action included)."""

from __future__ import annotations

import re

import pytest

from shinsa.accounts.actions import do_update_user
from shinsa.accounts.roles import Role
from tests.cast import make_person

pytestmark = [pytest.mark.browser, pytest.mark.second_factor, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_signs_in_through_the_identity_provider(page, idp):
    from playwright.sync_api import expect

    rin = make_person("rin", Role.REVIEWER)
    do_update_user(actor="system", user=rin, email="rin@example.com")
    idp.identity = {"sub": "idp-rin", "email": "rin@example.com", "email_verified": True}
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
    )

    page.goto("/login/?next=/catalog/")
    page.get_by_role("button", name="Sign in with Example IdP").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/catalog/$"))
    expect(page.locator("body")).to_contain_text("Rin")
    assert idp.token_requests == 1 and not blocked
