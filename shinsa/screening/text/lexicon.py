"""Lexicons as policy data: ``policies/lexicons/{ja,en}/*.toml``, one ``[[terms]]`` table per term.

Loaded and validated with the other policy files (the ``lexicons`` policy kind, registered by the
screening app so the start-up check covers it): unknown keys, unknown policy areas, bad severities or
match modes, duplicate ids (across all lexicon files) and terms that normalise to nothing or to the
same key as another term are problems reported with file, line and field. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shinsa.policy.builtin_kinds import BUILTIN_KINDS
from shinsa.policy.documents import PolicyDocument, content_hash
from shinsa.policy.errors import PolicyFileError
from shinsa.policy.kinds import LoadContext, PolicyKind, read_entries
from shinsa.policy.loader import load_policy_set
from shinsa.policy.reading import TableReader
from shinsa.policy.schemas import POLICY_AREAS, ItemsById, PolicyArea, Severity
from shinsa.screening.text.english import english_views
from shinsa.screening.text.japanese import japanese_views

LEXICONS = "lexicons"
LANGUAGES = ("ja", "en")
MAX_TERM_LENGTH = 100
MAX_VARIANTS = 20
_PATH_LANGUAGE = re.compile(r"^lexicons/([a-z]{2})/[^/]+\.toml$")


class MatchMode(StrEnum):
    """How a term matches: ``exact`` whole tokens/words of the surface text; ``substring`` anywhere in
    the surface text; ``normalized`` in the normalised text (Sudachi normalized forms for Japanese,
    leetspeak, inserted symbols, spaced letters and repeated letters undone for English, whole words)."""

    EXACT = "exact"
    SUBSTRING = "substring"
    NORMALIZED = "normalized"


@dataclass(frozen=True, kw_only=True, slots=True)
class LexiconTerm:
    id: str
    language: str
    term: str
    variants: tuple[str, ...]  # other spellings of the same term (kana, 当て字, a masked form)
    area: str  # policy area id
    severity: Severity
    match: MatchMode
    note: str | None
    source: str  # the file, relative to the policy directory
    keys: tuple[str, ...]  # the term and its variants as the matcher sees them

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "language": self.language,
            "term": self.term,
            "variants": list(self.variants),
            "area": self.area,
            "severity": self.severity.value,
            "match": self.match.value,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Lexicon:
    """The terms of one language. ``version`` is the hash of their content: the matcher builds its
    automaton once per version."""

    language: str
    terms: tuple[LexiconTerm, ...]
    version: str

    @classmethod
    def of(cls, language: str, terms: Iterable[LexiconTerm]) -> Lexicon:
        ordered = tuple(sorted(terms, key=lambda term: term.id))
        return cls(
            language=language, terms=ordered, version=content_hash([term.as_dict() for term in ordered])
        )

    def uses(self, mode: MatchMode) -> bool:
        return any(term.match is mode for term in self.terms)


@dataclass(frozen=True, kw_only=True, slots=True)
class Lexicons:
    by_language: Mapping[str, Lexicon]

    def for_language(self, language: str) -> Lexicon:
        """The lexicon of a language code (``ja-JP`` reads ``ja``); an empty one for other languages."""
        code = language.lower()[:2]
        return self.by_language.get(code) or Lexicon.of(code, ())


def term_key(text: str, *, language: str, match: MatchMode) -> str:
    """``text`` as the matcher compares it in ``match`` mode."""
    normalized = match is MatchMode.NORMALIZED
    if language == "ja":
        views = japanese_views(text, tokens=False, normalized=normalized)
    else:
        views = english_views(text, normalized=normalized)  # type: ignore[assignment]
    view = views.normalized if normalized else views.surface
    assert view is not None
    return view.text.strip()


def load_lexicons(context: LoadContext) -> Lexicons:
    areas: ItemsById[PolicyArea] = context.loaded[POLICY_AREAS]
    first_key: dict[tuple[str, MatchMode, str], tuple[str, str]] = {}

    def build(document: PolicyDocument, table: Any, keypath: tuple[str, int]) -> LexiconTerm:
        language = _language_of(document)
        reader = TableReader(
            document,
            table,
            keypath,
            required=("id", "term", "area", "severity", "match"),
            optional=("variants", "note"),
        )
        term_id = reader.identifier("id")
        term = reader.string("term", max_length=MAX_TERM_LENGTH)
        variants = reader.string_list("variants") if reader.has("variants") else ()
        if len(variants) > MAX_VARIANTS:
            raise reader.error("variants", f"at most {MAX_VARIANTS} variants, not {len(variants)}")
        for index, variant in enumerate(variants):
            if not variant.strip() or len(variant) > MAX_TERM_LENGTH:
                raise document.error(
                    (*keypath, "variants", index), f"must be 1 to {MAX_TERM_LENGTH} characters"
                )
        match = MatchMode(reader.choice("match", [mode.value for mode in MatchMode], what="match mode"))
        keys: list[str] = []
        for spelling, field in [(term, "term"), *((variant, "variants") for variant in variants)]:
            key = term_key(spelling, language=language, match=match)
            if not key:
                raise reader.error(
                    field, f"{spelling!r} is nothing but spaces, symbols or invisible characters"
                )
            owner = first_key.setdefault((language, match, key), (term_id, document.display_path))
            if owner[0] != term_id:
                raise reader.error(
                    field, f"{spelling!r} matches the same text as term {owner[0]!r} ({owner[1]})"
                )
            if key not in keys:
                keys.append(key)
        return LexiconTerm(
            id=term_id,
            language=language,
            term=term,
            variants=variants,
            area=reader.reference("area", areas, what="policy area"),
            severity=Severity(reader.choice("severity", [s.value for s in Severity], what="severity")),
            match=match,
            note=reader.string("note", max_length=500) if reader.has("note") else None,
            source=document.name,
            keys=tuple(keys),
        )

    readable = []
    for document in context.documents:
        try:
            _language_of(document)
        except PolicyFileError as problem:
            context.report(problem)
            continue
        readable.append(document)
    # Reports from read_entries go to the same problem list.
    checked = LoadContext(
        kind=context.kind,
        directory=context.directory,
        documents=tuple(readable),
        loaded=context.loaded,
        problems=context.problems,
    )
    terms = read_entries(checked, "terms", build, what="lexicon term")
    return Lexicons(
        by_language=MappingProxyType(
            {
                language: Lexicon.of(language, (term for term in terms if term.language == language))
                for language in LANGUAGES
            }
        )
    )


def _language_of(document: PolicyDocument) -> str:
    match = _PATH_LANGUAGE.match(document.name)
    if match is None or match.group(1) not in LANGUAGES:
        raise document.error((), f"lexicons live in lexicons/ja/ or lexicons/en/, not {document.name}")
    return match.group(1)


LEXICON_KIND = PolicyKind(
    name=LEXICONS,
    patterns=("lexicons/*/*.toml",),
    load=load_lexicons,
    requires=(POLICY_AREAS,),
    required=False,  # a policy directory without lexicons screens no text
)


def load_lexicon_directory(policy_dir: Path | str) -> Lexicons:
    """The lexicons of a policy directory without Django (benchmarks, scripts); raises InvalidPolicySet."""
    areas_kind = next(kind for kind in BUILTIN_KINDS if kind.name == POLICY_AREAS)
    return load_policy_set(policy_dir, kinds=[areas_kind, LEXICON_KIND]).kind(LEXICONS)
