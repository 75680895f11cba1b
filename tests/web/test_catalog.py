"""The catalog pages, over titles ingested through the catalog's real ingest."""

from datetime import date, timedelta

import pytest
from django.test import Client

from tests.web.manifests import film

SRT = "1\n00:00:01,000 --> 00:00:02,500\n出発の朝\n".encode()


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _client(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def two_films(ingest):
    ingest(
        [
            film("hoshi", "星の旅", ja="星の旅", en="Journey of the Stars"),
            film("kaze", "風の街", ja="風の街", en="Town of Wind"),
        ]
    )


def test_it_lists_titles_in_the_readers_language(cast, two_films):
    english = _page(_client(cast.rin, "en"), "/catalog/")
    assert "Journey of the Stars" in english and "Town of Wind" in english
    assert '<div class="secondary" lang="ja">星の旅</div>' in english
    japanese = _page(_client(cast.rin, "ja"), "/catalog/")
    assert '<a href="/catalog/hoshi/">星の旅</a>' in japanese
    assert "Journey of the Stars" not in japanese
    assert "2 件のタイトル" in japanese


def test_it_searches_titles_in_either_language(cast, two_films):
    client = _client(cast.rin, "en")
    found = _page(client, "/catalog/?q=wind")
    assert "Town of Wind" in found and "Journey of the Stars" not in found
    assert "Town of Wind" in _page(client, "/catalog/?q=風の")
    nothing = _page(client, "/catalog/?q=zzzz")
    assert "No titles match." in nothing


def test_it_filters_by_kind(cast, ingest):
    ingest([film("hoshi", "星の旅", en="Journey of the Stars"), {**film("kaze", "風の街"), "kind": "series"}])
    client = _client(cast.rin, "en")
    series = _page(client, "/catalog/?kind=series")
    assert "風の街" in series and "Journey of the Stars" not in series
    assert '<option value="series" selected>Series</option>' in series


def test_it_reports_a_bad_filter_beside_the_field_and_still_lists(cast, two_films):
    html = _page(_client(cast.rin, "en"), "/catalog/?kind=opera&page=x")
    assert 'id="kind-error"' in html and "Select a valid choice" in html
    assert "Journey of the Stars" in html


def test_it_says_how_titles_arrive_when_the_catalog_is_empty(cast):
    html = _page(_client(cast.rin, "en"), "/catalog/")
    assert "The catalog is empty." in html
    assert "<code>shinsa ingest manifest.json</code>" in html


def test_it_pages_through_the_catalog_keeping_the_filters(cast, ingest):
    ingest([film(f"film-{n:03}", f"映画 {n:03}", en=f"Film {n:03}") for n in range(60)])
    client = _client(cast.rin, "en")
    first = _page(client, "/catalog/?q=film")
    assert first.count('<a href="/catalog/film-') == 50
    assert "Page 1 of 2" in first
    assert 'rel="next" href="?q=film&amp;page=2"' in first
    second = _page(client, "/catalog/?q=film&page=2")
    assert second.count('<a href="/catalog/film-') == 10
    assert 'rel="prev" href="?q=film&amp;page=1"' in second
    assert "Film 059" in second
    assert "Page 2 of 2" in _page(client, "/catalog/?q=film&page=40")


@pytest.mark.db_sensitive
def test_it_lists_a_page_in_a_fixed_number_of_queries(cast, ingest, django_assert_max_num_queries):
    series = {**film("saga", "大河"), "kind": "series"}
    seasons = [
        {**film(f"saga-s{n}", f"第{n}期"), "kind": "season", "parent": "saga", "number": n}
        for n in range(1, 4)
    ]
    ingest([series, *seasons, *(film(f"film-{n:03}", f"映画 {n:03}", ja=f"映画 {n:03}") for n in range(60))])
    client = _client(cast.rin, "ja")
    # session, user, role grants, count, page of titles (display titles and parents joined in)
    with django_assert_max_num_queries(5):
        client.get("/catalog/")
    with django_assert_max_num_queries(5):
        client.get("/catalog/?q=映画&kind=film&page=2")


def test_it_refuses_the_outsider_politely(cast, two_films):
    client = _client(cast.olive, "ja")
    for path in ("/catalog/", "/catalog/hoshi/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "このページへのアクセス権がありません" in response.content.decode()


def test_it_shows_the_catalog_link_and_search_only_to_those_who_may_see_it(cast, client_for):
    assert 'href="/catalog/"' in _page(client_for(cast.rin), "/")
    outsider = _page(client_for(cast.olive), "/")
    assert 'href="/catalog/"' not in outsider
    assert "data-catalog-url" not in outsider


@pytest.fixture
def series(ingest):
    today = date.today()
    episode = {
        "id": "hoshi-s1e1",
        "kind": "episode",
        "parent": "hoshi-s1",
        "number": 1,
        "original_title": "出発",
        "original_language": "ja",
        "year": 2024,
        "versions": [
            {
                "label": "original",
                "availability": [
                    {"territory": "JP", "start": str(today - timedelta(days=30)), "end": None},
                    {"territory": "US", "start": str(today + timedelta(days=30)), "end": None},
                    {"territory": "GB", "start": "2020-01-01", "end": "2021-01-01"},
                ],
                "assets": [
                    {"kind": "subtitle", "language": "ja", "name": "main", "path": "subs/e1.ja.srt"},
                    {"kind": "metadata", "language": "en", "title": "Departure", "synopsis": "", "tags": []},
                ],
            },
            {"label": "tv-edit", "assets": []},
        ],
    }
    titles = [
        {**film("hoshi", "星の旅", ja="星の旅", en="Journey of the Stars"), "kind": "series"},
        {**film("hoshi-s1", "星の旅 第1期"), "kind": "season", "parent": "hoshi", "number": 1},
        episode,
    ]
    ingest(titles, files={"subs/e1.ja.srt": SRT})
    episode["versions"][0]["assets"][1]["title"] = "The Departure"  # a changed text: a new asset version
    ingest(titles, files={"subs/e1.ja.srt": SRT})


def test_it_shows_a_titles_versions_availability_and_assets(cast, series):
    html = _page(_client(cast.rin, "en"), "/catalog/hoshi-s1e1/")
    assert '<h1 class="page-title">The Departure</h1>' in html
    assert '<p class="subtitle" lang="ja">出発</p>' in html
    assert "Version “original”" in html and "Version “tv-edit”" in html
    assert html.count('<span class="state state--current">Available</span>') == 1
    assert html.count('<span class="state state--upcoming">Not yet</span>') == 1
    assert html.count('<span class="state state--ended">Ended</span>') == 1
    assert "<code>subs/e1.ja.srt</code>" in html
    assert '<td class="nowrap">v2 <span class="tag">latest</span></td>' in html
    assert '<span lang="en">Departure</span>' in html
    assert "No assets in this version." in html


def test_it_leads_back_through_the_series_and_season(cast, series):
    html = _page(_client(cast.rin, "ja"), "/catalog/hoshi-s1e1/")
    crumbs = html.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert crumbs.index('<a href="/catalog/hoshi/">星の旅</a>') < crumbs.index(
        '<a href="/catalog/hoshi-s1/">星の旅 第1期</a>'
    )
    season = _page(_client(cast.rin, "ja"), "/catalog/hoshi-s1/")
    assert '<a href="/catalog/hoshi-s1e1/">The Departure</a>' in season


@pytest.mark.db_sensitive
def test_it_shows_a_title_in_a_fixed_number_of_queries(cast, series, django_assert_max_num_queries):
    client = _client(cast.rin, "en")
    # session, user, role grants, title, external ids, versions, availability, assets, asset versions,
    # children, ancestors
    with django_assert_max_num_queries(11):
        client.get("/catalog/hoshi-s1e1/")


def test_it_answers_404_for_an_unknown_title(cast, client_for):
    response = client_for(cast.rin).get("/catalog/no-such-title/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
