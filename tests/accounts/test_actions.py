from __future__ import annotations

import threading

import pytest
from django.db import connections

from shinsa.accounts import actions
from shinsa.accounts.errors import AccountError, MissingPermission
from shinsa.accounts.models import (
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    RoleGrant,
    TerritorySkill,
    User,
    WellnessOverride,
    WellnessSettings,
)
from shinsa.accounts.roles import Perm, Role
from shinsa.audit.models import AuditEvent


def _roles(user: User) -> set[str]:
    return set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))


def test_it_creates_an_account_with_roles_wellness_defaults_and_an_audit_event(cast, audit_log):
    log = audit_log()
    nao = actions.do_create_user(
        actor=cast.ada,
        username="nao",
        roles=["reviewer", Role.QA_AUDITOR],
        password="a long enough passphrase",
    )
    assert _roles(nao) == {"reviewer", "qa_auditor"}
    assert nao.check_password("a long enough passphrase")
    settings = WellnessSettings.objects.get(user=nao)
    assert (settings.blur, settings.greyscale, settings.mute, settings.daily_exposure_budget_minutes) == (
        True,
        True,
        True,
        240,
    )
    [event] = log.events()
    assert (event.verb, event.actor, event.object_type, event.object_id) == (
        "account.create",
        cast.ada,
        "accounts.user",
        str(nao.pk),
    )
    assert event.after == {"roles": ["qa_auditor", "reviewer"], "is_staff": False, "can_sign_in": True}


def test_it_creates_an_account_that_cannot_sign_in_without_a_password(db):
    user = actions.do_create_user(actor="system", username="svc")
    assert not user.has_usable_password()


def test_it_reports_every_problem_of_a_new_account_and_stores_nothing(cast):
    with pytest.raises(AccountError) as error:
        actions.do_create_user(actor=cast.ada, username="rin", password="short", email="not-an-email")
    assert any("username" in message for message in error.value.messages)
    assert any("email" in message for message in error.value.messages)
    assert any("too short" in message for message in error.value.messages)
    assert User.objects.filter(username="rin").count() == 1


def test_it_rejects_an_unknown_role(cast):
    with pytest.raises(AccountError, match="Unknown role “moderator”"):
        actions.do_create_user(actor=cast.ada, username="nao", roles=["moderator"])
    assert not User.objects.filter(username="nao").exists()


@pytest.mark.parametrize("person", ["olive", "rin", "mei", "kai"])
def test_it_lets_only_user_managers_change_others(cast, person, audit_log):
    log = audit_log()
    actor = getattr(cast, person)
    attempts = [
        lambda: actions.do_create_user(actor=actor, username="nao"),
        lambda: actions.do_grant_role(actor=actor, user=cast.olive, role=Role.ADMIN),
        lambda: actions.do_revoke_role(actor=actor, user=cast.sora, role=Role.SENIOR_REVIEWER),
        lambda: actions.do_set_language_skill(actor=actor, user=cast.sora, language="ja", level="N1"),
        lambda: actions.do_set_clearance(actor=actor, user=cast.sora, category="violence_gore", level=3),
        lambda: actions.do_set_policy_areas(actor=actor, user=cast.sora, areas=["hate"]),
        lambda: actions.do_set_territories(actor=actor, user=cast.sora, territories=["JP"]),
        lambda: actions.do_update_wellness_settings(actor=actor, user=cast.sora, blur=False),
        lambda: actions.do_update_user(actor=actor, user=cast.sora, is_active=False),
        lambda: actions.do_set_password(actor=actor, user=cast.sora, password="another long passphrase"),
    ]
    for attempt in attempts:
        with pytest.raises(MissingPermission) as denied:
            attempt()
        assert denied.value.perm == Perm.MANAGE_USERS
    assert log.events() == []
    assert _roles(cast.sora) == {"senior_reviewer"}


def test_it_does_not_let_anyone_grant_themselves_a_role(cast):
    with pytest.raises(MissingPermission):
        actions.do_grant_role(actor=cast.olive, user=cast.olive, role=Role.ADMIN)
    assert _roles(cast.olive) == set()


