"""The TOTP second factor: who must pass it, enrolment with a QR code, verification, the API, reset."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from shinsa.accounts.second_factor import (
    SecondFactorError,
    confirmed_device,
    current_code,
    do_enrol_confirmed_totp,
    do_reset_second_factor,
    user_needs_second_factor,
)
from tests.cast import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor]


def _sign_in(client: Client, username: str, next_path: str = "/catalog/"):
    return client.post(
        f"/login/?next={next_path}", {"username": username, "password": PASSWORD, "next": next_path}
    )


def test_it_asks_seniors_policy_owners_and_admins_but_not_reviewers(cast):
    assert [
        name
        for name in ("rin", "sora", "kai", "mei", "ada", "olive")
        if user_needs_second_factor(getattr(cast, name))
    ] == [
        "sora",
        "ada",
    ]


def test_a_senior_enrols_with_the_qr_code_and_a_real_code(client, cast):
    signed_in = _sign_in(client, "sora")
    assert signed_in.status_code == 302
    page = client.get("/catalog/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/?next=/catalog/")
    assert client.get("/api/v1/titles").status_code == 401  # no API by session before the factor
    enrol = client.get(page["Location"])
    html = enrol.content.decode()
    assert "<svg" in html and 'class="segno"' in html and "<script" not in html.split("<main", 1)[-1]
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    wrong = client.post("/account/two-factor/", {"code": "000000", "next": "/catalog/"})
    assert wrong.status_code == 400 and confirmed_device(cast.sora) is None
    done = client.post("/account/two-factor/", {"code": current_code(secret), "next": "/catalog/"})
    assert done.status_code == 302 and done["Location"] == "/catalog/"
    assert client.get("/catalog/").status_code == 200
    assert client.get("/api/v1/titles").status_code == 200


def test_each_sign_in_needs_a_fresh_code(client, cast):
    device = do_enrol_confirmed_totp(actor="system", user=cast.ada, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    _sign_in(client, "ada", "/admin/")
    page = client.get("/admin/")
    assert page["Location"].startswith("/account/two-factor/verify/?next=/admin/")
    assert (
        client.post("/account/two-factor/verify/", {"code": "12345x", "next": "/admin/"}).status_code == 400
    )
    code = current_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    verified = client.post("/account/two-factor/verify/", {"code": code, "next": "/admin/"})
    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # A code works once: the next session must wait for the next one (the window allows one step ahead).
    other = Client()
    _sign_in(other, "ada", "/admin/")
    device.refresh_from_db()
    assert other.post("/account/two-factor/verify/", {"code": code, "next": "/admin/"}).status_code == 400
    device.throttle_reset()
    later = current_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", at=time.time() + 30)
    assert other.post("/account/two-factor/verify/", {"code": later, "next": "/admin/"}).status_code == 302


def test_reviewers_are_not_asked_and_next_cannot_leave_the_site(client, cast):
    _sign_in(client, "rin")
    assert client.get("/catalog/").status_code == 200
    do_enrol_confirmed_totp(actor="system", user=cast.sora, secret="JBSWY3DPEHPK3PXP")
    other = Client()
    _sign_in(other, "sora")
    answer = other.post(
        "/account/two-factor/verify/",
        {"code": current_code("JBSWY3DPEHPK3PXP"), "next": "https://evil.example/"},
    )
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_an_administrator_resets_a_lost_device(cast):
    do_enrol_confirmed_totp(actor="system", user=cast.sora)
    with pytest.raises(SecondFactorError):
        do_reset_second_factor(actor=cast.ada, user=cast.sora, reason=" ")
    assert do_reset_second_factor(actor=cast.ada, user=cast.sora, reason="lost phone") == 1
    assert confirmed_device(cast.sora) is None
