"""The rating engine: findings -> a level in one scheme, with the advice and the reasons.

Pure and deterministic: no database, no clock, no randomness; the same findings in any order give the
same rating. Computed ratings are proposals; an issued certificate always wins (``rate_title``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from shinsa.ratings.advice import render_advice
from shinsa.ratings.findings import Certificate, Finding
from shinsa.ratings.plan import FindingOutcome
from shinsa.ratings.policy_file import Bilingual
from shinsa.ratings.rules import CountRule, count_floor, refers
from shinsa.ratings.schemes import Scheme

BASIS_COMPUTED = "computed"
BASIS_CERTIFICATE = "certificate"
BASIS_MAPPING = "mapping"


# Rating, Because and Referral are named tuples: they are built on the hot path, and tuples are cheap.
class Because(NamedTuple):
    """A finding that on its own (or, for a count rule, with the others it counted) set the level."""

    descriptor: str
    intensity: int
    start_ms: int | None
    end_ms: int | None
    rule: str


class Referral(NamedTuple):
    """A finding a human must look at beyond the level (possible cuts, refusal, a rater vote)."""

    rule: str
    note: Bilingual
    descriptor: str
    start_ms: int | None
    end_ms: int | None


class Rating(NamedTuple):
    """One title's rating in one scheme (immutable; a named tuple because one is built per evaluation)."""

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
    top = 0
    # One pass: the findings at the highest floor so far, and the few that count or refer.
    at_top: list[tuple[int, FindingOutcome]] = []
    counted: list[tuple[int, FindingOutcome]] = []
    referred: list[tuple[int, FindingOutcome]] = []
    for position, finding in enumerate(findings):
        outcome = memo.get(finding.key)
        if outcome is None:
            outcome = plan.outcome(finding)
        level = outcome.level
        if level > top:
            top = level
            at_top = [(position, outcome)]
        elif level == top:
            at_top.append((position, outcome))
        if outcome.counts:
            counted.append((position, outcome))
        if outcome.refers:
            referred.append((position, outcome))

    deciding = at_top
    if counted:
        top, deciding = _apply_counts(plan.count_rules, counted, top, at_top)

    strongest: dict[int, int] = {}
    because: list[Because] = []
    for position, outcome, *count_rule in deciding:
        intensity = outcome.intensity
        for topic in outcome.topics:
            if strongest.get(topic, -1) < intensity:
                strongest[topic] = intensity
        if top:
            finding = findings[position]
            rule = count_rule[0] if count_rule else outcome.rule
            because.append(
                Because(finding.descriptor, finding.intensity, finding.start_ms, finding.end_ms, rule)
            )
    if len(because) > 1:
        because.sort(key=_because_order)

    return Rating(
        scheme=scheme.id,
        territory=scheme.territory,
        level=scheme.levels[top].code,
        level_index=top,
        advice=render_advice(plan.advice, top, strongest),
        because=tuple(because),
        referrals=_referrals(scheme, findings, referred, top, deciding) if referred else (),
        basis=BASIS_COMPUTED,
        proposal=True,
        policy_version=scheme.content_hash,
    )


def _apply_counts(
    count_rules: Sequence[CountRule],
    counted: list[tuple[int, FindingOutcome]],
    top: int,
    at_top: list[tuple[int, FindingOutcome]],
) -> tuple[int, list[tuple[Any, ...]]]:
    """Raises the level by the count rules that fire; returns it with the findings that set it (a
    counted finding below the level carries the id of the count rule that counted it)."""
    tallies = [0] * len(count_rules)
    for _, outcome in counted:
        for index in outcome.counts:
            tallies[index] += 1
    floors = {index: count_floor(rule, tallies[index]) for index, rule in enumerate(count_rules)}
    fired = [index for index, floor in floors.items() if floor is not None]
    raised = max([top, *(count_rules[index].level for index in fired)])
    if raised > top:
        at_top = []
    deciding: list[tuple[Any, ...]] = list(at_top)
    listed = {position for position, _ in at_top}
    for index in fired:
        if count_rules[index].level != raised:
            continue
        for position, outcome in counted:
            if index in outcome.counts and position not in listed:
                listed.add(position)
                deciding.append((position, outcome, count_rules[index].id))
    return raised, deciding


def _time_key(start_ms: int | None, end_ms: int | None) -> tuple[bool, int, int]:
    # Timed first, by start then end; then untimed.
    return (start_ms is None, start_ms or 0, -1 if end_ms is None else end_ms)


# The rest of each key makes the order independent of the input order: same findings, same rating.
def _because_order(item: Because) -> tuple[Any, ...]:
    return (*_time_key(item.start_ms, item.end_ms), item.descriptor, item.intensity, item.rule)


def _referral_order(item: Referral) -> tuple[Any, ...]:
    return (*_time_key(item.start_ms, item.end_ms), item.descriptor, item.rule)


def _referrals(
    scheme: Scheme,
    findings: Sequence[Finding],
    referred: list[tuple[int, FindingOutcome]],
    top: int,
    deciding: list[tuple[Any, ...]],
) -> tuple[Referral, ...]:
    setting = {item[0] for item in deciding}
    referrals = []
    for position, outcome in referred:
        finding = findings[position]
        for index in outcome.refers:
            rule = scheme.plan.refer_rules[index]
            if refers(rule, level=top, deciding=position in setting):
                referrals.append(
                    Referral(rule.id, rule.note, finding.descriptor, finding.start_ms, finding.end_ms)
                )
    referrals.sort(key=_referral_order)
    return tuple(referrals)


def certified_rating(scheme: Scheme, certificate: Certificate) -> Rating:
    """An issued certificate, as a rating: no proposal, no computed reasons."""
    return _issued_rating(scheme, certificate.code, BASIS_CERTIFICATE, certificate, scheme.territory)


def derive_bucket(
    bucket_scheme: Scheme, certificate: Certificate, *, source_territory: str | None = None
) -> Rating | None:
    """The bucket ``bucket_scheme`` publishes for an issued local certificate, or None where its mapping
    tables do not cover that scheme and code (then the bucket is computed from findings)."""
    for mapping in bucket_scheme.mappings:
        if mapping.source == certificate.scheme and certificate.code in mapping.codes:
            territory = source_territory or bucket_scheme.territory
            return _issued_rating(
                bucket_scheme, mapping.codes[certificate.code], BASIS_MAPPING, certificate, territory
            )
    return None


def _issued_rating(scheme: Scheme, code: str, basis: str, certificate: Certificate, territory: str) -> Rating:
    return Rating(
        scheme=scheme.id,
        territory=territory,
        level=code,
        level_index=scheme.level_index(code),
        advice=(),
        because=(),
        referrals=(),
        basis=basis,
        proposal=False,
        policy_version=scheme.content_hash,
        source=certificate,
    )


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
