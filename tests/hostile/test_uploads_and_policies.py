"""Hostile manifests over the API upload, and hostile policy files at start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shinsa.api.actions import do_create_api_token
from tests.hostile import files as hostile
from tests.hostile.tables import changed_tables, dump_tables
from tests.jobs.processes import run_shinsa

ROOT = Path(__file__).resolve().parents[2]
ACCEPTED = {"utf16.csv"}  # UTF-16 with a BOM is a supported manifest encoding


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize(
    ("name", "suffix", "builder"),
    [case for case in hostile.MANIFEST_CASES if case[0] not in ACCEPTED],
    ids=[case[0] for case in hostile.MANIFEST_CASES if case[0] not in ACCEPTED],
)
def test_hostile_manifest_upload_gets_a_stable_error_body_and_changes_nothing(
    client, cast, tmp_path, name, suffix, builder
):
    _token, plaintext = do_create_api_token(actor="system", user=cast.mei, name="hostile", scopes=("ingest",))
    before = dump_tables(skip=frozenset({"api_apitoken"}))  # the token's last-use time may move
    upload = SimpleUploadedFile(f"upload{suffix}", builder(tmp_path), content_type="application/octet-stream")
    response = client.post(
        "/api/v1/manifests", {"file": upload}, headers={"Authorization": f"Bearer {plaintext}"}
    )
    # Refused as bad input past authentication and scope checks (a 401/403 would prove nothing here).
    assert response.status_code in (400, 413, 415, 422), response.content[:300]
    error = response.json()["error"]
    assert error["code"] and error["message"] and "\n" not in error["message"]
    assert changed_tables(before, dump_tables(skip=frozenset({"api_apitoken"}))) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("media_root")
def test_an_upload_named_like_a_path_is_refused_without_touching_that_path(client, cast, tmp_path):
    _token, plaintext = do_create_api_token(actor="system", user=cast.mei, name="hostile", scopes=("ingest",))
    upload = SimpleUploadedFile("../../etc/passwd\u202e.json", b"{}", content_type="application/json")
    response = client.post(
        "/api/v1/manifests", {"file": upload}, headers={"Authorization": f"Bearer {plaintext}"}
    )
    assert response.status_code in (400, 422)


def _policy_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    return target


@pytest.mark.parametrize(
    ("relative", "content"),
    [
        ("rating_schemes/bbfc.toml", lambda: hostile.random_bytes(seed=15)),
        ("rating_schemes/bbfc.toml", lambda: ("a = " + "[" * 100_000 + "]" * 100_000).encode()),
        ("queues.toml", lambda: ("a = " + "{b = " * 50_000 + "1" + "}" * 50_000).encode()),
        ("descriptors.toml", lambda: "x".encode("utf-16")),
        ("rating_schemes/bbfc.toml", lambda: b""),
    ],
    ids=["random", "deep-array", "deep-inline-table", "utf16", "empty"],
)
def test_a_hostile_policy_file_stops_start_up_with_one_line_naming_the_file(tmp_path, relative, content):
    folder = _policy_copy(tmp_path)
    (folder / relative).write_bytes(content())
    env = {**os.environ, "SHINSA_POLICY_DIR": str(folder), "SHINSA_VAR_DIR": str(tmp_path / "var")}
    done = run_shinsa("-m", "shinsa.cli", "rate", "--schemes", env=env, seconds=120)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert Path(relative).name in done.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    """`shinsa screen many.srt | head -1`: no BrokenPipeError traceback once the reader has gone."""
    path = tmp_path / "many.srt"
    cues = (
        f"{n + 1}\n00:00:{n % 60:02d},000 --> 00:00:{n % 60:02d},500\ncocaine {n}\n\n" for n in range(3000)
    )
    path.write_text("".join(cues))
    env = {**os.environ, "SHINSA_VAR_DIR": str(tmp_path / "var")}
    process = subprocess.Popen(
        [sys.executable, "-m", "shinsa.cli", "screen", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.readline().startswith(b"subtitle  3000 hits")
    process.stdout.close()  # the reader goes away, as `head -1` does
    stderr = process.stderr.read().decode()
    process.wait(60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr[-2000:]
