"""``shinsa rate``: the CLI contract, through the real console script and through call_command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.ratings.conftest import REPO

SHINSA = str(Path(sys.executable).with_name("shinsa"))
FINDINGS = {
    "findings": [
        {
            "descriptor": "violence",
            "intensity": 3,
            "start_ms": 61_000,
            "end_ms": 64_000,
            "context": ["realistic"],
        },
        {"descriptor": "language", "intensity": 3, "start_ms": 5_000, "end_ms": 5_400, "context": []},
        {"descriptor": "alcohol_tobacco", "intensity": 1, "start_ms": None, "end_ms": None, "context": []},
    ]
}


def shinsa(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SHINSA, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        timeout=60,
    )


@pytest.fixture
def findings_file(tmp_path) -> Path:
    path = tmp_path / "title.json"
    path.write_text(json.dumps(FINDINGS), encoding="utf-8")
    return path


def test_it_rates_every_scheme_in_the_contract_shape(findings_file, policies):
    result = shinsa("rate", str(findings_file), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload) == ["ratings"]
    assert [rating["scheme"] for rating in payload["ratings"]] == sorted(policies.schemes)
    for rating in payload["ratings"]:
        assert list(rating) == ["scheme", "territory", "level", "advice", "because"]
        for item in rating["because"]:
            assert list(item) == ["descriptor", "intensity", "start_ms", "end_ms", "rule"]
    bbfc = next(rating for rating in payload["ratings"] if rating["scheme"] == "bbfc")
    assert bbfc == {
        "scheme": "bbfc",
        "territory": "GB",
        "level": "15",
        "advice": ["strong violence"],
        "because": [
            {"descriptor": "violence", "intensity": 3, "start_ms": 61_000, "end_ms": 64_000, "rule": "ladder"}
        ],
    }


def test_it_rates_only_the_named_schemes_in_the_order_given(findings_file):
    result = shinsa("rate", str(findings_file), "--scheme", "us_tv", "--scheme", "eirin", "--json")
    assert result.returncode == 0, result.stderr
    ratings = json.loads(result.stdout)["ratings"]
    assert [(rating["scheme"], rating["level"], rating["advice"]) for rating in ratings] == [
        ("us_tv", "TV-14", ["L", "V"]),
        (
            "eirin",
            "R15+",
            ["intense depictions of violence", "intense depictions of coarse or discriminatory language"],
        ),
    ]


def test_it_gives_advice_in_japanese_with_lang_ja(findings_file):
    result = shinsa("rate", str(findings_file), "--scheme", "eirin", "--lang", "ja", "--json")
    assert json.loads(result.stdout)["ratings"][0]["advice"] == [
        "刺激の強い暴力描写がみられる",
        "刺激の強い粗暴・差別的な台詞がみられる",
    ]


def test_it_reads_findings_from_standard_input():
    result = shinsa("rate", "-", "--scheme", "mpa", "--json", stdin=json.dumps({"findings": []}))
    assert json.loads(result.stdout) == {
        "ratings": [{"scheme": "mpa", "territory": "US", "level": "G", "advice": [], "because": []}]
    }


def test_it_lets_an_issued_certificate_win():
    request = {**FINDINGS, "certificates": [{"scheme": "mpa", "code": "PG-13"}]}
    result = shinsa("rate", "-", "--scheme", "mpa", "--scheme", "prime", "--json", stdin=json.dumps(request))
    levels = [(rating["scheme"], rating["level"]) for rating in json.loads(result.stdout)["ratings"]]
    assert levels == [("mpa", "PG-13"), ("prime", "13+")]


def test_it_lists_the_descriptors():
    result = shinsa("rate", "--descriptors", "--json")
    descriptors = json.loads(result.stdout)
    assert descriptors[0] == {"id": "violence", "max_intensity": 4, "name": {"ja": "暴力", "en": "Violence"}}
    assert all(list(item) == ["id", "max_intensity", "name"] for item in descriptors)


def test_it_lists_the_schemes():
    result = shinsa("rate", "--schemes", "--json")
    schemes = {item["id"]: item for item in json.loads(result.stdout)}
    assert schemes["acb"] == {
        "id": "acb",
        "territory": "AU",
        "authority": "Australian Classification Board",
        "levels": ["G", "PG", "M", "MA 15+", "R 18+", "X 18+", "RC"],
    }
    assert schemes["prime"]["territory"] == "*"
    assert "S" not in schemes["cbfc"]["levels"]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"findings": [', "-: not valid JSON (line 1, column 15): Expecting value"),
        (
            '{"findings": [{"descriptor": "swearing", "intensity": 1}]}',
            "-: findings[0].descriptor: unknown descriptor swearing",
        ),
        (
            '{"findings": [{"descriptor": "violence", "intensity": 5}]}',
            "-: findings[0].intensity: intensity 5 is out of range 0-4",
        ),
        (
            '{"findings": [{"descriptor": "violence", "intensity": "3"}]}',
            "-: findings[0].intensity must be an integer",
        ),
        (
            '{"findings": [{"descriptor": "violence", "intensity": 1, "mood": 1}]}',
            "-: findings[0]: unknown key mood",
        ),
        (
            '{"findings": [{"descriptor": "nudity", "intensity": 1, '
            '"context": ["sexualised", "minor_involved"]}]}',
            "-: findings[0]: sexualised nudity of a minor is not a rating question",
        ),
        (
            '{"findings": [], "certificates": [{"scheme": "mpa", "code": "X"}]}',
            "-: certificates[0].code: X is not a level of mpa",
        ),
        ("[]", "-: (top) must be a JSON object"),
    ],
)
def test_it_refuses_bad_input_in_one_line(stdin, message):
    result = shinsa("rate", "-", "--json", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(message), result.stderr


def test_it_refuses_an_unknown_scheme_in_one_line(findings_file):
    result = shinsa("rate", str(findings_file), "--scheme", "eirin", "--scheme", "usk", "--json")
    assert result.returncode == 2
    assert result.stderr.startswith("unknown scheme usk; known schemes: acb, bbfc,")
    assert result.stderr.count("\n") == 1


def test_it_refuses_a_missing_file_in_one_line(tmp_path):
    result = shinsa("rate", str(tmp_path / "nope.json"))
    assert (result.returncode, result.stderr) == (2, f"{tmp_path / 'nope.json'}: no such file\n")


def test_it_prints_a_readable_summary_without_json(findings_file):
    result = shinsa("rate", str(findings_file), "--scheme", "mpa")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("mpa         US  R — strong violence  [proposal]")
    assert "violence 3 at 00:01:01.000-00:01:04.000  (violence-realistic-and-extreme)" in result.stdout


def test_it_reports_a_broken_policy_file_in_one_line(tmp_path, policy_copy):
    line = policy_copy.replace("mpa.toml", 'territory = "US"\n', 'territory = "US\n')
    result = shinsa("rate", "--schemes", SHINSA_POLICY_DIR=str(policy_copy.root))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"invalid rating policy: {policy_copy.path('mpa.toml')}:{line}: invalid TOML"
    )
    assert result.stderr.count("\n") == 1


def test_it_works_through_call_command(findings_file):
    out = StringIO()
    call_command("rate", str(findings_file), "--scheme", "kmrb", "--json", stdout=out)
    assert json.loads(out.getvalue())["ratings"][0]["level"] == "15세이상관람가"


def test_it_raises_command_error_with_code_2_through_call_command(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": [{"descriptor": "violence"}]}', encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("rate", str(bad), "--json")
    assert raised.value.returncode == 2
    assert str(raised.value) == f"{bad}: findings[0]: missing key intensity"


def test_it_needs_one_of_file_descriptors_or_schemes():
    with pytest.raises(CommandError) as raised:
        call_command("rate", "--json")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("rate", "x.json", "--schemes")


def test_it_refuses_bad_input_in_japanese_for_a_japanese_user():
    result = shinsa(
        "rate", "-", stdin='{"findings": [{"descriptor": "violence", "intensity": 9}]}', SHINSA_LANG="ja"
    )
    assert result.returncode == 2
    assert result.stderr == "-: findings[0].intensity: 強度 9 は violence の範囲 0-4 の外です\n"
