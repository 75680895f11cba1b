"""`shinsa agreement`: the CLI contract, as real processes and through call_command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.quality.reference_data import KRIPPENDORFF_2011, rows_from_grid

SHINSA = Path(sys.executable).with_name("shinsa")


def write_csv(tmp_path: Path, lines: list[str], name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(["unit,rater,label", *lines]) + "\n", encoding="utf-8")
    return path


def grid_csv(tmp_path: Path, grid, name: str = "ratings.csv") -> Path:
    return write_csv(tmp_path, [f"{r.unit},{r.rater},{r.label}" for r in rows_from_grid(grid)], name)


def shinsa_agreement(*args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHINSA_LANG": language}
    return subprocess.run(
        [str(SHINSA), "agreement", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("agreement", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_json_contract_exactly(tmp_path):
    path = grid_csv(tmp_path, KRIPPENDORFF_2011)
    done = shinsa_agreement(str(path), "--metric", "alpha", "--level", "interval", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and len(done.stdout.splitlines()) == 1
    result = json.loads(done.stdout)
    assert list(result) == ["metric", "level", "value", "ci95", "units", "raters"]
    assert (result["metric"], result["level"], result["units"], result["raters"]) == (
        "alpha",
        "interval",
        12,
        4,
    )
    assert round(result["value"], 3) == 0.849
    assert len(result["ci95"]) == 2 and all(isinstance(bound, float) for bound in result["ci95"])
    assert result["ci95"][0] <= result["value"] <= result["ci95"][1]


def test_it_gives_the_same_interval_on_every_run(tmp_path):
    path = grid_csv(tmp_path, KRIPPENDORFF_2011)
    first = shinsa_agreement(str(path), "--metric", "ac1", "--json")
    second = shinsa_agreement(str(path), "--metric", "ac1", "--json")
    assert first.returncode == 0 and first.stdout == second.stdout


@pytest.mark.parametrize(
    ("lines", "args", "message"),
    [
        (
            ["u1,rin,a", "u2,rin,b"],
            ["--metric", "alpha"],
            "Krippendorff's alpha is undefined: all ratings come from one rater (rin); "
            "agreement needs two or more",
        ),
        (
            ["u1,rin,a", "u1,sora,a", "u1,kai,b"],
            ["--metric", "cohen"],
            "Cohen's kappa is defined for exactly two raters and this data has 3; "
            "use fleiss, alpha or ac1 for more",
        ),
        (
            ["u1,rin,a", "u1,sora,a", "u1,rin,b"],
            ["--metric", "fleiss"],
            'ratings.csv: line 4: unit u1, rater rin: two different labels, "a" and "b"',
        ),
        (
            ["u1,rin,3", "u1,sora,high"],
            ["--metric", "alpha", "--level", "ordinal"],
            'ratings.csv: line 3: unit u1, rater sora: the label "high" is not a number, '
            "and --level ordinal compares labels as numbers",
        ),
    ],
)
def test_an_undefined_metric_exits_non_zero_with_one_line(tmp_path, lines, args, message):
    done = shinsa_agreement(str(write_csv(tmp_path, lines)), *args, "--json")
    assert done.returncode == 1
    assert done.stdout == "" and done.stderr == message + "\n"


def test_it_speaks_japanese_when_asked(tmp_path):
    done = shinsa_agreement(
        str(write_csv(tmp_path, ["u1,rin,a", "u2,rin,b"])), "--metric", "ac1", language="ja"
    )
    assert done.returncode == 1
    assert done.stderr == (
        "Gwet の AC1 は定義できません: すべての評価が1人の評価者（rin）のものです。"
        "一致度には2人以上が必要です\n"
    )


@pytest.mark.parametrize(
    ("lines", "metric", "message"),
    [
        (
            ["u1,rin,a", "u2,sora,a"],
            "percent",
            "percent agreement is undefined: no unit was rated by two or more",
        ),
        (
            ["u1,rin,a", "u1,kai,b", "u2,sora,a"],
            "cohen",
            "defined for exactly two raters and this data has 3",
        ),
        (["u1,rin,a", "u2,sora,a", "u3,rin,b"], "scott", "Scott's pi is undefined: no unit was rated"),
        (["u1,rin,x", "u1,sora,x", "u2,rin,x", "u2,sora,x"], "cohen", 'every compared rating is "x"'),
        (["u1,rin,x", "u1,sora,x", "u2,kai,x"], "fleiss", 'every compared rating is "x"'),
        (["u1,rin,x", "u1,sora,x"], "ac1", 'Gwet\'s AC1 is undefined: every compared rating is "x"'),
        (["u1,rin,x", "u1,sora,x", "u2,rin,y"], "alpha", 'every compared rating is "x"'),
    ],
)
def test_every_undefined_case_is_a_command_error(tmp_path, lines, metric, message):
    with pytest.raises(CommandError, match=message):
        run(str(write_csv(tmp_path, lines)), "--metric", metric, "--json")


def test_it_names_the_file_for_a_bad_header_or_a_missing_file(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("item,coder,value\n1,a,b\n", encoding="utf-8")
    with pytest.raises(CommandError) as header:
        run(str(path), "--metric", "percent")
    assert (
        str(header.value)
        == 'scores.csv: line 1: the header must be exactly unit,rater,label, not "item,coder,value"'
    )
    with pytest.raises(CommandError) as missing:
        run(str(tmp_path / "nothing.csv"), "--metric", "percent")
    assert str(missing.value) == "nothing.csv: cannot read the file: No such file or directory"


def test_it_counts_a_duplicate_row_once_and_one_and_one_point_zero_as_equal(tmp_path):
    lines = ["u1,rin,1", "u1,rin,1", "u1,sora,1.0", "u2,rin,2", "u2,sora,3", "u3,rin,3", "u3,sora,3"]
    result = json.loads(
        run(str(write_csv(tmp_path, lines)), "--metric", "percent", "--level", "interval", "--json")
    )
    assert result["value"] == pytest.approx(2 / 3) and result["units"] == 3 and result["raters"] == 2


@pytest.mark.parametrize("metric", ["percent", "fleiss", "alpha", "ac1"])
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_it_prints_json_for_every_metric_and_level(tmp_path, metric, level):
    result = json.loads(
        run(str(grid_csv(tmp_path, KRIPPENDORFF_2011)), "--metric", metric, "--level", level, "--json")
    )
    assert (result["metric"], result["level"], result["units"], result["raters"]) == (metric, level, 12, 4)
    assert isinstance(result["value"], float) and -1 <= result["value"] <= 1


def test_level_defaults_to_nominal(tmp_path):
    result = json.loads(run(str(grid_csv(tmp_path, KRIPPENDORFF_2011)), "--metric", "alpha", "--json"))
    assert result["level"] == "nominal" and round(result["value"], 3) == 0.743


def test_it_prints_a_readable_summary_with_raw_agreement_and_prevalence(tmp_path):
    grid = [["+", "+"]] * 118 + [["+", "-"]] * 5 + [["-", "+"]] * 2
    lines = run(str(grid_csv(tmp_path, grid)), "--metric", "cohen").splitlines()
    assert lines[0] == "Cohen's kappa (nominal): -0.023"
    assert lines[1].startswith("95% interval: -0.0")
    assert lines[2:] == [
        "observed agreement: 0.944",
        "expected by chance: 0.945",
        "units: 125 (125 compared), raters: 2",
        "prevalence:",
        "  +: 97.2%",
        "  -: 2.8%",
    ]


def test_it_names_ac2_and_the_weights_when_a_level_weights_the_metric(tmp_path):
    path = grid_csv(tmp_path, KRIPPENDORFF_2011)
    assert run(str(path), "--metric", "ac1", "--level", "ordinal").startswith(
        "Gwet's AC2 (ordinal, linear weights): "
    )
    assert run(str(path), "--metric", "alpha", "--level", "interval").startswith(
        "Krippendorff's alpha (interval): "
    )
    assert run(str(path), "--metric", "percent").startswith("percent agreement (nominal): 0.818")


def test_it_is_listed_in_shinsa_help():
    done = subprocess.run([str(SHINSA), "--help"], capture_output=True, text=True, timeout=120, check=True)
    assert any(line.split()[:1] == ["agreement"] for line in done.stdout.splitlines())
