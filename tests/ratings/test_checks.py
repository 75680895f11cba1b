"""The start-up check: a bad rating policy file or a failing golden case stops start."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from shinsa.ratings.checks import FAILING_GOLDEN_CASE, INVALID_RATING_POLICY, check_rating_policies


def test_it_passes_the_shipped_policies():
    assert check_rating_policies() == []


def test_it_names_file_line_and_reason_of_a_bad_file(policy_copy):
    line = policy_copy.replace("kmrb.toml", "steps = 1\n", "steps = 0\n")
    with override_settings(POLICY_DIR=policy_copy.root):
        (error,) = check_rating_policies()
    assert error.id == INVALID_RATING_POLICY
    assert error.msg == f"{policy_copy.path('kmrb.toml')}:{line} [rules[1].steps]: must not be 0"


def test_it_reports_each_failing_golden_case(policy_copy):
    line = policy_copy.replace(
        "cbfc.golden.toml", 'level = "UA 16+"\nadvice = ["Language"]', 'level = "A"\nadvice = ["Language"]'
    )
    with override_settings(POLICY_DIR=policy_copy.root):
        (error,) = check_rating_policies()
    assert error.id == FAILING_GOLDEN_CASE
    assert error.msg.startswith(f"{policy_copy.path('cbfc.golden.toml')}:")
    assert "[strong-expletive-is-ua16]: level 'UA 16+', expected 'A'" in error.msg
    assert line > 0


def test_it_stops_the_check_command(policy_copy):
    policy_copy.replace("descriptors.toml", 'version = "2025.1"', "version = 2025")
    with (
        override_settings(POLICY_DIR=policy_copy.root),
        pytest.raises(SystemCheckError, match="must be a string"),
    ):
        call_command("check", "--tag", "policy")
