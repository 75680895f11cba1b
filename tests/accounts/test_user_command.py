from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from shinsa.accounts.models import RoleGrant, User
from shinsa.accounts.roles import Role
from shinsa.audit.models import AuditEvent


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_account_with_roles_and_a_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("NAO_PASSWORD", "a long enough passphrase")
    output = _run(
        "create", "nao", "--role", "reviewer", "--role", "qa_auditor", "--password-env", "NAO_PASSWORD"
    )
    assert output == "Created nao (qa_auditor, reviewer).\n"
    nao = User.objects.get(username="nao")
    assert nao.check_password("a long enough passphrase")
    assert set(RoleGrant.objects.filter(user=nao).values_list("role", flat=True)) == {
        "reviewer",
        "qa_auditor",
    }
    event = AuditEvent.objects.get(verb="account.create")
    assert event.actor is None and event.actor_label.startswith("cli")


def test_it_says_when_a_new_account_cannot_sign_in(db):
    assert _run("create", "svc").splitlines() == [
        "Created svc (no role).",
        "It has no password, so it cannot sign in until one is set.",
    ]


def test_it_refuses_a_missing_password_variable_an_unknown_role_or_a_taken_name(cast, monkeypatch):
    monkeypatch.delenv("NOPE", raising=False)
    with pytest.raises(CommandError, match="The environment variable NOPE is not set or empty."):
        _run("create", "nao", "--password-env", "NOPE")
    with pytest.raises(CommandError, match="Unknown role “moderator”"):
        _run("create", "nao", "--role", "moderator")
    with pytest.raises(CommandError, match="username: A user with that username already exists."):
        _run("create", "rin")
    assert not User.objects.filter(username="nao").exists()


def test_it_grants_and_revokes_roles(cast):
    assert _run("grant", "olive", "reviewer", "--reason", "onboarding") == "Granted reviewer to olive.\n"
    assert cast.olive.role_set() == frozenset({Role.REVIEWER})
    assert _run("revoke", "olive", "reviewer") == "Revoked reviewer from olive.\n"
    assert AuditEvent.objects.filter(verb__in=["role.grant", "role.revoke"]).count() == 2
    assert AuditEvent.objects.get(verb="role.grant").reason == "onboarding"
    with pytest.raises(CommandError, match="There is no account named “nobody”."):
        _run("grant", "nobody", "reviewer")
    with pytest.raises(CommandError, match="olive does not have the role admin."):
        _run("revoke", "olive", "admin")


def test_it_lists_accounts_with_roles_and_skills(cast):
    lines = _run("list").splitlines()
    assert lines[0].split() == [
        "USERNAME",
        "ACTIVE",
        "ROLES",
        "LANGUAGES",
        "POLICY",
        "AREAS",
        "CLEARANCE",
        "TERRITORIES",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["rin"] == ["rin", "yes", "reviewer", "en:C1,ja:N1", "-", "-", "-"]
    assert rows["olive"] == ["olive", "yes", "-", "-", "-", "-", "-"]
    assert list(rows) == ["ada", "kai", "mei", "olive", "rin", "sora"]


@pytest.mark.django_db(transaction=True)
def test_it_prints_one_line_in_japanese_for_a_real_process(tmp_path):
    assert connection.vendor == "sqlite"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "SHINSA_VAR_DIR": str(tmp_path),
        "SHINSA_LANG": "ja",
    }
    result = subprocess.run(
        [sys.executable, "-m", "shinsa.cli", "user", "grant", "nobody", "reviewer"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == "「nobody」というアカウントはありません。\n"
