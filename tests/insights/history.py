"""The demo's generated history on a small catalog, for detection and dashboard tests."""

from __future__ import annotations

from shinsa.accounts.roles import Role
from shinsa.demo.history import load_history, load_oncall
from tests.cast import make_person
from tests.review.conftest import make_version


def make_history(cast):  # noqa: ANN001, ANN201 - the cast fixture
    for n in range(4):
        make_version(f"film-{n}")
    for name, role in (
        ("haruka", Role.REVIEWER),
        ("liam", Role.REVIEWER),
        ("kenji", Role.SENIOR_REVIEWER),
        ("akiko", Role.OPS_MANAGER),
        ("admin", Role.ADMIN),
    ):
        make_person(name, role)
    return load_history(), load_oncall()
