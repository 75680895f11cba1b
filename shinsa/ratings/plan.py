"""A scheme's rules compiled for speed: one dictionary lookup per finding on the hot path.

The outcome of a finding depends only on (descriptor, intensity, context tags), so it is computed once by
the rule-kind functions and memoised under the finding's key. The loader also walks every intensity and
every combination of the tags that can change a level, to prove the scheme monotonic before it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from shinsa.ratings.advice import AdvicePolicy
from shinsa.ratings.findings import Finding, check_finding
from shinsa.ratings.rules import (
    ContextRule,
    CountRule,
    LadderRule,
    ReferRule,
    ShiftRule,
    chosen_ladders,
    context_floor,
    counts_toward,
    ladder_row,
    shift_steps,
    shifted_level,
)
from shinsa.ratings.vocabulary import Vocabulary

# Past this many distinct finding keys the memo starts again (keeps odd inputs from growing it forever).
MEMO_LIMIT = 65_536
# Context tags interacting with one descriptor; 2**n combinations are checked at load.
MAX_LEVEL_CONTEXTS = 10


@dataclass(frozen=True, slots=True)
class FindingOutcome:
    level: int
    rule: str
    intensity: int
    counts: tuple[int, ...]
    refers: tuple[int, ...]
    topics: tuple[int, ...]


class RatingPlan:
    """Lookup tables and rules of one scheme, ready for ``evaluate_rating``."""

    __slots__ = (
        "vocabulary",
        "ladders",
        "shifts",
        "context_rules",
        "count_rules",
        "refer_rules",
        "advice",
        "proposable",
        "memo",
        "by_relevant_tags",
        "relevant_tags",
    )

    def __init__(
        self,
        *,
        vocabulary: Vocabulary,
        ladders: tuple[LadderRule, ...],
        shifts: tuple[ShiftRule, ...],
        context_rules: tuple[ContextRule, ...],
        count_rules: tuple[CountRule, ...],
        refer_rules: tuple[ReferRule, ...],
        advice: AdvicePolicy,
        proposable: tuple[int, ...],
    ) -> None:
        self.vocabulary = vocabulary
        self.ladders = ladders
        self.shifts = shifts
        self.context_rules = context_rules
        self.count_rules = count_rules
        self.refer_rules = refer_rules
        self.advice = advice
        self.proposable = proposable
        self.memo: dict[str, FindingOutcome] = {}
        # Bounded by the scheme itself: descriptors x intensities x combinations of the tags it uses.
        self.by_relevant_tags: dict[tuple[str, int, frozenset[str]], FindingOutcome] = {}
        self.relevant_tags: dict[str, frozenset[str]] = {}

    def floor(self, descriptor: str, intensity: int, context: frozenset[str]) -> tuple[int, str]:
        """The finding's own floor (level index) and the rule(s) that set it."""
        chosen = chosen_ladders(self.ladders, descriptor, context)
        level = ladder_row(chosen)[intensity]
        label = "+".join(ladder.id for ladder in chosen)
        if intensity > 0:
            # Mitigating and aggravating tags do not pile up: the strongest lowering shift and the
            # strongest raising shift apply (the first in file order on a tie).
            lowering = raising = None
            for shift in self.shifts:
                steps = shift_steps(shift, descriptor, intensity, context)
                if steps < 0 and (lowering is None or steps < lowering.steps):
                    lowering = shift
                elif steps > 0 and (raising is None or steps > raising.steps):
                    raising = shift
            applied = [shift for shift in (lowering, raising) if shift is not None]
            if applied:
                level = shifted_level(level, sum(shift.steps for shift in applied), self.proposable)
                label = "+".join([label, *(shift.id for shift in applied)])
        strongest: ContextRule | None = None
        for rule in self.context_rules:
            raised = context_floor(rule, descriptor, intensity, context)
            if raised is not None and (strongest is None or raised > strongest.level):
                strongest = rule
        # Ties credit the context rule: it is the more specific reason.
        if strongest is not None and strongest.level >= level:
            level, label = strongest.level, strongest.id
        return level, label

    def outcome(self, finding: Finding) -> FindingOutcome:
        """The memoised outcome of a finding; a key seen for the first time is checked and computed.

        Tags no rule or topic of this scheme looks at cannot change the outcome, so a new key whose
        relevant tags were seen before reuses that outcome instead of running the rules again.
        """
        known = self.memo.get(finding.key)
        if known is not None:
            return known
        check_finding(self.vocabulary, finding)
        descriptor, intensity = finding.descriptor, finding.intensity
        context = finding.context & self._relevant_tags(descriptor)
        result = self.by_relevant_tags.get((descriptor, intensity, context))
        if result is None:
            result = self._compute(descriptor, intensity, context)
            self.by_relevant_tags[(descriptor, intensity, context)] = result
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
        self.memo[finding.key] = result
        return result

    def _compute(self, descriptor: str, intensity: int, context: frozenset[str]) -> FindingOutcome:
        level, label = self.floor(descriptor, intensity, context)
        return FindingOutcome(
            level=level,
            rule=label,
            intensity=intensity,
            counts=tuple(
                index
                for index, rule in enumerate(self.count_rules)
                if counts_toward(rule, descriptor, intensity, context)
            ),
            refers=tuple(
                index
                for index, rule in enumerate(self.refer_rules)
                if rule.when.matches(descriptor, intensity, context)
            ),
            topics=tuple(
                index
                for index, topic in enumerate(self.advice.topics)
                if topic.when.matches(descriptor, intensity, context)
            ),
        )

    def _relevant_tags(self, descriptor: str) -> frozenset[str]:
        tags = self.relevant_tags.get(descriptor)
        if tags is None:
            conditions = [
                rule.when
                for rule in (
                    *self.ladders,
                    *self.shifts,
                    *self.context_rules,
                    *self.count_rules,
                    *self.refer_rules,
                )
            ]
            conditions += [topic.when for topic in self.advice.topics]
            tags = frozenset().union(*(when.tags for when in conditions if when.covers(descriptor)))
            self.relevant_tags[descriptor] = tags
        return tags

    def level_contexts(self, descriptor: str) -> tuple[str, ...]:
        """Context tags that can change this descriptor's floor."""
        tags: set[str] = set()
        for rule in (*self.ladders, *self.shifts, *self.context_rules):
            if rule.when.covers(descriptor):
                tags |= rule.when.tags
        return tuple(sorted(tags))

    def monotonicity_problem(self, descriptor: str, max_intensity: int) -> str | None:
        """Why a higher intensity could give a lower floor for this descriptor, or None if it cannot."""
        tags = self.level_contexts(descriptor)
        if len(tags) > MAX_LEVEL_CONTEXTS:
            return (
                f"{len(tags)} context tags change the level of {descriptor} "
                f"(at most {MAX_LEVEL_CONTEXTS}, so that every combination can be checked)"
            )
        for size in range(len(tags) + 1):
            for combination in combinations(tags, size):
                context = frozenset(combination)
                previous = 0
                for intensity in range(max_intensity + 1):
                    level, _ = self.floor(descriptor, intensity, context)
                    if level < previous:
                        shown = ", ".join(combination) or "no tags"
                        return (
                            f"{descriptor} at intensity {intensity} ({shown}) gives a lower level "
                            f"than at intensity {intensity - 1}"
                        )
                    previous = level
        return None
