"""Screening hits offered to an assessor as suggested findings (pure).

A lexicon hit names a term and a severity; a finding names a descriptor and an intensity. Lexicon files
are kept one per topic (``policies/lexicons/<lang>/<topic>.toml``), and the topic decides the descriptor
through the map below. It is deliberately conservative: topics that do not clearly describe one
descriptor are not offered, and an assessor accepts or dismisses each suggestion — none counts until
accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from shinsa.ratings.vocabulary import Vocabulary
from shinsa.screening.signals import SignalHit
from shinsa.screening.text.lexicon import LexiconTerm

# lexicon topic (file stem) -> descriptor of the finding its hits suggest
DESCRIPTOR_FOR_TOPIC = {
    "violence": "violence",
    "self_harm": "self_harm",
    "hate": "discrimination",
    "drugs": "drugs",
    "profanity": "language",
}
INTENSITY_FOR_SEVERITY = {"low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True, kw_only=True, slots=True)
class Suggestion:
    signal: str
    descriptor: str
    intensity: int
    start_ms: int | None
    end_ms: int | None


def descriptors_for_terms(terms: Iterable[LexiconTerm]) -> dict[str, str]:
    """Term id -> descriptor, for the terms whose file's topic maps to one."""
    found = {}
    for term in terms:
        descriptor_id = DESCRIPTOR_FOR_TOPIC.get(PurePosixPath(term.source).stem)
        if descriptor_id is not None:
            found[term.id] = descriptor_id
    return found


def suggestions_from_hits(
    hits: Iterable[SignalHit], vocabulary: Vocabulary, descriptor_for_term: Mapping[str, str]
) -> list[Suggestion]:
    """One suggestion per (descriptor, time range), at the strongest intensity any hit there implies."""
    strongest: dict[tuple[str, int | None, int | None], Suggestion] = {}
    for hit in hits:
        descriptor_id = descriptor_for_term.get(str(hit.detail.get("term_id", "")))
        if descriptor_id is None or descriptor_id not in vocabulary.descriptors:
            continue
        ceiling = vocabulary.descriptors[descriptor_id].max_intensity
        intensity = min(INTENSITY_FOR_SEVERITY[hit.severity.value], ceiling)
        key = (descriptor_id, hit.start_ms, hit.end_ms)
        if key not in strongest or strongest[key].intensity < intensity:
            strongest[key] = Suggestion(
                signal=hit.signal,
                descriptor=descriptor_id,
                intensity=intensity,
                start_ms=hit.start_ms,
                end_ms=hit.end_ms,
            )
    return sorted(strongest.values(), key=lambda s: (s.start_ms or 0, s.descriptor))
