"""Lexicon matching: Aho-Corasick automata over the normalised views of a text, hits mapped back to
the original characters.

A lexicon is compiled once per version (its content hash) into two automata: one over the surface
view (``exact`` and ``substring`` terms) and one over the normalized view (``normalized`` terms). A
text is scanned once per automaton, whatever the number of terms.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import ahocorasick

from shinsa.policy.schemas import Severity
from shinsa.screening.subtitles.cues import Cue
from shinsa.screening.text.english import english_views, is_word_character
from shinsa.screening.text.japanese import TEXT_SEPARATOR, Prepared, japanese_texts, japanese_views
from shinsa.screening.text.lexicon import Lexicon, LexiconTerm, MatchMode
from shinsa.screening.text.mapped import MappedText


@dataclass(frozen=True, kw_only=True, slots=True)
class TextHit:
    term_id: str
    policy_area: str
    severity: Severity
    match: MatchMode
    start: int  # offsets in the original text
    end: int
    matched_text: str  # the original text between start and end


@dataclass(frozen=True, kw_only=True, slots=True)
class CueHit:
    """A hit in a subtitle cue, with the cue's time range. When the term was found in a ruby reading,
    ``reading`` is that reading and the hit's offsets cover the ruby's base in the cue text."""

    cue_index: int
    start_ms: int
    end_ms: int
    hit: TextHit
    reading: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldHit:
    """A hit in a metadata field: ``field`` ("title", "synopsis", "tags"), ``index`` the position of the
    value in a list field (None for a single text)."""

    field: str
    index: int | None
    hit: TextHit


Entry = tuple[int, int]  # term index, key length
Boundary = Callable[[MappedText, int, int], bool]


@dataclass(frozen=True, slots=True)
class CompiledLexicon:
    lexicon: Lexicon
    surface: ahocorasick.Automaton | None
    normalized: ahocorasick.Automaton | None
    needs_tokens: bool  # a Japanese ``exact`` term needs token boundaries


_compiled: dict[tuple[str, str], CompiledLexicon] = {}
_compile_lock = threading.Lock()


def compiled(lexicon: Lexicon) -> CompiledLexicon:
    """The automata of ``lexicon``, built on first use and kept for its version."""
    key = (lexicon.language, lexicon.version)
    found = _compiled.get(key)
    if found is not None:
        return found
    with _compile_lock:
        found = _compiled.get(key)
        if found is None:
            found = _compile(lexicon)
            _compiled[key] = found
    return found


def _compile(lexicon: Lexicon) -> CompiledLexicon:
    surface: dict[str, list[Entry]] = {}
    normalized: dict[str, list[Entry]] = {}
    for index, term in enumerate(lexicon.terms):
        table = normalized if term.match is MatchMode.NORMALIZED else surface
        for key in term.keys:
            table.setdefault(key, []).append((index, len(key)))
    return CompiledLexicon(
        lexicon=lexicon,
        surface=_automaton(surface),
        normalized=_automaton(normalized),
        needs_tokens=lexicon.language == "ja" and lexicon.uses(MatchMode.EXACT),
    )


def _automaton(keys: dict[str, list[Entry]]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, entries in keys.items():
        automaton.add_word(key, tuple(entries))
    automaton.make_automaton()
    return automaton


def screen_text(text: str, lexicon: Lexicon) -> list[TextHit]:
    """Every lexicon term found in ``text``, ordered by position; offsets point into ``text``."""
    if not text or not lexicon.terms:
        return []
    return _screen(text, compiled(lexicon))


def _screen(text: str, compiled_lexicon: CompiledLexicon, prepared: Prepared | None = None) -> list[TextHit]:
    """``screen_text`` with the lexicon compiled (looked up once per call of ``screen_cues``);
    ``prepared``: what ``japanese_texts`` has for a Japanese text."""
    if not text:
        return []
    lexicon = compiled_lexicon.lexicon
    surface_automaton, normalized_automaton = compiled_lexicon.surface, compiled_lexicon.normalized
    if lexicon.language == "ja":
        ja = japanese_views(
            text,
            tokens=compiled_lexicon.needs_tokens,
            normalized=normalized_automaton is not None,
            prepared=prepared,
        )
        surface, normalized = ja.surface, ja.normalized
    else:
        en = english_views(text, normalized=normalized_automaton is not None)
        surface, normalized = en.surface, en.normalized
    # Most texts hold no term: look before building anything for the hits.
    surface_found = (
        list(surface_automaton.iter(surface.text)) if surface_automaton is not None and surface.text else []
    )
    normalized_found = (
        list(normalized_automaton.iter(normalized.text))
        if normalized_automaton is not None and normalized is not None and normalized.text
        else []
    )
    if not (surface_found or normalized_found):
        return []
    terms = lexicon.terms
    hits: dict[tuple[str, int, int], TextHit] = {}
    if lexicon.language == "ja":
        boundaries = ja.boundaries

        def on_token_boundaries(view: MappedText, start: int, end: int) -> bool:
            return start in boundaries and end in boundaries

        _scan(surface_found, surface, text, terms, hits, on_token_boundaries, exact_only=True)
        _scan(normalized_found, normalized, text, terms, hits, None, exact_only=False)
    else:
        _scan(surface_found, surface, text, terms, hits, _on_word_boundaries, exact_only=True)
        _scan(normalized_found, normalized, text, terms, hits, _on_word_boundaries, exact_only=False)
    return sorted(hits.values(), key=lambda hit: (hit.start, hit.end, hit.term_id))


def _on_word_boundaries(view: MappedText, start: int, end: int) -> bool:
    text = view.text
    return (start == 0 or not is_word_character(text[start - 1])) and (
        end == len(text) or not is_word_character(text[end])
    )


def _scan(
    found: list[tuple[int, tuple[Entry, ...]]],
    view: MappedText | None,
    original: str,
    terms: Sequence[LexiconTerm],
    hits: dict[tuple[str, int, int], TextHit],
    boundary: Boundary | None,
    *,
    exact_only: bool,
) -> None:
    """Add the hits one automaton ``found`` in ``view``. ``boundary(view, start, end)`` must hold for
    whole-word terms:
    ``exact`` ones when ``exact_only``, every term otherwise; None means no term needs it."""
    if not found or view is None:
        return
    for last, entries in found:
        end = last + 1
        for term_index, length in entries:
            term = terms[term_index]
            start = end - length
            needs_boundary = boundary is not None and (term.match is MatchMode.EXACT or not exact_only)
            if needs_boundary and boundary is not None and not boundary(view, start, end):
                continue
            original_start, original_end = view.original_span(start, end)
            key = (term.id, original_start, original_end)
            if key not in hits:
                hits[key] = TextHit(
                    term_id=term.id,
                    policy_area=term.area,
                    severity=term.severity,
                    match=term.match,
                    start=original_start,
                    end=original_end,
                    matched_text=original[original_start:original_end],
                )


def screen_cues(cues: Iterable[Cue], lexicon: Lexicon) -> list[CueHit]:
    """The hits of every cue (its text and its ruby readings), each with the cue's time range."""
    found: list[CueHit] = []
    if not lexicon.terms:
        return found
    compiled_lexicon = compiled(lexicon)
    cues = tuple(cues)
    if lexicon.language == "ja":  # only the cues that may hold a hit, and those with ruby
        candidates = _japanese_candidates(cues, compiled_lexicon)
        with_ruby = [index for index, cue in enumerate(cues) if cue.ruby]
        screened: Iterable[int] = sorted({*candidates, *with_ruby}) if with_ruby else sorted(candidates)
    else:
        candidates = None
        screened = range(len(cues))
    for index in screened:
        cue = cues[index]
        if candidates is None or index in candidates:
            prepared = candidates[index] if candidates else None
            for hit in _screen(cue.text, compiled_lexicon, prepared):
                found.append(CueHit(cue_index=index, start_ms=cue.start_ms, end_ms=cue.end_ms, hit=hit))
        for ruby in cue.ruby:
            for hit in _screen(ruby.reading, compiled_lexicon):
                on_base = replace(hit, start=ruby.start, end=ruby.end)
                found.append(
                    CueHit(
                        cue_index=index,
                        start_ms=cue.start_ms,
                        end_ms=cue.end_ms,
                        hit=on_base,
                        reading=ruby.reading,
                    )
                )
    return found


