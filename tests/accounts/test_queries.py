from __future__ import annotations

from shinsa.accounts import actions
from shinsa.accounts.models import User
from shinsa.accounts.queries import (
    skill_profile_for,
    treatment_for,
    users_with_profiles,
    wellness_settings_for,
)
from shinsa.accounts.wellness import Treatment


def test_it_builds_a_skill_profile(cast):
    actions.do_set_policy_areas(actor=cast.ada, user=cast.rin, areas=["hate"])
    actions.do_set_clearance(actor=cast.ada, user=cast.rin, category="violence_gore", level=2)
    actions.do_set_territories(actor=cast.ada, user=cast.rin, territories=["JP"])
    profile = skill_profile_for(cast.rin)
    assert profile.languages == (("en", "C1"), ("ja", "N1"))
    assert profile.policy_areas == frozenset({"hate"})
    assert profile.clearances == (("violence_gore", 2),)
    assert profile.territories == frozenset({"JP"})
    assert profile.meets_language("ja", "N2")


def test_it_lists_accounts_with_profiles_in_a_fixed_number_of_queries(cast, django_assert_num_queries):
    for person in (cast.sora, cast.kai, cast.mei):
        actions.do_set_language_skill(actor=cast.ada, user=person, language="en", level="B2")
        actions.do_set_territories(actor=cast.ada, user=person, territories=["JP", "US"])
    with django_assert_num_queries(6):
        rows = [
            (u.username, skill_profile_for(u), [g.role for g in u.role_grants.all()])
            for u in users_with_profiles()
        ]
    assert [row[0] for row in rows] == ["ada", "kai", "mei", "olive", "rin", "sora"]


def test_it_combines_presets_settings_and_overrides_into_a_treatment(cast):
    assert treatment_for(cast.rin, "sexual") == Treatment(
        blur=True, greyscale=False, mute=True, reveal_steps=2
    )
    actions.do_update_wellness_settings(actor=cast.rin, user=cast.rin, blur=False)
    assert treatment_for(cast.rin, "sexual").blur is False
    actions.do_set_wellness_override(
        actor=cast.rin, user=cast.rin, category="sexual", blur=True, greyscale=True, mute=True
    )
    assert treatment_for(cast.rin, "sexual") == Treatment(
        blur=True, greyscale=True, mute=True, reveal_steps=2
    )
    assert treatment_for(cast.rin, "violence_gore").blur is False


def test_it_gives_default_wellness_settings_to_accounts_without_a_row(db):
    settings = wellness_settings_for(User.objects.create_user(username="legacy"))
    assert settings._state.adding  # defaults, not stored
    assert (settings.blur, settings.daily_exposure_budget_minutes) == (True, 240)
