"""Production settings pass ``manage.py check --deploy`` with no warning, on SQLite and PostgreSQL URLs."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SHINSA_", "DJANGO_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "shinsa.settings",
        "SHINSA_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "shinsa.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://shinsa.example.org",
        "DATABASE_URL": database_url,
        "SHINSA_VAR_DIR": str(tmp_path / "var"),
    }


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:///{tmp}/shinsa.sqlite3", "postgres://shinsa@db.internal:5432/shinsa"],
    ids=["sqlite", "postgresql"],
)
def test_it_passes_the_deploy_check_with_production_settings(tmp_path, database_url):
    result = _check(_production_env(tmp_path, database_url.format(tmp=tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deploy_check_when_a_safeguard_is_switched_off(tmp_path):
    env = _production_env(tmp_path, f"sqlite:///{tmp_path}/shinsa.sqlite3") | {"SHINSA_SSL_REDIRECT": "false"}
    result = _check(env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path, f"sqlite:///{tmp_path}/shinsa.sqlite3")
    del env["SECRET_KEY"]
    result = _check(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
