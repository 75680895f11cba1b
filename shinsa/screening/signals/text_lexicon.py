"""``text_lexicon``: lexicon terms in subtitle cues (the hit carries the cue's time range) and in
metadata text (title, synopsis, tags). Every language's lexicon is applied: a Japanese term in an
English file's cue is still a hit. Policy area and severity come from the term."""

from __future__ import annotations

from collections.abc import Iterator

from shinsa.screening.signals.base import (
    SEVERITY_RANK,
    InputKind,
    MetadataInput,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    SubtitleInput,
)
from shinsa.screening.text.matcher import TextHit, screen_cues, screen_metadata


class TextLexiconSignal(Signal):
    name = "text_lexicon"
    accepts = frozenset({InputKind.SUBTITLE, InputKind.METADATA})

    def run(self, input: SignalInput, context: SignalContext) -> Iterator[SignalHit]:
        if context.lexicons is None:
            return
        floor = SEVERITY_RANK[context.settings.text_min_severity]
        for language in sorted(context.lexicons.by_language):
            lexicon = context.lexicons.by_language[language]
            if isinstance(input, SubtitleInput):
                for cue_hit in screen_cues(input.track.cues, lexicon):
                    if SEVERITY_RANK[cue_hit.hit.severity] >= floor:
                        detail = {"cue_index": cue_hit.cue_index, **_term_detail(cue_hit.hit)}
                        if cue_hit.reading is not None:
                            detail["reading"] = cue_hit.reading
                        yield _hit(cue_hit.hit, cue_hit.start_ms, cue_hit.end_ms, detail)
            elif isinstance(input, MetadataInput):
                for field_hit in screen_metadata(input.fields, lexicon):
                    if SEVERITY_RANK[field_hit.hit.severity] >= floor:
                        detail = {"field": field_hit.field, **_term_detail(field_hit.hit)}
                        if field_hit.index is not None:
                            detail["index"] = field_hit.index
                        yield _hit(field_hit.hit, None, None, detail)


def _term_detail(hit: TextHit) -> dict[str, object]:
    return {
        "term_id": hit.term_id,
        "match": hit.match.value,
        "text": hit.matched_text,
        "start": hit.start,
        "end": hit.end,
    }


def _hit(hit: TextHit, start_ms: int | None, end_ms: int | None, detail: dict[str, object]) -> SignalHit:
    return SignalHit(
        signal=TextLexiconSignal.name,
        policy_area=hit.policy_area,
        severity=hit.severity,
        score=1.0,  # the term is there; how bad it is, is the severity
        start_ms=start_ms,
        end_ms=end_ms,
        detail=detail,
    )
