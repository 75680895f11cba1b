"""The shared cast of people, created through real actions where they exist.

- rin: reviewer (Japanese N1, English C1)
- sora: senior reviewer
- kai: QA auditor
- mei: ops manager
- ada: admin
- olive: an outsider — a valid account with no role at all
"""

from __future__ import annotations

from dataclasses import dataclass

from shinsa.accounts.models import RoleGrant, User
from shinsa.accounts.roles import Role

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Cast:
    rin: User
    sora: User
    kai: User
    mei: User
    ada: User
    olive: User


def make_person(username: str, *roles: Role, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username.title())
    if superuser:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user


def make_cast() -> Cast:
    return Cast(
        rin=make_person("rin", Role.REVIEWER),
        sora=make_person("sora", Role.SENIOR_REVIEWER),
        kai=make_person("kai", Role.QA_AUDITOR),
        mei=make_person("mei", Role.OPS_MANAGER),
        ada=make_person("ada", Role.ADMIN, superuser=True),
        olive=make_person("olive"),
    )
