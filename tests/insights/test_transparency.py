"""``shinsa report transparency``: the JSON contract and its counts."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from openpyxl import load_workbook

from tests.insights.conftest import overturn, utc


def test_it_reports_a_period_in_the_contracted_shape(decided, team, tmp_path):
    restrict = decided(area="hate", action="restrict", territories=("JP",), note="slur", at=utc("2026-11-10"))
    decided(area="violence", action="approve", at=utc("2026-11-12"))
    decided(area="violence", action="approve", at=utc("2026-11-30"))  # after the period
    overturn(team, restrict)
    out = StringIO()
    call_command(
        "report",
        "transparency",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-12",
        "--json",
        "--xlsx",
        str(tmp_path / "t.xlsx"),
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["since"] == "2026-11-01" and report["until"] == "2026-11-12"
    decisions = report["decisions"]
    assert decisions["total"] == 2
    assert decisions["by_policy"] == {"hate": 1, "violence": 1}
    assert decisions["by_action"] == {"approve": 1, "restrict": 1}
    assert (decisions["automated"], decisions["human"]) == (0, 2)
    assert isinstance(report["median_handling_hours"], float)
    # The appeal was opened and decided today, outside the period.
    assert report["appeals"] == {"received": 0, "overturned": 0, "upheld": 0}
    assert report["audiovisual"]["access_restrictions"] == {"JP": {"restrict": 1}}
    sheet = load_workbook(tmp_path / "t.xlsx")["transparency"]
    assert ("decisions", "total", 2) in [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]


def test_it_gives_null_median_for_an_empty_period(db):
    out = StringIO()
    call_command(
        "report", "transparency", "--since", "2020-01-01", "--until", "2020-01-31", "--json", stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["decisions"]["total"] == 0 and report["median_handling_hours"] is None