def test_it_refuses_a_deactivated_admin(cast):
    actions.do_create_user(actor="system", username="ann", roles=[Role.ADMIN])
    cast.ada.is_active = False  # as loaded by a session that outlived the deactivation
    with pytest.raises(MissingPermission):
        actions.do_grant_role(actor=cast.ada, user=cast.olive, role=Role.REVIEWER)


def test_it_grants_and_revokes_roles_with_audit_and_a_fresh_permission_answer(cast, audit_log):
    log = audit_log()
    assert not cast.olive.has_shinsa_perm(Perm.REVIEW_ITEMS)
    actions.do_grant_role(actor=cast.ada, user=cast.olive, role="reviewer", reason="onboarding")
    assert cast.olive.has_shinsa_perm(Perm.REVIEW_ITEMS)
    actions.do_revoke_role(actor=cast.ada, user=cast.olive, role=Role.REVIEWER, reason="left the team")
    assert not cast.olive.has_shinsa_perm(Perm.REVIEW_ITEMS)
    events = log.events()
    assert [(e.verb, e.before, e.after, e.reason) for e in events] == [
        ("role.grant", None, {"role": "reviewer"}, "onboarding"),
        ("role.revoke", {"role": "reviewer"}, None, "left the team"),
    ]


def test_it_refuses_to_grant_a_role_twice_or_revoke_one_not_held(cast):
    with pytest.raises(AccountError, match="rin already has the role reviewer"):
        actions.do_grant_role(actor=cast.ada, user=cast.rin, role=Role.REVIEWER)
    with pytest.raises(AccountError, match="rin does not have the role admin"):
        actions.do_revoke_role(actor=cast.ada, user=cast.rin, role=Role.ADMIN)


def test_it_keeps_at_least_one_active_admin(cast):
    with pytest.raises(AccountError, match="ada is the last active admin"):
        actions.do_revoke_role(actor=cast.ada, user=cast.ada, role=Role.ADMIN)
    with pytest.raises(AccountError, match="ada is the last active admin"):
        actions.do_update_user(actor=cast.ada, user=cast.ada, is_active=False)
    actions.do_grant_role(actor=cast.ada, user=cast.mei, role=Role.ADMIN)
    actions.do_revoke_role(actor=cast.mei, user=cast.ada, role=Role.ADMIN)
    assert _roles(cast.ada) == set()


def test_it_sets_replaces_and_removes_language_skills_with_audit(cast, audit_log):
    log = audit_log()
    actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="ja", level="N3")
    actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="ja", level="N2")
    actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="ja", level="N2")  # no change
    actions.do_remove_language_skill(actor=cast.ada, user=cast.sora, language="ja")
    assert not LanguageSkill.objects.filter(user=cast.sora).exists()
    assert [(e.verb, e.before, e.after) for e in log.events()] == [
        ("skill.language_set", {"language": "ja", "level": None}, {"language": "ja", "level": "N3"}),
        ("skill.language_set", {"language": "ja", "level": "N3"}, {"language": "ja", "level": "N2"}),
        ("skill.language_remove", {"language": "ja", "level": "N2"}, None),
    ]


def test_it_rejects_a_level_from_the_wrong_scale_or_an_unknown_language(cast):
    with pytest.raises(AccountError, match="must be a JLPT level"):
        actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="ja", level="C1")
    with pytest.raises(AccountError, match="must be a CEFR level"):
        actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="ko", level="N1")
    with pytest.raises(AccountError, match="unknown language code 'jp'"):
        actions.do_set_language_skill(actor=cast.ada, user=cast.sora, language="jp", level="N1")
    with pytest.raises(AccountError, match="has no recorded skill"):
        actions.do_remove_language_skill(actor=cast.ada, user=cast.sora, language="ko")
    assert not LanguageSkill.objects.filter(user=cast.sora).exists()


