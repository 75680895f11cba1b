"""Catalog reads: display titles in the user's language, search, filters, pages, detail."""

from __future__ import annotations

import pytest

from shinsa.catalog.ingest import ingest_manifest_file
from shinsa.catalog.queries import list_titles, title_detail
from tests.catalog.manifests import EXAMPLES, film, metadata, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def catalog():
    ingest_manifest_file(actor="system", path=EXAMPLES / "manifest.json")


def display(language: str, **filters) -> dict[str, str]:
    return {row.external_id: row.display_title for row in list_titles(language=language, **filters).items}


def test_it_shows_titles_in_the_users_language_then_the_other_then_the_original(catalog):
    english = display("en")
    japanese = display("ja")
    assert english["hoshi-no-tabi"] == "Journey of the Stars" and japanese["hoshi-no-tabi"] == "星の旅"
    assert japanese["kaze-no-machi"] == "風の街（テレビ版）"  # ja metadata of its tv-edit version
    assert japanese["hoshi-no-tabi-s1e1"] == "Departure"  # no ja metadata: the English one
    assert english["hoshi-no-tabi-s1e2"] == "嵐の前"  # no metadata at all: the original title


def test_it_takes_the_newest_metadata_version(tmp_path):
    path = write_json(tmp_path, [film(versions=[{"label": "v", "assets": [metadata(title="First")]}])])
    ingest_manifest_file(actor="system", path=path)
    write_json(tmp_path, [film(versions=[{"label": "v", "assets": [metadata(title="Second")]}])])
    ingest_manifest_file(actor="system", path=path)
    assert display("en") == {"film-1": "Second"}


def test_it_searches_ids_original_and_metadata_titles_and_filters_by_kind(catalog):
    assert set(display("en", search="wind")) == {"kaze-no-machi"}
    assert set(display("en", search="嵐")) == {"hoshi-no-tabi-s1e2"}
    assert set(display("en", search="S1E")) == {"hoshi-no-tabi-s1e1", "hoshi-no-tabi-s1e2"}
    assert set(display("ja", kind="season")) == {"hoshi-no-tabi-s1"}


def test_it_pages(catalog):
    first = list_titles(language="en", page=1, page_size=2)
    last = list_titles(language="en", page=3, page_size=2)
    assert (first.total, first.pages, len(first.items), len(last.items)) == (5, 3, 2, 1)
    assert list_titles(language="en", page=9, page_size=2).items == []


def test_it_reads_a_title_with_everything_in_a_fixed_number_of_queries(catalog, django_assert_num_queries):
    with django_assert_num_queries(7):
        detail = title_detail(external_id="kaze-no-machi", language="en")
    assert detail.title.display_title == "City of Wind"
    assert detail.external_ids == {"eidr": "10.5240/0000-0000-0000-0000-0000-X", "imdb": "tt0000002"}
    assert [v.label for v in detail.versions] == ["theatrical", "tv-edit"]
    theatrical = detail.versions[0]
    assert [(w.territory, w.end) for w in theatrical.availability] == [("JP", None)]
    assert [(a.kind, len(a.versions)) for a in theatrical.assets] == [
        ("artwork", 1),
        ("metadata", 1),
        ("video", 1),
    ]
    series = title_detail(external_id="hoshi-no-tabi", language="ja")
    assert [c.external_id for c in series.children] == ["hoshi-no-tabi-s1"]
    assert title_detail(external_id="nope", language="en") is None
