from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from shinsa.policy.checks import check_policy_files
from shinsa.policy.current import current_policies, reload_policies
from tests.policy.conftest import SHIPPED_POLICIES


def test_it_passes_for_the_shipped_policies(policy_dir_setting):
    policy_dir_setting.POLICY_DIR = SHIPPED_POLICIES
    assert check_policy_files() == []


def test_it_reports_each_problem_as_an_error_with_file_line_and_field(policy_copy, policy_dir_setting):
    policy_copy.replace("clauses/violence.toml", 'title = { ja = "性暴力の描写", ', "title = { ")
    policy_copy.replace("slas.toml", "low = 240", "low = -1")
    policy_dir_setting.POLICY_DIR = policy_copy.directory
    messages = check_policy_files()
    title_line = policy_copy.line_of("clauses/violence.toml", 'en = "Depictions of sexual violence"')
    assert [(m.id, m.msg) for m in messages] == [
        (
            "shinsa.policy.E001",
            f"policies/clauses/violence.toml:{title_line} [title.ja]: missing Japanese text",
        ),
        (
            "shinsa.policy.E001",
            f"policies/slas.toml:{policy_copy.line_of('slas.toml', 'low = -1')} [hours.low]: "
            "must be between 1 and 8760, not -1",
        ),
    ]
    assert str(policy_copy.directory) in messages[0].hint


def test_it_stops_manage_check(policy_copy, policy_dir_setting, db):
    policy_copy.replace(
        "report_reasons.toml", 'priority = "low"\n\n[[reasons]]', 'priority = "whenever"\n\n[[reasons]]'
    )
    policy_dir_setting.POLICY_DIR = policy_copy.directory
    with pytest.raises(
        SystemCheckError, match=r"policies/report_reasons.toml:\d+ \[priority\]: unknown priority"
    ):
        call_command("check")


def test_it_warns_about_a_toml_file_that_no_kind_reads(policy_copy, policy_dir_setting):
    policy_copy.path("queue.toml").write_text("[[queues]]\n", encoding="utf-8")
    policy_dir_setting.POLICY_DIR = policy_copy.directory
    [warning] = check_policy_files()
    assert (warning.id, warning.msg) == (
        "shinsa.policy.W001",
        "queue.toml: no policy kind reads this file, so it has no effect",
    )


def test_it_caches_the_current_policies_until_reloaded(policy_dir_setting):
    policy_dir_setting.POLICY_DIR = SHIPPED_POLICIES
    first = current_policies()
    assert current_policies() is first
    reload_policies()
    assert current_policies() is not first
    assert current_policies().version == first.version


def test_it_stops_start_up_of_a_real_process_with_one_line_per_problem(policy_copy, tmp_path):
    policy_copy.replace(
        "queues.toml", 'sla = "pre_release"\n\n[[queues]]', 'sla = "prerelease"\n\n[[queues]]'
    )
    environment = {
        **os.environ,
        "SHINSA_POLICY_DIR": str(policy_copy.directory),
        "SHINSA_VAR_DIR": str(tmp_path),
    }
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "shinsa.cli", "manage", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    line = policy_copy.line_of("queues.toml", 'sla = "prerelease"')
    assert (
        f"(shinsa.policy.E001) policies/queues.toml:{line} [sla]: unknown SLA 'prerelease'" in result.stderr
    )
