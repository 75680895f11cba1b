"""The asset page and its progress JSON: timeline, hits, marked cues, stages, media blurred by default."""

from __future__ import annotations

import pytest
from django.test import Client

from shinsa.accounts.roles import Role
from shinsa.screening.enqueue import enqueue_screening
from shinsa.screening.stages import run_screening
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.web.page_checks import check_page

pytestmark = pytest.mark.media


def _client(*roles: Role, language: str = "en") -> Client:
    person = make_person("pat", *roles)
    client = Client(headers={"accept-language": language})
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_the_subtitle_page_marks_the_terms_in_the_cues_and_lists_hits(media_root, catalog):  # noqa: F811
    run_screening(catalog.subtitle.pk)
    response = _client(Role.REVIEWER).get(f"/screening/asset-versions/{catalog.subtitle.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert check_page(html, language="en") == []
    assert "<mark>kill you</mark>" in html and "<mark>fuck</mark>" in html
    assert 'class="lane lane--text_lexicon"' in html and 'class="lane lane--cues"' in html
    assert html.count('data-stage="') == 2  # text, review
    assert 'data-live="0"' in html


def test_the_video_page_shows_cuts_stages_and_blurred_media(media_root, catalog):  # noqa: F811
    run_screening(catalog.video.pk)
    html = (
        _client(Role.REVIEWER, language="ja")
        .get(f"/screening/asset-versions/{catalog.video.pk}/")
        .content.decode()
    )
    assert check_page(html, language="ja") == []
    assert 'class="lane lane--scene_cuts"' in html and html.count('class="mark"') == 2
    assert f'src="/media/{catalog.video.pk}/play"' in html
    assert f'poster="/media/{catalog.video.pk}/poster"' in html
    assert 'class="screening-media is-blurred"' in html
    assert '<h1 class="page-title">スクリーニング</h1>' in html
    assert 'data-stage="banks"' in html
    assert "バンクとの一致はありません。" in html  # the banks app is installed; no bank matched


def test_progress_json_follows_a_queued_run(media_root, catalog):  # noqa: F811
    client = _client(Role.REVIEWER)
    url = f"/screening/asset-versions/{catalog.metadata.pk}/progress"
    assert client.get(url).json() == {"status": None, "live": False, "stages": [], "hits": 0, "error": ""}
    enqueue_screening(actor="system", asset_version_id=catalog.metadata.pk)
    queued = client.get(url)
    assert queued.json()["status"] == "queued" and queued.json()["live"] is True
    assert queued["Cache-Control"] == "no-store"
    page = client.get(f"/screening/asset-versions/{catalog.metadata.pk}/").content.decode()
    assert 'data-live="1"' in page and 'data-screening-progress="' + url + '"' in page
    run_screening(catalog.metadata.pk)
    done = client.get(url).json()
    assert done["status"] == "done" and done["hits"] == 1
    assert [(s["name"], s["status"], s["progress"]) for s in done["stages"]] == [
        ("text", "done", 1.0),
        ("review", "done", 1.0),
    ]


def test_unknown_asset_versions_are_404_and_the_title_page_links_here(media_root, catalog):  # noqa: F811
    client = _client(Role.REVIEWER)
    assert client.get("/screening/asset-versions/999999/").status_code == 404
    assert client.get("/screening/asset-versions/999999/progress").status_code == 404
    title = client.get(f"/catalog/{catalog.title.external_id}/").content.decode()
    assert f'href="/screening/asset-versions/{catalog.video.pk}/"' in title
