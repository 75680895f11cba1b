"""Only sign-in, the health check and the language switch are open to anonymous visitors."""

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from shinsa.web import urls as web_urls

PUBLIC = {"login", "healthz", "logout", "metrics"}  # metrics: by address or token (test_metrics.py)


def _example_kwargs(pattern: URLPattern) -> dict[str, object]:
    return {name: 1 for name in pattern.pattern.converters}


@pytest.mark.parametrize(
    "pattern",
    [p for p in web_urls.urlpatterns if p.name not in PUBLIC],
    ids=lambda p: p.name,
)
def test_it_sends_anonymous_visitors_to_sign_in(db, pattern):
    path = reverse(f"web:{pattern.name}", kwargs=_example_kwargs(pattern))
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_it_leaves_sign_in_health_and_language_open(db):
    client = Client()
    assert client.get("/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "ja", "next": "/login/"}).status_code == 302


def test_it_brands_the_django_admin(cast, client_for):
    assert b"Shinsa \xe5\xaf\xa9\xe6\x9f\xbb admin" in Client().get("/admin/login/").content
    response = client_for(cast.ada).get("/admin/")
    assert response.status_code == 200
    assert "Shinsa 審査 admin" in response.content.decode()


def test_it_keeps_people_without_staff_status_out_of_the_admin(cast, client_for):
    assert client_for(cast.mei).get("/admin/").status_code == 302
