"""Back-testing a policy change against published ratings (pure core and the DB inputs)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shinsa.ratings.backtest import PublishedSnapshot, backtest
from shinsa.ratings.findings import Finding
from shinsa.ratings.policies import load_rating_policies
from shinsa.ratings.queries import run_backtest
from tests.ratings.conftest import STRICTER_BBFC, publish_cut


def _snapshot(**values):
    base = dict(
        ref=1,
        title="t/v",
        scheme="bbfc",
        territory="GB",
        level="15",
        source="computed",
        policy_version="x",
        findings=(Finding(descriptor="violence", intensity=3, start_ms=0, end_ms=10),),
        certificates=(),
        computed_level="15",
    )
    return PublishedSnapshot(**(base | values))


def test_it_reports_nothing_when_the_policies_are_unchanged(policies):
    assert backtest(policies, [_snapshot()]).changed == []


def test_it_detects_a_change_caused_by_a_modified_scheme_with_the_findings_responsible(policy_copy):
    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    report = backtest(load_rating_policies(policy_copy.root), [_snapshot()])
    [change] = report.changed
    assert (change.old_level, change.new_level, change.reason) == ("15", "18", "level_changed")
    assert [(item["descriptor"], item["intensity"], item["start_ms"]) for item in change.because] == [
        ("violence", 3, 0)
    ]


def test_it_lets_an_override_stand_and_flags_it_for_review(policy_copy):
    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    report = backtest(
        load_rating_policies(policy_copy.root),
        [_snapshot(level="12", source="override", computed_level="15")],
    )
    assert report.changed == []
    assert [change.new_level for change in report.overrides_to_review] == ["18"]


def test_it_back_tests_published_ratings_and_their_rollups(cast, catalog, policy_copy):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    publish_cut(cast.rin, catalog.episode_cuts[0], ("violence", 3))
    publish_cut(cast.rin, catalog.episode_cuts[1], ("language", 1))
    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    report = run_backtest(load_rating_policies(policy_copy.root))
    changed = {(c.title, c.scheme, c.territory): (c.old_level, c.new_level) for c in report.changed}
    assert changed[("film-1/theatrical", "bbfc", "GB")] == ("15", "18")
    assert changed[("series-1-s1-e1/original", "bbfc", "GB")] == ("15", "18")
    assert changed[("series-1-s1", "bbfc", "GB")] == ("15", "18")
    assert changed[("series-1", "bbfc", "GB")] == ("15", "18")
    assert ("series-1-s1-e2/original", "bbfc", "GB") not in changed


def test_it_prints_the_report_as_json(cast, catalog, policy_copy, capsys):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    call_command("ratings", "backtest", "--policy-dir", str(policy_copy.root), "--json")
    report = json.loads(capsys.readouterr().out)
    assert [(c["scheme"], c["old_level"], c["new_level"]) for c in report["changed"]] == [
        ("bbfc", "15", "18")
    ]


def test_it_names_the_broken_candidate_file_in_one_line(policy_copy):
    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    policy_copy.replace(
        "bbfc.toml", 'levels = ["U", "U", "12", "18", "18"]', 'levels = ["U", "U", "12", "18"]'
    )
    with pytest.raises(CommandError) as refused:
        call_command("ratings", "backtest", "--policy-dir", str(policy_copy.root))
    assert "bbfc.toml" in str(refused.value) and "\n" not in str(refused.value)
