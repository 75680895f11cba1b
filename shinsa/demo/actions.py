"""The demo's own writes: its people. The catalog is loaded through the catalog's ingest action.

People are created through ``shinsa.accounts.actions`` (accounts, roles, skill profiles, all audited
there) when this build has them; otherwise as plain accounts with role grants, audited here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from django.db import transaction

from shinsa import audit
from shinsa.accounts.models import RoleGrant, User
from shinsa.demo.people import DEMO_PASSWORD, DEMO_PEOPLE, DemoPerson


@dataclass(frozen=True)
class DemoAccount:
    person: DemoPerson
    user: User
    created: bool


def accounts_actions_available() -> bool:
    return importlib.util.find_spec("shinsa.accounts.actions") is not None


@transaction.atomic
def do_load_demo_people(*, actor: str = "demo") -> list[DemoAccount]:
    """Create the demo people that are missing and grant roles they lack. Existing accounts are kept
    as they are (a changed password or skill stays changed), so a second run writes nothing."""
    create, grant = (
        (_create_through_accounts, _grant_through_accounts)
        if accounts_actions_available()
        else (_create_as_rows, _grant_as_row)
    )
    accounts = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        created = user is None
        if user is None:
            user = create(actor, person)
        elif not RoleGrant.objects.filter(user=user, role=person.role).exists():
            grant(actor, user, person)
        accounts.append(DemoAccount(person=person, user=user, created=created))
    return accounts


def _create_through_accounts(actor: str, person: DemoPerson) -> User:
    from shinsa.accounts import actions

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


def _grant_through_accounts(actor: str, user: User, person: DemoPerson) -> None:
    from shinsa.accounts import actions

    actions.do_grant_role(actor=actor, user=user, role=person.role, reason="demo data")


def _create_as_rows(actor: str, person: DemoPerson) -> User:
    user = User.objects.create_user(
        username=person.username,
        password=DEMO_PASSWORD,
        display_name=person.display_name,
        preferred_language=person.preferred_language,
        is_staff=person.superuser,
        is_superuser=person.superuser,
    )
    RoleGrant.objects.create(user=user, role=person.role)
    audit.record(actor=actor, verb="account.create", obj=user, after={"roles": [person.role.value]})
    return user


def _grant_as_row(actor: str, user: User, person: DemoPerson) -> None:
    RoleGrant.objects.create(user=user, role=person.role)
    audit.record(
        actor=actor, verb="role.grant", obj=user, after={"role": person.role.value}, reason="demo data"
    )