# Cues screened together by ``_japanese_candidates``: enough for its per-call work to be paid rarely.
BATCH_CHARACTERS = 16_384
_SEPARATOR = re.compile(TEXT_SEPARATOR)


def _japanese_candidates(
    cues: Sequence[Cue], compiled_lexicon: CompiledLexicon
) -> dict[int, Prepared | None]:
    """The cues whose text may hold a hit, with what was prepared for them: every cue where the
    automata find a key in the views of many cues joined (``japanese_texts``, one scan per view for
    them all), and every cue holding ``TEXT_SEPARATOR``. Any other cue's views hold no key, so it has
    no hit."""
    candidates: dict[int, Prepared | None] = {}
    texts = [cue.text for cue in cues]
    ends = list(itertools.accumulate(map(len, texts)))  # where each cue's text ends, all joined
    start = 0
    while start < len(texts):
        # the cues up to BATCH_CHARACTERS further on (at least one)
        stop = max(start + 1, bisect.bisect_right(ends, (ends[start - 1] if start else 0) + BATCH_CHARACTERS))
        batch = range(start, stop)
        if TEXT_SEPARATOR in "".join(texts[start:stop]):  # such a cue goes on its own
            candidates.update((index, None) for index in batch if TEXT_SEPARATOR in texts[index])
            batch = [index for index in batch if TEXT_SEPARATOR not in texts[index]]
        if batch:
            _add_candidates(candidates, batch, texts, compiled_lexicon)
        start = stop
    return candidates


def _add_candidates(
    candidates: dict[int, Prepared | None],
    batch: Sequence[int],
    texts: list[str],
    compiled_lexicon: CompiledLexicon,
) -> None:
    found = japanese_texts(
        [texts[index] for index in batch], normalized=compiled_lexicon.normalized is not None
    )
    for text, automaton in (
        (found.surface, compiled_lexicon.surface),
        (found.normalized, compiled_lexicon.normalized),
    ):
        if automaton is None or not text:
            continue
        separators: list[int] | None = None
        for last, _entries in automaton.iter(text):
            if separators is None:  # most batches of cues hold few keys
                separators = [match.start() for match in _SEPARATOR.finditer(text)]
            which = bisect.bisect_left(separators, last)  # the text a key ending at ``last`` is in
            if batch[which] not in candidates:
                candidates[batch[which]] = found.prepared(which)


def screen_metadata(fields: Mapping[str, str | Sequence[str]], lexicon: Lexicon) -> list[FieldHit]:
    """The hits in metadata text: ``{"title": "...", "synopsis": "...", "tags": ["...", ...]}``."""
    found: list[FieldHit] = []
    for field, value in fields.items():
        values: list[tuple[int | None, str]] = (
            [(None, value)] if isinstance(value, str) else list(enumerate(value))
        )
        for index, text in values:
            found.extend(FieldHit(field=field, index=index, hit=hit) for hit in screen_text(text, lexicon))
    return found
