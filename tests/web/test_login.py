from django.conf import settings
from django.test import Client

from shinsa.accounts.actions import do_update_user
from tests.cast import PASSWORD


def test_it_shows_the_sign_in_form_with_a_csrf_token(db):
    response = Client(enforce_csrf_checks=True).get("/login/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert b'autocomplete="current-password"' in response.content


def test_it_signs_in_and_goes_home(cast):
    client = Client()
    response = client.post("/login/", {"username": "rin", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_refuses_a_wrong_password_with_one_clear_message(cast):
    client = Client()
    response = client.post("/login/", {"username": "rin", "password": "not the password"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert b"Please enter a correct username and password" in response.content
    assert client.get("/").status_code == 302


def test_it_follows_next_on_the_same_site_only(cast):
    on_site = Client().post("/login/?next=/healthz", {"username": "rin", "password": PASSWORD})
    assert on_site["Location"] == "/healthz"
    offsite = Client().post(
        "/login/", {"username": "rin", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert offsite["Location"] == "/"


def test_it_opens_the_console_in_the_preferred_language_after_sign_in(cast):
    do_update_user(actor=cast.rin, user=cast.rin, preferred_language="ja")
    client = Client(headers={"accept-language": "en"})
    response = client.post("/login/", {"username": "rin", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    home = client.get("/")
    assert b'<html lang="ja">' in home.content
    assert "ようこそ" in home.content.decode()


def test_it_sends_a_signed_in_person_on_from_the_sign_in_page(cast, client_for):
    assert client_for(cast.rin).get("/login/")["Location"] == "/"


def test_it_signs_out_on_post_and_not_on_get(cast, client_for):
    client = client_for(cast.rin)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")
