"""gaps_by_cut: one entry per cut, earliest deadline first, optionally for one territory."""

from __future__ import annotations

from datetime import date

from shinsa.ratings.queries import ComplianceGap, gaps_by_cut


def gap(title: str, territory: str, scheme: str, problem: str, deadline: date) -> ComplianceGap:
    return ComplianceGap(
        title=title,
        title_version_id=1,
        version="original",
        territory=territory,
        scheme=scheme,
        problem=problem,
        deadline=deadline,
    )


def test_it_groups_per_cut_with_the_earliest_deadline_and_problem_counts():
    gaps = [
        gap("b", "GB", "bbfc", "missing_rating", date(2026, 3, 1)),
        gap("a", "JP", "eirin", "missing_rating", date(2026, 5, 1)),
        gap("a", "JP", "prime", "missing_advice", date(2026, 5, 1)),
        gap("a", "US", "mpa", "missing_rating", date(2026, 2, 1)),
    ]
    cuts = gaps_by_cut(gaps)
    assert [(cut.title, cut.deadline) for cut in cuts] == [("a", date(2026, 2, 1)), ("b", date(2026, 3, 1))]
    assert cuts[0].territories == ["JP", "US"]
    assert cuts[0].problems == {"missing_rating": 2, "missing_advice": 1}


def test_it_keeps_only_the_territory_asked_for():
    gaps = [
        gap("a", "US", "mpa", "missing_rating", date(2026, 2, 1)),
        gap("b", "GB", "bbfc", "missing_rating", date(2026, 3, 1)),
    ]
    assert [cut.title for cut in gaps_by_cut(gaps, territory="GB")] == ["b"]
    assert gaps_by_cut(gaps, territory="JP") == []
