"""Consumer advice: the short content labels a scheme shows beside its level, in its own style.

A topic is one label of the scheme (BBFC "strong violence", US TV "V", a Kijkwijzer pictogram). It
applies when a finding in scope matches it; its text may depend on the strongest matching intensity.
The findings in scope are those whose own floor is the final level: the content that made the rating.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shinsa.ratings.policy_file import Bilingual
from shinsa.ratings.rules import Condition


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviceTopic:
    id: str
    when: Condition
    # Only at these final levels (indices); None = at any level from the policy's ``from_level``.
    at_levels: frozenset[int] | None
    # Text per intensity; index 0 (none) is unused.
    texts: tuple[Bilingual | None, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AdvicePolicy:
    from_level: int
    max_items: int | None
    topics: tuple[AdviceTopic, ...]


def render_advice(policy: AdvicePolicy, level: int, strongest: Mapping[int, int]) -> tuple[Bilingual, ...]:
    """Texts for the matched topics (topic index -> strongest intensity), in the scheme's topic order,
    without repeats, at most ``max_items``."""
    if level < policy.from_level:
        return ()
    texts: list[Bilingual] = []
    for index in sorted(strongest):
        topic = policy.topics[index]
        if topic.at_levels is not None and level not in topic.at_levels:
            continue
        text = topic.texts[strongest[index]]
        if text is not None and text not in texts:
            texts.append(text)
    return tuple(texts[: policy.max_items] if policy.max_items else texts)
