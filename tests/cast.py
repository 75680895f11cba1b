"""The shared cast of people, created through the real account actions.

- rin: reviewer (Japanese N1, English C1)
- sora: senior reviewer
- kai: QA auditor
- mei: ops manager
- ada: admin (also a Django superuser, for the admin site)
- olive: an outsider — a valid account with no role at all
"""

from __future__ import annotations

from dataclasses import dataclass

from shinsa.accounts.actions import do_create_user, do_set_language_skill, do_update_user
from shinsa.accounts.models import User
from shinsa.accounts.roles import Role

PASSWORD = "correct horse battery staple"
CAST_ACTOR = "system"


@dataclass(frozen=True)
class Cast:
    rin: User
    sora: User
    kai: User
    mei: User
    ada: User
    olive: User


def make_person(username: str, *roles: Role, superuser: bool = False) -> User:
    user = do_create_user(
        actor=CAST_ACTOR, username=username, roles=roles, password=PASSWORD, display_name=username.title()
    )
    if superuser:
        do_update_user(actor=CAST_ACTOR, user=user, is_staff=True, is_superuser=True)
    return user


def make_cast() -> Cast:
    rin = make_person("rin", Role.REVIEWER)
    do_set_language_skill(actor=CAST_ACTOR, user=rin, language="ja", level="N1")
    do_set_language_skill(actor=CAST_ACTOR, user=rin, language="en", level="C1")
    return Cast(
        rin=rin,
        sora=make_person("sora", Role.SENIOR_REVIEWER),
        kai=make_person("kai", Role.QA_AUDITOR),
        mei=make_person("mei", Role.OPS_MANAGER),
        ada=make_person("ada", Role.ADMIN, superuser=True),
        olive=make_person("olive"),
    )
