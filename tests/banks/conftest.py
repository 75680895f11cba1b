"""Two policy owners (bank changes need a second person) beside the shared cast."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shinsa.accounts.models import User
from shinsa.accounts.roles import Role
from shinsa.banks.matching import forget_matcher
from tests.cast import make_person


@dataclass(frozen=True)
class Owners:
    pia: User
    paul: User


@pytest.fixture
def owners(cast) -> Owners:
    return Owners(pia=make_person("pia", Role.POLICY_OWNER), paul=make_person("paul", Role.POLICY_OWNER))


@pytest.fixture(autouse=True)
def fresh_matcher():
    # The matcher is per process: each test starts from its own database.
    forget_matcher()
    yield
    forget_matcher()
