"""The admin site changes accounts only through the audited actions."""

from __future__ import annotations

from shinsa.accounts import actions
from shinsa.accounts.models import LanguageSkill, PolicyAreaSkill, RoleGrant, User, WellnessSettings
from shinsa.accounts.roles import Role
from tests.cast import PASSWORD

INLINE_PREFIXES = {
    "role_grants": RoleGrant,
    "language_skills": LanguageSkill,
    "policy_area_skills": PolicyAreaSkill,
    "clearances": None,
    "territory_skills": None,
    "wellness": WellnessSettings,
    "wellness_overrides": None,
}


def _change_form_data(client, user: User) -> dict[str, str]:
    """The change form as the browser would post it unchanged."""
    response = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    data: dict[str, str] = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if name == "password":
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = str(management.initial[name])
        for sub_form in formset.initial_forms:
            for name, field in sub_form.fields.items():
                value = sub_form.initial.get(name, field.initial)
                key = f"{sub_form.prefix}-{name}"
                if name == "id" or name == "user":
                    value = getattr(sub_form.instance, "pk" if name == "id" else "user_id")
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif value is not None:
                    data[key] = str(value)
    return data


def test_it_shows_accounts_only_to_user_managers(cast, client):
    actions.do_update_user(actor=cast.ada, user=cast.mei, is_staff=True)
    client.login(username="mei", password=PASSWORD)
    assert client.get("/admin/accounts/user/").status_code == 403
    client.login(username="olive", password=PASSWORD)
    assert client.get("/admin/accounts/user/").status_code == 302  # not staff: to the admin login
    client.login(username="ada", password=PASSWORD)
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    assert b"senior_reviewer" in page.content


def test_it_creates_an_account_through_the_action(cast, client, audit_log):
    log = audit_log()
    client.login(username="ada", password=PASSWORD)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "nao",
            "usable_password": "true",
            "password1": "a long enough phrase",
            "password2": "a long enough phrase",
        },
    )
    nao = User.objects.get(username="nao")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/accounts/user/{nao.pk}/change/"
    assert nao.check_password("a long enough phrase")
    assert WellnessSettings.objects.filter(user=nao).exists()
    assert log.verbs() == ["account.create"]
    assert log.events()[0].actor == cast.ada


def test_it_saves_inline_roles_and_skills_through_audited_actions(cast, client, audit_log):
    client.login(username="ada", password=PASSWORD)
    data = _change_form_data(client, cast.rin)
    log = audit_log()
    data["display_name"] = "Rin A."
    data["role_grants-TOTAL_FORMS"] = "2"
    data["role_grants-1-role"] = Role.QA_AUDITOR.value
    data["language_skills-0-level"] = "N2"  # ja N1 → N2 (en C1 is the second row)
    assert data["language_skills-0-language"] == "ja"
    data["language_skills-1-DELETE"] = "on"
    data["policy_area_skills-TOTAL_FORMS"] = "2"
    data["policy_area_skills-0-area"] = "hate"
    data["policy_area_skills-1-area"] = "violence"
    data["wellness-0-daily_exposure_budget_minutes"] = "120"
    response = client.post(f"/admin/accounts/user/{cast.rin.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert set(RoleGrant.objects.filter(user=cast.rin).values_list("role", flat=True)) == {
        "reviewer",
        "qa_auditor",
    }
    assert list(LanguageSkill.objects.filter(user=cast.rin).values_list("language", "level")) == [
        ("ja", "N2")
    ]
    assert set(PolicyAreaSkill.objects.filter(user=cast.rin).values_list("area", flat=True)) == {
        "hate",
        "violence",
    }
    assert WellnessSettings.objects.get(user=cast.rin).daily_exposure_budget_minutes == 120
    assert sorted(log.verbs()) == [
        "account.update",
        "role.grant",
        "skill.language_remove",
        "skill.language_set",
        "skill.policy_areas_set",
        "wellness.update",
    ]
    assert {event.actor for event in log.events()} == {cast.ada}


def test_it_rolls_back_and_explains_a_refused_change(cast, client, audit_log):
    client.login(username="ada", password=PASSWORD)
    data = _change_form_data(client, cast.ada)
    log = audit_log()
    data["display_name"] = "Ada the last admin"
    data["role_grants-0-DELETE"] = "on"
    response = client.post(f"/admin/accounts/user/{cast.ada.pk}/change/", data, follow=True)
    assert "Ada is the last active admin" in response.content.decode()  # the admin capitalises messages
    cast.ada.refresh_from_db()
    assert cast.ada.display_name == "Ada"
    assert RoleGrant.objects.filter(user=cast.ada, role=Role.ADMIN).exists()
    assert log.events() == []


def test_it_rejects_a_language_level_from_the_wrong_scale_in_the_form(cast, client):
    client.login(username="ada", password=PASSWORD)
    data = _change_form_data(client, cast.rin)
    data["language_skills-0-level"] = "C2"  # for Japanese
    response = client.post(f"/admin/accounts/user/{cast.rin.pk}/change/", data)
    assert response.status_code == 200
    assert "JLPT level" in response.content.decode()
    assert LanguageSkill.objects.get(user=cast.rin, language="ja").level == "N1"


def test_it_audits_a_password_set_in_the_admin(cast, client, audit_log):
    client.login(username="ada", password=PASSWORD)
    log = audit_log()
    response = client.post(
        f"/admin/accounts/user/{cast.rin.pk}/password/",
        {
            "set_usable_password": "true",
            "password1": "a fresh long phrase",
            "password2": "a fresh long phrase",
        },
    )
    assert response.status_code == 302
    cast.rin.refresh_from_db()
    assert cast.rin.check_password("a fresh long phrase")
    assert [(e.verb, e.after) for e in log.events()] == [("account.password_set", {"can_sign_in": True})]
