"""The demo's own writes: its people. The catalog is loaded through the catalog's ingest action.

People are created through ``shinsa.accounts.actions`` (accounts, roles, skill profiles, all audited
there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from shinsa.accounts import actions
from shinsa.accounts.models import RoleGrant, User
from shinsa.accounts.second_factor import confirmed_device, do_enrol_confirmed_totp, user_needs_second_factor
from shinsa.demo.people import DEMO_PASSWORD, DEMO_PEOPLE, DemoPerson, demo_totp_secret


@dataclass(frozen=True)
class DemoAccount:
    person: DemoPerson
    user: User
    created: bool
    totp_secret: str | None = None  # base32, for people whose role needs a second factor


@transaction.atomic
def do_load_demo_people(*, actor: str = "demo") -> list[DemoAccount]:
    """Create the demo people that are missing and grant roles they lack. Existing accounts are kept
    as they are (a changed password or skill stays changed), so a second run writes nothing."""
    accounts = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        created = user is None
        if user is None:
            user = _create_person(actor, person)
        elif not RoleGrant.objects.filter(user=user, role=person.role).exists():
            actions.do_grant_role(actor=actor, user=user, role=person.role, reason="demo data")
        secret = None
        if user_needs_second_factor(user):
            secret = demo_totp_secret(person.username)
            if confirmed_device(user) is None:
                do_enrol_confirmed_totp(actor=actor, user=user, secret=secret)
        accounts.append(DemoAccount(person=person, user=user, created=created, totp_secret=secret))
    return accounts


def _create_person(actor: str, person: DemoPerson) -> User:
    user = actions.do_create_user(
        actor=actor,
        username=person.username,
        roles=[person.role],
        password=DEMO_PASSWORD,
        display_name=person.display_name,
        preferred_language=person.preferred_language,
        is_staff=person.superuser,
    )
    if person.superuser:
        actions.do_update_user(actor=actor, user=user, is_superuser=True)
    for language, level in person.languages:
        actions.do_set_language_skill(actor=actor, user=user, language=language, level=level)
    if person.territories:
        actions.do_set_territories(actor=actor, user=user, territories=person.territories)
    return user
