"""The rating workflow's actions: assess, propose, override with four-eyes, publish, roll up."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from shinsa.accounts.errors import MissingPermission
from shinsa.audit.models import AuditEvent
from shinsa.ratings.actions import (
    do_accept_suggestion,
    do_add_finding,
    do_approve_override,
    do_publish_ratings,
    do_record_certificate,
    do_reject_override,
    do_remove_finding,
    do_request_override,
    do_start_assessment,
    do_submit_assessment,
    do_suggest_finding,
)
from shinsa.ratings.errors import RatingWorkflowError
from shinsa.ratings.models import Assessment, Finding, Override, PublishedRating


def _strong_violence(cast, assessment, **extra):
    return do_add_finding(
        actor=cast.rin,
        assessment=assessment,
        descriptor="violence",
        intensity=3,
        start_ms=1000,
        end_ms=5000,
        **extra,
    )


def _levels(assessment):
    return {(p.scheme, p.territory): (p.level, p.source) for p in assessment.proposals.all()}


def test_it_proposes_every_scheme_of_every_available_territory(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    _strong_violence(cast, assessment)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    levels = _levels(assessment)
    assert set(levels) == {
        ("bbfc", "GB"),
        ("prime", "GB"),
        ("eirin", "JP"),
        ("prime", "JP"),
        ("mpa", "US"),
        ("us_tv", "US"),
        ("prime", "US"),
    }
    assert levels[("bbfc", "GB")] == ("15", "computed")
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.policy_version
    proposal = assessment.proposals.get(scheme="bbfc", territory="GB")
    assert proposal.explanation[0]["descriptor"] == "violence"
    assert proposal.advice_en and proposal.advice_ja


def test_it_lets_a_certificate_win_and_maps_the_bucket_from_the_territory_s_own_certificate(cast, catalog):
    do_record_certificate(
        actor=cast.rin,
        title_version=catalog.film_cut,
        scheme="bbfc",
        level="12",
        number="BBFC-1",
        issued_on=date(2025, 1, 2),
        medium="video",
        authority="BBFC",
    )
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    _strong_violence(cast, assessment)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    levels = _levels(assessment)
    assert levels[("bbfc", "GB")] == ("12", "certificate")
    assert levels[("prime", "GB")][1] == "mapping"
    # The British certificate says nothing about the US bucket: computed there.
    assert levels[("prime", "US")][1] == "computed"


def test_it_refuses_a_certificate_level_outside_the_scheme(cast, catalog):
    with pytest.raises(RatingWorkflowError) as refused:
        do_record_certificate(
            actor=cast.rin,
            title_version=catalog.film_cut,
            scheme="bbfc",
            level="PG-13",
            number="x",
            issued_on=date(2025, 1, 2),
            medium="video",
            authority="BBFC",
        )
    assert "PG-13" in refused.value.messages[0]


def test_it_refuses_a_finding_outside_the_vocabulary_and_stores_nothing(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    with pytest.raises(RatingWorkflowError):
        do_add_finding(actor=cast.rin, assessment=assessment, descriptor="violence", intensity=9)
    with pytest.raises(RatingWorkflowError):
        do_add_finding(
            actor=cast.rin, assessment=assessment, descriptor="violence", intensity=2, start_ms=5, end_ms=5
        )
    assert not Finding.objects.exists()


def test_it_allows_one_open_assessment_per_cut(cast, catalog):
    do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    with pytest.raises(RatingWorkflowError):
        do_start_assessment(actor=cast.sora, title_version=catalog.film_cut)


def test_it_lets_only_the_assessor_change_findings(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    with pytest.raises(RatingWorkflowError):
        do_add_finding(actor=cast.sora, assessment=assessment, descriptor="violence", intensity=1)


def test_it_refuses_outsiders(cast, catalog):
    with pytest.raises(MissingPermission):
        do_start_assessment(actor=cast.olive, title_version=catalog.film_cut)


def test_it_returns_a_submitted_assessment_to_draft_when_findings_change(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    finding = _strong_violence(cast, assessment)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    do_remove_finding(actor=cast.rin, finding=finding)
    assessment.refresh_from_db()
    assert assessment.status == "draft" and not assessment.proposals.exists()


def test_it_counts_screening_suggestions_only_once_accepted(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    suggestion = do_suggest_finding(
        actor="screening",
        assessment=assessment,
        signal="profanity-en",
        descriptor="language",
        intensity=3,
        start_ms=10,
        end_ms=20,
    )
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    assert _levels(assessment)[("bbfc", "GB")][0] == "U"
    do_accept_suggestion(actor=cast.rin, finding=suggestion)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    assert _levels(assessment)[("bbfc", "GB")][0] != "U"


def _submitted(cast, catalog):
    assessment = do_start_assessment(actor=cast.rin, title_version=catalog.film_cut)
    _strong_violence(cast, assessment)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    return assessment


def test_it_needs_a_reason_for_an_override(cast, catalog):
    assessment = _submitted(cast, catalog)
    with pytest.raises(RatingWorkflowError):
        do_request_override(
            actor=cast.rin, assessment=assessment, scheme="bbfc", territory="GB", level="18", reason="  "
        )


def test_it_refuses_to_let_the_requester_approve_their_own_override(cast, catalog):
    assessment = _submitted(cast, catalog)
    override = do_request_override(
        actor=cast.sora,
        assessment=assessment,
        scheme="bbfc",
        territory="GB",
        level="18",
        reason="sustained sadistic focus",
    )
    with pytest.raises(RatingWorkflowError):
        do_approve_override(actor=cast.sora, override=override)
    override.refresh_from_db()
    assert override.status == "requested"


def test_it_needs_a_senior_reviewer_to_approve(cast, catalog):
    assessment = _submitted(cast, catalog)
    override = do_request_override(
        actor=cast.rin, assessment=assessment, scheme="bbfc", territory="GB", level="18", reason="r"
    )
    with pytest.raises(MissingPermission):
        do_approve_override(actor=cast.kai, override=override)


@pytest.mark.db_sensitive
def test_it_refuses_a_self_approved_override_in_the_database(cast, catalog):
    assessment = _submitted(cast, catalog)
    override = do_request_override(
        actor=cast.rin, assessment=assessment, scheme="bbfc", territory="GB", level="18", reason="r"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.filter(pk=override.pk).update(
            status="approved", decided_by=cast.rin, decided_at=override.requested_at
        )


def test_it_publishes_an_approved_override_with_its_source(cast, catalog):
    assessment = _submitted(cast, catalog)
    override = do_request_override(
        actor=cast.rin, assessment=assessment, scheme="bbfc", territory="GB", level="18", reason="r"
    )
    with pytest.raises(RatingWorkflowError):
        do_publish_ratings(actor=cast.rin, assessment=assessment)
    do_approve_override(actor=cast.sora, override=override)
    do_publish_ratings(actor=cast.rin, assessment=assessment)
    row = PublishedRating.objects.get(title_version=catalog.film_cut, scheme="bbfc", territory="GB")
    assert (row.level, row.source, row.override_id) == ("18", "override", override.pk)
    assert row.policy_version
    assert Assessment.objects.get(pk=assessment.pk).status == "approved"
    assert AuditEvent.objects.filter(verb="ratings.override.approved").count() == 1
    assert AuditEvent.objects.filter(verb="ratings.published").count() == 1


def test_it_keeps_the_computed_level_when_an_override_is_rejected(cast, catalog):
    assessment = _submitted(cast, catalog)
    override = do_request_override(
        actor=cast.rin, assessment=assessment, scheme="bbfc", territory="GB", level="18", reason="r"
    )
    do_reject_override(actor=cast.sora, override=override, reason="15 fits the guideline")
    do_publish_ratings(actor=cast.rin, assessment=assessment)
    row = PublishedRating.objects.get(title_version=catalog.film_cut, scheme="bbfc", territory="GB")
    assert (row.level, row.source) == ("15", "computed")


def _publish_episode(cast, cut, descriptor, intensity):
    assessment = do_start_assessment(actor=cast.rin, title_version=cut)
    do_add_finding(actor=cast.rin, assessment=assessment, descriptor=descriptor, intensity=intensity)
    do_submit_assessment(actor=cast.rin, assessment=assessment)
    do_publish_ratings(actor=cast.rin, assessment=assessment)


def test_it_rolls_episode_ratings_up_to_season_and_series_as_the_most_restrictive(cast, catalog):
    _publish_episode(cast, catalog.episode_cuts[0], "violence", 1)
    _publish_episode(cast, catalog.episode_cuts[1], "violence", 3)
    season = PublishedRating.objects.get(title=catalog.season, scheme="bbfc", territory="GB")
    series = PublishedRating.objects.get(title=catalog.series, scheme="bbfc", territory="GB")
    assert (season.level, season.source, season.title_version) == ("15", "rollup", None)
    assert series.level == "15"
    assert season.explanation == [{"title": "series-1-s1-e2", "level": "15"}]
