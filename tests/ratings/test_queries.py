"""Compliance gaps: missing ratings, missing advice in the territory's language, outdated ratings."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from shinsa.catalog.models import Availability
from shinsa.ratings.models import PublishedRating
from shinsa.ratings.queries import cached_backtest, compliance_gaps, run_backtest
from tests.ratings.conftest import publish_cut


def _gaps(policies, **extra):
    return {
        (gap.title, gap.territory, gap.scheme): (gap.problem, gap.deadline)
        for gap in compliance_gaps(policies, today=timezone.localdate(), **extra)
    }


def test_it_lists_every_scheme_of_an_unrated_available_cut_with_its_deadline(catalog, policies):
    gaps = _gaps(policies)
    assert gaps[("film-1", "JP", "eirin")] == ("missing_rating", date(2025, 4, 1))
    assert gaps[("film-1", "US", "us_tv")][0] == "missing_rating"
    assert gaps[("series-1-s1-e1", "GB", "prime")][0] == "missing_rating"


def test_it_looks_ahead_only_as_far_as_the_horizon(catalog, policies):
    soon = timezone.localdate() + timedelta(days=10)
    Availability.objects.create(title_version=catalog.film_cut, territory="DE", starts_on=soon)
    assert _gaps(policies, horizon_days=30)[("film-1", "DE", "fsk")] == ("missing_rating", soon)
    assert ("film-1", "DE", "fsk") not in _gaps(policies, horizon_days=5)


def test_it_clears_gaps_once_ratings_are_published(cast, catalog, policies):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    assert not [key for key in _gaps(policies) if key[0] == "film-1"]


def test_it_lists_a_rating_without_advice_in_the_territory_s_language(cast, catalog, policies):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    PublishedRating.objects.filter(scheme="eirin").update(advice_ja=[])
    PublishedRating.objects.filter(scheme="bbfc").update(advice_ja=[])
    gaps = _gaps(policies)
    assert gaps[("film-1", "JP", "eirin")][0] == "missing_advice"
    assert ("film-1", "GB", "bbfc") not in gaps  # English is what GB needs


def test_it_lists_a_rating_made_under_an_older_policy_that_would_now_change(cast, catalog, policies):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    # As if published under an older, laxer BBFC file.
    PublishedRating.objects.filter(scheme="bbfc").update(
        level="12", computed_level="12", policy_version="old"
    )
    PublishedRating.objects.filter(scheme="mpa").update(policy_version="old")
    gaps = _gaps(policies, backtest_report=run_backtest(policies))
    assert gaps[("film-1", "GB", "bbfc")][0] == "outdated_rating"
    # Older, but the back-test says it would not change: no gap.
    assert ("film-1", "US", "mpa") not in gaps


def test_it_lists_a_certificate_recorded_without_advice_above_the_lowest_level(cast, catalog, policies):
    from shinsa.ratings.actions import do_record_certificate

    do_record_certificate(
        actor=cast.rin,
        title_version=catalog.film_cut,
        scheme="eirin",
        level="PG12",
        number="E-1",
        issued_on=date(2025, 1, 1),
        medium="film",
        authority="映倫",
    )
    publish_cut(cast.rin, catalog.film_cut, ("violence", 2))
    gaps = _gaps(policies)
    assert gaps[("film-1", "JP", "eirin")][0] == "missing_advice"
    assert ("film-1", "GB", "bbfc") not in gaps


def test_it_takes_a_computed_rating_s_advice_as_complete(cast, catalog, policies):
    # US TV has no advice letter for horror: a computed TV-14 without advice is not a gap.
    publish_cut(cast.rin, catalog.film_cut, ("threat_horror", 3))
    assert ("film-1", "US", "us_tv") not in _gaps(policies)


def test_it_counts_a_rollup_as_the_rating_of_a_season_s_own_cut(cast, catalog, policies):
    from shinsa.catalog.models import TitleVersion

    season_cut = TitleVersion.objects.create(title=catalog.season, label="original")
    Availability.objects.create(title_version=season_cut, territory="GB", starts_on=date(2025, 4, 1))
    assert _gaps(policies)[("series-1-s1", "GB", "bbfc")][0] == "missing_rating"
    publish_cut(cast.rin, catalog.episode_cuts[0], ("violence", 3))
    assert ("series-1-s1", "GB", "bbfc") not in _gaps(policies)


def test_it_remembers_the_back_test_until_a_published_rating_changes(
    cast, catalog, policies, django_assert_num_queries
):
    from django.core.cache import cache

    cache.clear()
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    first = cached_backtest(policies)
    with django_assert_num_queries(3):  # the three aggregates of the stamp, no back-test
        assert cached_backtest(policies) == first
    publish_cut(cast.rin, catalog.episode_cuts[0], ("violence", 1))
    again = cached_backtest(policies)
    assert again != first and again == run_backtest(policies)
