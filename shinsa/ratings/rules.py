"""Rule kinds of a rating scheme. Each kind is plain data plus one small pure function.

Per finding, a scheme's rules give a *floor* (the least restrictive level the finding allows):

- ``ladder``: intensity -> level, per descriptor. A ladder with ``contexts`` is a variant used instead of
  the plain one when the finding carries all those tags (the most specific matching ladder wins).
- ``shift``: context tags move the ladder's level by whole steps (``comedic`` -1, ``glamorised`` +1);
  they do not pile up: only the strongest lowering and the strongest raising shift apply.
- ``context``: descriptor at or above an intensity, with all the given tags -> at least this level.
- ``count``: at least ``min_count`` matching findings in one title -> at least this level.
- ``refer``: no level; flags a finding for a human (cuts, refusal, a rater vote).

A title's level is the highest floor over its findings and its count rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from shinsa.ratings.policy_file import Bilingual


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition:
    """Which findings a rule is about. ``descriptors`` None means every descriptor."""

    descriptors: frozenset[str] | None
    # All of ``contexts`` and, when given, at least one of ``any_contexts`` must be on the finding.
    contexts: frozenset[str] = frozenset()
    any_contexts: frozenset[str] = frozenset()
    min_intensity: int = 1
    max_intensity: int | None = None

    def covers(self, descriptor: str) -> bool:
        return self.descriptors is None or descriptor in self.descriptors

    def matches(self, descriptor: str, intensity: int, context: frozenset[str]) -> bool:
        return (
            (self.descriptors is None or descriptor in self.descriptors)
            and intensity >= self.min_intensity
            and (self.max_intensity is None or intensity <= self.max_intensity)
            and self.contexts <= context
            and (not self.any_contexts or not self.any_contexts.isdisjoint(context))
        )

    @property
    def tags(self) -> frozenset[str]:
        return self.contexts | self.any_contexts


@dataclass(frozen=True, slots=True, kw_only=True)
class LadderRule:
    id: str
    basis: str
    when: Condition
    # Level index per intensity (index 0 = intensity 0, always the lowest level).
    levels: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftRule:
    id: str
    basis: str
    when: Condition
    steps: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextRule:
    id: str
    basis: str
    when: Condition
    level: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CountRule:
    id: str
    basis: str
    when: Condition
    min_count: int
    level: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferRule:
    id: str
    basis: str
    when: Condition
    # Only at these final levels (indices); None = at any level.
    at_levels: frozenset[int] | None
    # Only when the finding is one of those that set the final level.
    deciding: bool
    note: Bilingual


type Rule = LadderRule | ShiftRule | ContextRule | CountRule | ReferRule


def chosen_ladders(
    ladders: tuple[LadderRule, ...], descriptor: str, context: frozenset[str]
) -> list[LadderRule]:
    """The most specific ladders covering the finding: those needing the most of its tags, and among
    them the ones naming the descriptor over the catch-all ones."""
    matching = [
        ladder for ladder in ladders if ladder.when.covers(descriptor) and ladder.when.contexts <= context
    ]
    if not matching:
        return []
    most = max(len(ladder.when.contexts) for ladder in matching)
    specific = [ladder for ladder in matching if len(ladder.when.contexts) == most]
    named = [ladder for ladder in specific if ladder.when.descriptors is not None]
    return named or specific


def ladder_row(chosen: list[LadderRule]) -> tuple[int, ...]:
    """Element-wise highest row of the chosen ladders, so the result never depends on file order."""
    return tuple(max(row) for row in zip(*(ladder.levels for ladder in chosen), strict=True))


def shift_steps(shift: ShiftRule, descriptor: str, intensity: int, context: frozenset[str]) -> int:
    return shift.steps if shift.when.matches(descriptor, intensity, context) else 0


def shifted_level(level: int, steps: int, proposable: tuple[int, ...]) -> int:
    """Moves ``level`` by ``steps`` over the proposable levels, stopping at either end."""
    position = proposable.index(level)
    return proposable[max(0, min(len(proposable) - 1, position + steps))]


def context_floor(rule: ContextRule, descriptor: str, intensity: int, context: frozenset[str]) -> int | None:
    return rule.level if rule.when.matches(descriptor, intensity, context) else None


def counts_toward(rule: CountRule, descriptor: str, intensity: int, context: frozenset[str]) -> bool:
    return rule.when.matches(descriptor, intensity, context)


def count_floor(rule: CountRule, matching: int) -> int | None:
    return rule.level if matching >= rule.min_count else None


def refers(rule: ReferRule, *, level: int, deciding: bool) -> bool:
    """Whether a finding that matches ``rule.when`` is referred, given the final level and whether the
    finding is one that set it."""
    return (rule.at_levels is None or level in rule.at_levels) and (deciding or not rule.deciding)
