"""Back-testing a policy change: which published ratings would change under candidate policies, and why.

Pure (no Django): the caller turns published ratings into ``PublishedSnapshot``s (the findings and
certificates they were made from) and rollups into ``RollupSnapshot``s. Each snapshot is rated again
under the candidate policies, exactly as the workflow proposes (``propose_ratings``: certificates
first, then mappings, then the findings); a rollup takes the most restrictive new level of its
children. An override is a person's decision: it is never changed by a back-test, but the report says
when the computed level under it would move.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shinsa.ratings.engine import Rating
from shinsa.ratings.findings import Certificate, Finding, RatingInputError, check_finding
from shinsa.ratings.policies import RatingPolicies
from shinsa.ratings.territories import propose_ratings

SOURCE_OVERRIDE = "override"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedSnapshot:
    ref: int
    title: str
    scheme: str
    territory: str
    level: str
    source: str
    policy_version: str
    findings: tuple[Finding, ...]
    certificates: tuple[Certificate, ...]
    # For an override: the level the engine had computed under it.
    computed_level: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RollupSnapshot:
    ref: int
    title: str
    scheme: str
    territory: str
    level: str
    # Refs of the children's published ratings (episodes' cuts, or a season's rollup) it came from.
    children: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    ref: int
    title: str
    scheme: str
    territory: str
    old_level: str
    new_level: str
    old_source: str
    new_source: str
    # Why: the findings (with the rule) that set the new level, or the children that did for a rollup,
    # or a one-word reason (scheme_removed, level_removed, finding_invalid).
    because: list[dict[str, Any]]
    reason: str
    policy_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "scheme": self.scheme,
            "territory": self.territory,
            "old_level": self.old_level,
            "new_level": self.new_level,
            "old_source": self.old_source,
            "new_source": self.new_source,
            "reason": self.reason,
            "because": self.because,
        }


@dataclass(slots=True)
class BacktestReport:
    candidate_version: str
    checked: int = 0
    changed: list[Change] = field(default_factory=list)
    # Overrides stand; these are the ones whose computed level underneath would move.
    overrides_to_review: list[Change] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate_version": self.candidate_version,
            "checked": self.checked,
            "changed": [change.to_json() for change in self.changed],
            "overrides_to_review": [change.to_json() for change in self.overrides_to_review],
        }


def backtest(
    candidate: RatingPolicies,
    published: Iterable[PublishedSnapshot],
    rollups: Sequence[RollupSnapshot] = (),
) -> BacktestReport:
    """Rate every snapshot again under ``candidate``; rollups last, in the order given (seasons first)."""
    report = BacktestReport(candidate_version=candidate.version)
    new_levels: dict[int, tuple[str, str]] = {}
    # A cut's ratings in one territory come from one proposal run: rate each cut × territory once.
    memo: dict[Any, dict[str, Rating]] = {}
    for snapshot in published:
        report.checked += 1
        change = _rerate(candidate, snapshot, memo)
        new_levels[snapshot.ref] = (snapshot.scheme, change.new_level if change else snapshot.level)
        if change is None:
            continue
        if snapshot.source == SOURCE_OVERRIDE:
            new_levels[snapshot.ref] = (snapshot.scheme, snapshot.level)
            report.overrides_to_review.append(change)
        else:
            report.changed.append(change)
    for rollup in rollups:
        report.checked += 1
        change = _rerate_rollup(candidate, rollup, new_levels)
        new_levels[rollup.ref] = (rollup.scheme, change.new_level if change else rollup.level)
        if change is not None:
            report.changed.append(change)
    return report


def _change(snapshot: PublishedSnapshot | RollupSnapshot, **values: Any) -> Change:
    return Change(
        ref=snapshot.ref,
        title=snapshot.title,
        scheme=snapshot.scheme,
        territory=snapshot.territory,
        old_level=snapshot.level,
        old_source=getattr(snapshot, "source", "rollup"),
        **values,
    )


def _rerate(
    candidate: RatingPolicies, snapshot: PublishedSnapshot, memo: dict[Any, dict[str, Rating]]
) -> Change | None:
    scheme = candidate.schemes.get(snapshot.scheme)
    if scheme is None:
        return _change(snapshot, new_level="", new_source="", because=[], reason="scheme_removed")
    for position, finding in enumerate(snapshot.findings):
        try:
            check_finding(candidate.vocabulary, finding, f"findings[{position}]")
        except RatingInputError as error:
            return _change(
                snapshot,
                new_level="",
                new_source="",
                because=[{"error": str(error)}],
                reason="finding_invalid",
            )
    known = {cert for cert in snapshot.certificates if cert.scheme in candidate.schemes}
    usable = [cert for cert in known if cert.code in candidate.schemes[cert.scheme].codes]
    if len(usable) != len(known):
        return _change(snapshot, new_level="", new_source="", because=[], reason="level_removed")
    key = (snapshot.findings, frozenset(usable), snapshot.territory)
    if key not in memo:
        proposed = propose_ratings(candidate.schemes, snapshot.findings, usable, [snapshot.territory])
        memo[key] = {item.rating.scheme: item.rating for item in proposed}
    rating = memo[key][snapshot.scheme]
    before = snapshot.computed_level if snapshot.source == SOURCE_OVERRIDE else snapshot.level
    if rating.level == before:
        return None
    return _change(
        snapshot,
        new_level=rating.level,
        new_source=rating.basis,
        because=rating.to_json()["because"],
        reason="level_changed",
        policy_version=rating.policy_version,
    )


def _rerate_rollup(
    candidate: RatingPolicies, rollup: RollupSnapshot, new_levels: dict[int, tuple[str, str]]
) -> Change | None:
    scheme = candidate.schemes.get(rollup.scheme)
    if scheme is None:
        return _change(rollup, new_level="", new_source="", because=[], reason="scheme_removed")
    strictest: tuple[int, str, int] | None = None
    for child in rollup.children:
        _scheme_id, level = new_levels.get(child, ("", ""))
        if level not in scheme.codes:
            continue
        index = scheme.level_index(level)
        if strictest is None or index > strictest[0]:
            strictest = (index, level, child)
    if strictest is None:
        return _change(rollup, new_level="", new_source="", because=[], reason="level_removed")
    if strictest[1] == rollup.level:
        return None
    return _change(
        rollup,
        new_level=strictest[1],
        new_source="rollup",
        because=[{"child": strictest[2], "level": strictest[1]}],
        reason="level_changed",
    )
