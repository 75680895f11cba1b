"""Two episodes of one season published at the same moment, each in its own connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from shinsa.ratings.actions import (
    do_add_finding,
    do_publish_ratings,
    do_start_assessment,
    do_submit_assessment,
)
from shinsa.ratings.models import PublishedRating
from tests.audit.writes import postgres_only

pytestmark = [pytest.mark.db_sensitive, pytest.mark.django_db(transaction=True), postgres_only]


def test_it_rolls_up_correctly_when_two_episodes_publish_at_once(cast, catalog):
    assessments = []
    for cut, intensity in zip(catalog.episode_cuts, (1, 3), strict=True):
        assessment = do_start_assessment(actor=cast.rin, title_version=cut)
        do_add_finding(actor=cast.rin, assessment=assessment, descriptor="violence", intensity=intensity)
        do_submit_assessment(actor=cast.rin, assessment=assessment)
        assessments.append(assessment)
    start = threading.Barrier(len(assessments))
    errors: list[BaseException] = []

    def publish(assessment) -> None:
        try:
            start.wait()
            do_publish_ratings(actor=cast.rin, assessment=assessment)
        except BaseException as error:  # surfaced after join()
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(item,)) for item in assessments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    season = PublishedRating.objects.get(title=catalog.season, scheme="bbfc", territory="GB")
    series = PublishedRating.objects.get(title=catalog.series, scheme="bbfc", territory="GB")
    assert (season.level, series.level) == ("15", "15")
