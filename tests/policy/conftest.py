"""Fixtures for the policy loader: a writable copy of the shipped policies to break in each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from shinsa.policy.current import reload_policies
from shinsa.policy.errors import InvalidPolicySet, PolicyFileError
from shinsa.policy.loader import load_policy_set

SHIPPED_POLICIES = Path(__file__).resolve().parents[2] / "policies"


class PolicyCopy:
    """A copy of the shipped ``policies/`` under tmp_path, edited by text replacement."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / name

    def replace(self, name: str, old: str, new: str) -> None:
        text = self.path(name).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {name}"
        self.path(name).write_text(text.replace(old, new), encoding="utf-8")

    def append(self, name: str, text: str) -> None:
        with self.path(name).open("a", encoding="utf-8") as file:
            file.write(text)

    def line_of(self, name: str, fragment: str) -> int:
        """The 1-based line of the only line containing ``fragment``."""
        lines = [
            i
            for i, line in enumerate(self.path(name).read_text(encoding="utf-8").splitlines(), 1)
            if fragment in line
        ]
        assert len(lines) == 1, f"{fragment!r} is on lines {lines} of {name}"
        return lines[0]

    def problems(self) -> tuple[PolicyFileError, ...]:
        with pytest.raises(InvalidPolicySet) as invalid:
            load_policy_set(self.directory)
        return invalid.value.problems

    def only_problem(self) -> PolicyFileError:
        problems = self.problems()
        assert len(problems) == 1, [str(p) for p in problems]
        return problems[0]


@pytest.fixture
def policy_copy(tmp_path: Path) -> PolicyCopy:
    directory = tmp_path / "policies"
    shutil.copytree(SHIPPED_POLICIES, directory)
    return PolicyCopy(directory)


@pytest.fixture
def policy_dir_setting(settings) -> Iterator[object]:
    """Lets a test point settings.POLICY_DIR elsewhere; the policy cache is dropped before and after."""
    reload_policies()
    yield settings
    reload_policies()
