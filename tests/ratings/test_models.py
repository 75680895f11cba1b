"""The database refuses what the workflow must never store, whoever writes it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shinsa.ratings.models import Assessment, Finding, Override, PublishedRating

pytestmark = pytest.mark.db_sensitive


def _refused(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_it_refuses_a_finding_that_ends_before_it_starts(cast, catalog):
    assessment = Assessment.objects.create(title_version=catalog.film_cut, assessor=cast.rin)
    _refused(
        lambda: Finding.objects.create(
            assessment=assessment, descriptor="violence", intensity=1, start_ms=5, end_ms=5
        )
    )
    _refused(lambda: Finding.objects.create(assessment=assessment, descriptor="violence", intensity=5))
    Finding.objects.create(assessment=assessment, descriptor="violence", intensity=1, start_ms=5, end_ms=6)


def test_it_refuses_a_second_open_assessment_of_a_cut(cast, catalog):
    Assessment.objects.create(title_version=catalog.film_cut, assessor=cast.rin)
    _refused(lambda: Assessment.objects.create(title_version=catalog.film_cut, assessor=cast.sora))


def test_it_refuses_an_override_without_a_reason_or_with_half_a_decision(cast, catalog):
    assessment = Assessment.objects.create(
        title_version=catalog.film_cut, assessor=cast.rin, status="submitted", policy_version="v"
    )
    fields = {
        "assessment": assessment,
        "scheme": "bbfc",
        "territory": "GB",
        "level": "18",
        "requested_by": cast.rin,
    }
    _refused(lambda: Override.objects.create(**fields, reason=""))
    _refused(lambda: Override.objects.create(**fields, reason="r", status="approved"))
    _refused(lambda: Override.objects.create(**fields, reason="r", decided_by=cast.rin, status="approved"))


def test_it_refuses_a_rollup_tied_to_a_cut(cast, catalog):
    _refused(
        lambda: PublishedRating.objects.create(
            title=catalog.season,
            title_version=catalog.episode_cuts[0],
            scheme="bbfc",
            territory="GB",
            level="15",
            computed_level="15",
            source="rollup",
            policy_version="v",
            published_by=cast.rin,
        )
    )