def test_it_sets_clearance_per_category_and_removes_it_at_zero(cast, audit_log):
    log = audit_log()
    actions.do_set_clearance(actor=cast.ada, user=cast.rin, category="violence_gore", level=2)
    actions.do_set_clearance(actor=cast.ada, user=cast.rin, category="violence_gore", level=3)
    assert actions.do_set_clearance(actor=cast.ada, user=cast.rin, category="violence_gore", level=0) is None
    assert not GraphicClearance.objects.filter(user=cast.rin).exists()
    assert [(e.before["level"], e.after["level"]) for e in log.events()] == [(0, 2), (2, 3), (3, 0)]
    assert {e.verb for e in log.events()} == {"skill.clearance_set"}


@pytest.mark.parametrize(
    ("category", "level", "message"),
    [
        ("gore", 1, "Unknown graphic-content category “gore”"),
        ("sexual", 4, "from 0 to 3"),
        ("sexual", -1, "from 0 to 3"),
        ("sexual", True, "from 0 to 3"),
    ],
)
def test_it_rejects_an_unknown_category_or_level(cast, category, level, message):
    with pytest.raises(AccountError, match=message):
        actions.do_set_clearance(actor=cast.ada, user=cast.rin, category=category, level=level)


def test_it_replaces_policy_areas_and_territories_as_sets(cast, audit_log):
    log = audit_log()
    assert actions.do_set_policy_areas(actor=cast.ada, user=cast.rin, areas=["hate", "violence"]) == (
        "hate",
        "violence",
    )
    actions.do_set_policy_areas(actor=cast.ada, user=cast.rin, areas=["violence", "self_harm"])
    actions.do_set_policy_areas(actor=cast.ada, user=cast.rin, areas=["self_harm", "violence"])  # same set
    actions.do_set_territories(actor=cast.ada, user=cast.rin, territories=["jp", " KR "])
    assert set(PolicyAreaSkill.objects.filter(user=cast.rin).values_list("area", flat=True)) == {
        "violence",
        "self_harm",
    }
    assert set(TerritorySkill.objects.filter(user=cast.rin).values_list("territory", flat=True)) == {
        "JP",
        "KR",
    }
    assert [(e.verb, e.before, e.after) for e in log.events()] == [
        ("skill.policy_areas_set", {"area": []}, {"area": ["hate", "violence"]}),
        ("skill.policy_areas_set", {"area": ["hate", "violence"]}, {"area": ["self_harm", "violence"]}),
        ("skill.territories_set", {"territory": []}, {"territory": ["JP", "KR"]}),
    ]


def test_it_names_every_unknown_policy_area_or_territory_and_stores_nothing(cast):
    with pytest.raises(AccountError) as error:
        actions.do_set_policy_areas(actor=cast.ada, user=cast.rin, areas=["violence", "gore", "nsfw"])
    assert error.value.messages == ("Unknown policy area “gore”.", "Unknown policy area “nsfw”.")
    with pytest.raises(AccountError, match="Unknown territory “EU”"):
        actions.do_set_territories(actor=cast.ada, user=cast.rin, territories=["JP", "EU"])
    assert not PolicyAreaSkill.objects.filter(user=cast.rin).exists()
    assert not TerritorySkill.objects.filter(user=cast.rin).exists()


def test_it_lets_people_choose_their_own_treatments_and_lower_their_budget(cast, audit_log):
    log = audit_log()
    actions.do_update_wellness_settings(
        actor=cast.rin, user=cast.rin, mute=False, daily_exposure_budget_minutes=180
    )
    actions.do_set_wellness_override(
        actor=cast.rin, user=cast.rin, category="sexual", blur=True, greyscale=True, mute=False
    )
    actions.do_clear_wellness_override(actor=cast.rin, user=cast.rin, category="sexual")
    settings = WellnessSettings.objects.get(user=cast.rin)
    assert (settings.mute, settings.daily_exposure_budget_minutes) == (False, 180)
    assert log.verbs() == ["wellness.update", "wellness.override_set", "wellness.override_clear"]
    assert log.events()[0].before == {"mute": True, "daily_exposure_budget_minutes": 240}


