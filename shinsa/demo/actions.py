"""The demo's own writes: its people. The catalog is loaded through the catalog's ingest action."""

from __future__ import annotations

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


@transaction.atomic
def do_load_demo_people(*, actor: str = "demo") -> list[DemoAccount]:
    """Create the demo people that are missing and grant roles they lack; existing accounts are kept
    as they are (a changed password stays changed), so a second run writes nothing."""
    accounts = []
    for person in DEMO_PEOPLE:
        user = User.objects.filter(username=person.username).first()
        created = user is None
        if user is None:
            user = User.objects.create_user(
                username=person.username,
                password=DEMO_PASSWORD,
                display_name=person.display_name,
                first_name=person.first_name,
                last_name=person.last_name,
                preferred_language=person.preferred_language,
                is_staff=person.superuser,
                is_superuser=person.superuser,
            )
            audit.record(actor=actor, verb="user.created", obj=user, after={"demo": True}, reason="demo data")
        if not RoleGrant.objects.filter(user=user, role=person.role).exists():
            RoleGrant.objects.create(user=user, role=person.role)
            audit.record(actor=actor, verb="role.granted", obj=user, after={"role": person.role.value})
        accounts.append(DemoAccount(person=person, user=user, created=created))
    return accounts
