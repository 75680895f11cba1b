from django.conf import settings
from django.test import Client

from shinsa.accounts.models import User
from shinsa.audit.models import AuditEvent


def test_it_switches_an_anonymous_visitor_by_cookie_alone(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    page = client.get("/login/")
    assert b'<html lang="ja">' in page.content
    assert "ログイン" in page.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_keeps_a_signed_in_persons_choice_on_their_account_and_audits_it(cast, client_for):
    client = client_for(cast.rin)
    response = client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert response["Location"] == "/"
    assert User.objects.get(pk=cast.rin.pk).preferred_language == "ja"
    event = AuditEvent.objects.filter(verb="account.update", object_id=str(cast.rin.pk)).get()
    assert event.actor_id == cast.rin.pk
    assert event.before == {"changed": ["preferred_language"], "preferred_language": "en"}
    assert event.after == {"preferred_language": "ja"}
    assert b'<html lang="ja">' in client.get("/").content


def test_it_records_nothing_when_the_language_does_not_change(cast, client_for):
    client = client_for(cast.rin)
    before = AuditEvent.objects.count()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert AuditEvent.objects.count() == before + 1


def test_it_ignores_a_language_shinsa_does_not_offer(cast, client_for):
    client = client_for(cast.rin)
    before = AuditEvent.objects.count()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.rin.pk).preferred_language == "en"
    assert AuditEvent.objects.count() == before
    assert b'<html lang="en">' in client.get("/").content


def test_it_changes_nothing_on_get(cast, client_for):
    assert client_for(cast.rin).get("/i18n/setlang/?language=ja").status_code == 405
    assert User.objects.get(pk=cast.rin.pk).preferred_language == "en"


def test_it_needs_a_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.rin)
    assert client.post("/i18n/setlang/", {"language": "ja", "next": "/"}).status_code == 403
    assert User.objects.get(pk=cast.rin.pk).preferred_language == "en"


def test_it_refuses_to_redirect_off_site(db):
    response = Client().post("/i18n/setlang/", {"language": "ja", "next": "https://evil.example/"})
    assert response["Location"] == "/"