def test_it_needs_a_manager_to_raise_an_exposure_budget(cast):
    with pytest.raises(MissingPermission):
        actions.do_update_wellness_settings(actor=cast.rin, user=cast.rin, daily_exposure_budget_minutes=300)
    actions.do_update_wellness_settings(actor=cast.ada, user=cast.rin, daily_exposure_budget_minutes=300)
    assert WellnessSettings.objects.get(user=cast.rin).daily_exposure_budget_minutes == 300
    with pytest.raises(AccountError, match="from 0 to 480 minutes"):
        actions.do_update_wellness_settings(actor=cast.ada, user=cast.rin, daily_exposure_budget_minutes=600)


def test_it_creates_wellness_settings_for_an_account_made_outside_the_actions(db):
    user = User.objects.create_user(username="legacy")
    actions.do_update_wellness_settings(actor=user, user=user, blur=False)
    assert WellnessSettings.objects.get(user=user).blur is False


def test_it_rejects_overrides_for_unknown_categories_and_clearing_a_missing_one(cast):
    with pytest.raises(AccountError, match="Unknown graphic-content category"):
        actions.do_set_wellness_override(
            actor=cast.rin, user=cast.rin, category="scary", blur=True, greyscale=True, mute=True
        )
    with pytest.raises(AccountError, match="no override"):
        actions.do_clear_wellness_override(actor=cast.rin, user=cast.rin, category="sexual")
    assert not WellnessOverride.objects.exists()


def test_it_lets_people_edit_their_own_profile_but_not_their_access(cast, audit_log):
    log = audit_log()
    actions.do_update_user(actor=cast.rin, user=cast.rin, display_name="Rin Aoki", preferred_language="ja")
    with pytest.raises(MissingPermission):
        actions.do_update_user(actor=cast.rin, user=cast.rin, is_staff=True)
    [event] = log.events()
    # personal data is named, never copied into the audit log
    assert event.before == {"changed": ["display_name", "preferred_language"], "preferred_language": "en"}
    assert event.after == {"preferred_language": "ja"}
    assert "Rin Aoki" not in str(AuditEvent.objects.values_list("before", "after", "reason"))


def test_it_rejects_an_invalid_account_field_and_keeps_the_old_value(cast):
    with pytest.raises(AccountError, match="preferred_language"):
        actions.do_update_user(actor=cast.ada, user=cast.rin, preferred_language="fr")
    cast.rin.refresh_from_db()
    assert cast.rin.preferred_language == "en"


def test_it_sets_and_unsets_passwords_with_audit(cast, audit_log):
    log = audit_log()
    with pytest.raises(AccountError, match="too common"):
        actions.do_set_password(actor=cast.rin, user=cast.rin, password="password123")
    actions.do_set_password(actor=cast.rin, user=cast.rin, password="a brand new passphrase")
    actions.do_set_password(actor=cast.ada, user=cast.rin, password=None)
    cast.rin.refresh_from_db()
    assert not cast.rin.has_usable_password()
    assert [e.after for e in log.events()] == [{"can_sign_in": True}, {"can_sign_in": False}]


def test_it_refuses_an_empty_string_actor(cast):
    with pytest.raises(ValueError, match="string actor"):
        actions.do_grant_role(actor=" ", user=cast.olive, role=Role.REVIEWER)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_admin_when_two_admins_remove_each_other_at_once():
    ann = actions.do_create_user(actor="system", username="ann", roles=[Role.ADMIN])
    ben = actions.do_create_user(actor="system", username="ben", roles=[Role.ADMIN])
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(actor: User, target: User) -> None:
        try:
            start.wait()
            actions.do_revoke_role(actor=actor, user=target, role=Role.ADMIN)
            outcomes.append("revoked")
        except (AccountError, MissingPermission):  # the last admin, or no longer an admin
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=remove, args=pair) for pair in ((ann, ben), (ben, ann))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "revoked"]
    assert RoleGrant.objects.filter(role=Role.ADMIN).count() == 1
