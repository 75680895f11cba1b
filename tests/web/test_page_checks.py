"""Every page of the console passes the same checks, in both languages, for every person."""

import pytest
from django.test import Client

from tests.web.manifests import film
from tests.web.page_checks import check_page

PEOPLE = ["rin", "sora", "kai", "mei", "ada", "olive"]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("person", PEOPLE)
def test_it_passes_the_page_checks_on_home(cast, person, language):
    client = Client(headers={"accept-language": language})
    client.force_login(getattr(cast, person))
    assert check_page(client.get("/").content.decode(), language=language) == []


@pytest.mark.parametrize("language", ["en", "ja"])
def test_it_passes_the_page_checks_on_sign_in_and_errors(cast, language):
    client = Client(headers={"accept-language": language})
    assert check_page(client.get("/login/").content.decode(), language=language) == []
    failed = client.post("/login/", {"username": "rin", "password": "wrong"})
    assert check_page(failed.content.decode(), language=language) == []
    client.force_login(cast.rin)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert check_page(missing.content.decode(), language=language) == []


def test_it_catches_what_a_strict_csp_would_block():
    html = (
        '<html lang="en"><body><a href="#main">skip</a><header></header><main>'
        '<script>alert(1)</script><p style="color:red" onclick="x()">hi</p>'
        '<form method="post"><input name="q" id="q"></form></main></body></html>'
    )
    assert check_page(html, language="en") == [
        "inline <script>",
        "inline style on <p>",
        "inline event handler onclick on <p>",
        "a POST form without a CSRF token",
        "<input name='q'> has no label",
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_it_passes_the_page_checks_on_the_catalog(cast, ingest, language):
    ingest([film("hoshi", "星の旅", ja="星の旅", en="Journey of the Stars")])
    client = Client(headers={"accept-language": language})
    client.force_login(cast.rin)
    for path in ("/catalog/", "/catalog/?q=zzz&kind=opera", "/catalog/hoshi/"):
        assert check_page(client.get(path).content.decode(), language=language) == [], path
    client.force_login(cast.olive)
    refused = client.get("/catalog/")
    assert refused.status_code == 403
    assert check_page(refused.content.decode(), language=language) == []
