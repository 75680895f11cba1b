"""Database constraints of the catalog (run again on PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from shinsa.catalog.models import Asset, AssetVersion, Availability, ExternalId, Title, TitleVersion

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]
SHA = "a" * 64


def refused(**create) -> bool:
    model, values = create.pop("model"), create
    try:
        with transaction.atomic():
            model.objects.create(**values)
    except IntegrityError:
        return True
    return False


@pytest.fixture
def series() -> Title:
    return Title.objects.create(external_id="s", kind="series", original_title="S", original_language="ja")


def test_it_ties_parent_and_number_to_the_kind(series):
    assert refused(
        model=Title, external_id="f", kind="film", parent=series, original_title="F", original_language="en"
    )
    assert refused(
        model=Title, external_id="e", kind="episode", original_title="E", original_language="ja", number=1
    )
    assert refused(
        model=Title,
        external_id="e",
        kind="episode",
        parent=series,
        original_title="E",
        original_language="ja",
    )
    assert refused(model=Title, external_id="x", kind="movie", original_title="X", original_language="en")
    assert not refused(
        model=Title,
        external_id="e",
        kind="episode",
        parent=series,
        number=1,
        original_title="E",
        original_language="ja",
    )


def test_it_keeps_numbers_unique_under_a_parent_and_years_plausible(series):
    Title.objects.create(
        external_id="s1", kind="season", parent=series, number=1, original_title="S1", original_language="ja"
    )
    assert refused(
        model=Title,
        external_id="s1b",
        kind="season",
        parent=series,
        number=1,
        original_title="B",
        original_language="ja",
    )
    assert not refused(
        model=Title,
        external_id="e1",
        kind="episode",
        parent=series,
        number=1,
        original_title="E",
        original_language="ja",
    )
    assert refused(
        model=Title, external_id="old", kind="film", original_title="O", original_language="en", year=1500
    )
    assert refused(model=Title, external_id="blank", kind="film", original_title="", original_language="en")


def test_it_keeps_external_ids_unique(series):
    other = Title.objects.create(external_id="f", kind="film", original_title="F", original_language="en")
    ExternalId.objects.create(title=series, namespace="imdb", value="tt1")
    assert refused(model=ExternalId, title=other, namespace="imdb", value="tt1")
    assert refused(model=ExternalId, title=series, namespace="imdb", value="tt2")


def test_it_refuses_windows_that_end_before_they_start(series):
    version = TitleVersion.objects.create(title=series, label="v")
    assert refused(
        model=Availability,
        title_version=version,
        territory="JP",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 1, 1),
    )
    assert refused(model=Availability, title_version=version, territory="jp", starts_on=date(2026, 2, 1))
    assert not refused(
        model=Availability, title_version=version, territory="JP", starts_on=date(2026, 1, 1), ends_on=None
    )


def test_it_needs_a_language_for_text_assets_and_unique_asset_versions(series):
    version = TitleVersion.objects.create(title=series, label="v")
    assert refused(model=Asset, title_version=version, kind="subtitle", language="", name="main")
    assert refused(model=Asset, title_version=version, kind="metadata", language="", name="main")
    asset = Asset.objects.create(title_version=version, kind="video", name="main")
    assert refused(model=TitleVersion, title=series, label="v")
    AssetVersion.objects.create(asset=asset, number=1, sha256=SHA, size_bytes=1, file="assets/x.mp4")
    assert refused(model=AssetVersion, asset=asset, number=1, sha256=SHA, size_bytes=1, file="assets/x.mp4")
    assert refused(
        model=AssetVersion, asset=asset, number=2, sha256="nothex", size_bytes=1, file="assets/x.mp4"
    )
    assert refused(model=AssetVersion, asset=asset, number=2, sha256=SHA, size_bytes=1, file="")
    assert refused(
        model=AssetVersion, asset=asset, number=2, sha256=SHA, size_bytes=1, file="a", metadata={"title": "x"}
    )
    assert refused(model=AssetVersion, asset=asset, number=0, sha256=SHA, size_bytes=1, file="assets/x.mp4")
