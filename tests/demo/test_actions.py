"""shinsa.demo.actions.do_load_demo_people: every role, Japanese and English names, loaded once."""

from __future__ import annotations

from django.contrib.auth import authenticate

from shinsa.accounts.models import RoleGrant, User
from shinsa.accounts.roles import Role
from shinsa.audit.models import AuditEvent
from shinsa.demo.actions import do_load_demo_people
from shinsa.demo.people import DEMO_PASSWORD, DEMO_PEOPLE


def test_it_creates_one_person_per_role_who_can_sign_in(db):
    accounts = do_load_demo_people()

    assert {a.person.role for a in accounts} == set(Role)
    assert all(a.created for a in accounts)
    for account in accounts:
        user = authenticate(username=account.person.username, password=DEMO_PASSWORD)
        assert user == account.user and user.role_set() == {account.person.role}
        assert user.display_name == account.person.display_name
    assert {a.user.preferred_language for a in accounts} == {"ja", "en"}
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert AuditEvent.objects.filter(object_id=str(admin.pk)).exists()
    haruka = User.objects.get(username="haruka")
    assert dict(haruka.language_skills.values_list("language", "level")) == {"ja": "N1", "en": "B2"}


def test_it_changes_nothing_the_second_time_and_restores_only_a_missing_role(db):
    do_load_demo_people()
    haruka = User.objects.get(username="haruka")
    haruka.set_password("a different passphrase 7")
    haruka.save()
    RoleGrant.objects.filter(user__username="kenji").delete()
    events = AuditEvent.objects.count()

    accounts = do_load_demo_people()

    assert not any(a.created for a in accounts)
    assert User.objects.count() == len(DEMO_PEOPLE)
    assert authenticate(username="haruka", password="a different passphrase 7") is not None
    assert User.objects.get(username="kenji").role_set() == {Role.SENIOR_REVIEWER}
    assert AuditEvent.objects.count() == events + 1  # the one grant

    do_load_demo_people()
    assert AuditEvent.objects.count() == events + 1
