"""The rating engine: findings -> a level in one scheme, with the advice and the reasons.

Pure and deterministic: no database, no clock, no randomness; the same findings in any order give the
same rating. Computed ratings are proposals; an issued certificate always wins (``rate_title``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shinsa.ratings.advice import render_advice
from shinsa.ratings.findings import Certificate, Finding
from shinsa.ratings.policy_file import Bilingual
from shinsa.ratings.schemes import Scheme

BASIS_COMPUTED = "computed"
BASIS_CERTIFICATE = "certificate"
BASIS_MAPPING = "mapping"


@dataclass(frozen=True, slots=True, kw_only=True)
class Because:
    """A finding that on its own (or, for a count rule, with the others it counted) set the level."""

    descriptor: str
    intensity: int
    start_ms: int | None
    end_ms: int | None
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Referral:
    """A finding a human must look at beyond the level (possible cuts, refusal, a rater vote)."""

    rule: str
    note: Bilingual
    descriptor: str
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rating:
    scheme: str
    territory: str
    level: str
    level_index: int
    advice: tuple[Bilingual, ...]
    because: tuple[Because, ...]
    referrals: tuple[Referral, ...]
    # computed (a proposal), certificate (issued), or mapping (derived from an issued certificate).
    basis: str
    proposal: bool
    policy_version: str
    source: Certificate | None = None

    def to_json(self, language: str = "en") -> dict[str, Any]:
        """The CLI/API shape: scheme, territory, level, advice (in ``language``), because."""
        return {
            "scheme": self.scheme,
            "territory": self.territory,
            "level": self.level,
            "advice": [text.in_language(language) for text in self.advice],
            "because": [
                {
                    "descriptor": item.descriptor,
                    "intensity": item.intensity,
                    "start_ms": item.start_ms,
                    "end_ms": item.end_ms,
                    "rule": item.rule,
                }
                for item in self.because
            ],
        }


def evaluate_rating(findings: Sequence[Finding], scheme: Scheme) -> Rating:
    """The level ``scheme`` gives these findings, its consumer advice, and every finding that set it.

    Each finding's floor comes from the scheme's rules (see ``shinsa.ratings.rules``); the level is the
    highest floor, raised further by count rules. ``because`` lists, in time order, each finding whose
    own floor is that level (and the findings a deciding count rule counted); it is empty at the lowest
    level. Raises RatingInputError for a finding outside the vocabulary or not rateable.
    """
    plan = scheme.plan
    memo = plan.memo
    outcomes = []
    top = 0
    for finding in findings:
        outcome = memo.get(finding.key) or plan.outcome(finding)
        outcomes.append(outcome)
        if outcome.level > top:
            top = outcome.level

    # Count rules: which ones fire, and which of them reach the final level.
    deciding_counts: dict[int, str] = {}
    if plan.count_rules:
        tallies = [0] * len(plan.count_rules)
        for outcome in outcomes:
            for index in outcome.counts:
                tallies[index] += 1
        fired = [index for index, rule in enumerate(plan.count_rules) if tallies[index] >= rule.min_count]
        for index in fired:
            top = max(top, plan.count_rules[index].level)
        for index in fired:
            if plan.count_rules[index].level == top:
                deciding_counts.setdefault(index, plan.count_rules[index].id)

    because: list[tuple[tuple[int, int, int, int], Because]] = []
    strongest: dict[int, int] = {}
    for position, (finding, outcome) in enumerate(zip(findings, outcomes, strict=True)):
        rule = outcome.rule if outcome.level == top else None
        if rule is None and deciding_counts:
            for index in outcome.counts:
                if index in deciding_counts:
                    rule = deciding_counts[index]
                    break
        if rule is None:
            continue
        for topic in outcome.topics:
            if strongest.get(topic, -1) < outcome.intensity:
                strongest[topic] = outcome.intensity
        if top > 0:
            because.append((_time_order(finding, position), _because(finding, rule)))
    because.sort(key=lambda pair: pair[0])

    return Rating(
        scheme=scheme.id,
        territory=scheme.territory,
        level=scheme.levels[top].code,
        level_index=top,
        advice=render_advice(plan.advice, top, strongest),
        because=tuple(item for _, item in because),
        referrals=_referrals(scheme, findings, outcomes, top) if plan.refer_rules else (),
        basis=BASIS_COMPUTED,
        proposal=True,
        policy_version=scheme.content_hash,
    )


def _time_order(finding: Finding, position: int) -> tuple[int, int, int, int]:
    # Timed findings first, by start then end; untimed ones after, in input order.
    if finding.start_ms is None:
        return (1, 0, 0, position)
    return (0, finding.start_ms, finding.end_ms if finding.end_ms is not None else finding.start_ms, position)


def _because(finding: Finding, rule: str) -> Because:
    return Because(
        descriptor=finding.descriptor,
        intensity=finding.intensity,
        start_ms=finding.start_ms,
        end_ms=finding.end_ms,
        rule=rule,
    )


def _referrals(
    scheme: Scheme, findings: Sequence[Finding], outcomes: Sequence[Any], top: int
) -> tuple[Referral, ...]:
    referrals = []
    for position, (finding, outcome) in enumerate(zip(findings, outcomes, strict=True)):
        for index in outcome.refers:
            rule = scheme.plan.refer_rules[index]
            if rule.at_levels is None or top in rule.at_levels:
                referrals.append(
                    (
                        _time_order(finding, position),
                        Referral(
                            rule=rule.id,
                            note=rule.note,
                            descriptor=finding.descriptor,
                            start_ms=finding.start_ms,
                            end_ms=finding.end_ms,
                        ),
                    )
                )
    referrals.sort(key=lambda pair: (pair[0], pair[1].rule))
    return tuple(referral for _, referral in referrals)


def certified_rating(scheme: Scheme, certificate: Certificate) -> Rating:
    """An issued certificate, as a rating: no proposal, no computed reasons."""
    return Rating(
        scheme=scheme.id,
        territory=scheme.territory,
        level=certificate.code,
        level_index=scheme.level_index(certificate.code),
        advice=(),
        because=(),
        referrals=(),
        basis=BASIS_CERTIFICATE,
        proposal=False,
        policy_version=scheme.content_hash,
        source=certificate,
    )


def derive_bucket(
    bucket_scheme: Scheme, certificate: Certificate, *, source_territory: str | None = None
) -> Rating | None:
    """The bucket ``bucket_scheme`` publishes for an issued local certificate, or None where its mapping
    tables do not cover that scheme and code (then the bucket is computed from findings)."""
    for mapping in bucket_scheme.mappings:
        if mapping.source == certificate.scheme and certificate.code in mapping.codes:
            code = mapping.codes[certificate.code]
            return Rating(
                scheme=bucket_scheme.id,
                territory=source_territory or bucket_scheme.territory,
                level=code,
                level_index=bucket_scheme.level_index(code),
                advice=(),
                because=(),
                referrals=(),
                basis=BASIS_MAPPING,
                proposal=False,
                policy_version=bucket_scheme.content_hash,
                source=certificate,
            )
    return None


def rate_title(
    schemes: Mapping[str, Scheme],
    findings: Sequence[Finding],
    *,
    certificates: Iterable[Certificate] = (),
    scheme_ids: Sequence[str] | None = None,
) -> list[Rating]:
    """Ratings of one title in each scheme (all of them, in id order, unless ``scheme_ids`` is given).

    Official certificates come first: a scheme with a certificate gets it as issued; a bucket scheme
    (one with mapping tables) derives its level from a certificate its tables cover, trying mappings in
    file order; only otherwise is the level computed from the findings, as a proposal.
    """
    issued = {certificate.scheme: certificate for certificate in certificates}
    ratings = []
    for scheme_id in scheme_ids if scheme_ids is not None else sorted(schemes):
        scheme = schemes[scheme_id]
        if scheme_id in issued:
            ratings.append(certified_rating(scheme, issued[scheme_id]))
            continue
        derived = None
        for mapping in scheme.mappings:
            if mapping.source in issued:
                territory = schemes[mapping.source].territory if mapping.source in schemes else None
                derived = derive_bucket(scheme, issued[mapping.source], source_territory=territory)
                if derived is not None:
                    break
        ratings.append(derived or evaluate_rating(findings, scheme))
    return ratings
