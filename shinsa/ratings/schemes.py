"""Rating schemes (``policies/rating_schemes/<id>.toml``): levels, rules, advice and bucket mappings.

The loader is strict: unknown keys, wrong types, unknown descriptors, contexts or level codes, ladders
that are not monotonic, duplicate ids (within a file or across files) all stop loading with a
``PolicyFileError`` naming the file, the line and the field. See docs/ratings.md for the format.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.advice import AdvicePolicy, AdviceTopic
from shinsa.ratings.plan import RatingPlan
from shinsa.ratings.policy_file import Bilingual, FieldPath, PolicyDocument
from shinsa.ratings.rules import (
    Condition,
    ContextRule,
    CountRule,
    LadderRule,
    ReferRule,
    Rule,
    ShiftRule,
)
from shinsa.ratings.vocabulary import ID_PATTERN, SLUG_PATTERN, Vocabulary

RESTRICTIONS = ("advisory", "restrictive", "refused")
RULE_KINDS = ("ladder", "shift", "context", "count", "refer")
TERRITORY_PATTERN = re.compile(r"[A-Z]{2}|\*")
ALL_DESCRIPTORS = "*"
GOLDEN_SUFFIX = ".golden.toml"

_SCHEME_KEYS = (
    "id",
    "version",
    "name",
    "territory",
    "authority",
    "medium",
    "self_classification",
    "self_classification_note",
    "sources",
    "levels",
    "rules",
    "advice",
)
_COMMON_RULE_KEYS = ("id", "kind", "basis", "descriptors")
_RULE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required beyond the common keys, optional)
    "ladder": (("levels",), ("contexts",)),
    "shift": (("steps",), ("contexts", "any_contexts", "min_intensity", "max_intensity")),
    "context": (("min_intensity", "level"), ("contexts", "any_contexts")),
    "count": (("min_intensity", "min_count", "level"), ("contexts", "any_contexts")),
    "refer": (("min_intensity", "note"), ("contexts", "any_contexts", "at_levels", "deciding")),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    code: str
    # The age the authority names for the level (None where it names none, e.g. MPA PG).
    age: int | None
    restriction: str
    # False: only ever issued by the authority (BBFC 12A is cinema-only), never proposed by the engine.
    proposable: bool
    meaning: Bilingual


@dataclass(frozen=True, slots=True, kw_only=True)
class BucketMapping:
    """A published table from another scheme's levels to this scheme's levels (Prime's buckets)."""

    source: str
    basis: str
    codes: Mapping[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Scheme:
    id: str
    path: Path
    version: str
    content_hash: str
    name: Bilingual
    territory: str
    authority: Bilingual
    medium: str
    self_classification: bool
    self_classification_note: Bilingual
    sources: tuple[str, ...]
    levels: tuple[Level, ...]
    rules: tuple[Rule, ...]
    advice: AdvicePolicy
    mappings: tuple[BucketMapping, ...]
    plan: RatingPlan = field(compare=False, repr=False)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    def level_index(self, code: str) -> int:
        return self.codes.index(code)


def scheme_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.toml") if not path.name.endswith(GOLDEN_SUFFIX))


def load_schemes(directory: Path, vocabulary: Vocabulary) -> dict[str, Scheme]:
    """Loads every scheme file of ``directory`` (sorted by file name), keyed by scheme id."""
    if not directory.is_dir():
        raise PolicyFileError(str(directory), "the rating scheme folder does not exist")
    files = scheme_files(directory)
    if not files:
        raise PolicyFileError(str(directory), "holds no rating scheme (*.toml)")
    schemes: dict[str, Scheme] = {}
    documents: dict[str, PolicyDocument] = {}
    for path in files:
        doc = PolicyDocument.read(path)
        scheme = _read_scheme(doc, vocabulary)
        if scheme.id in schemes:
            raise doc.error(
                ("id",), f"scheme id {scheme.id!r} is already used by {schemes[scheme.id].path.name}"
            )
        schemes[scheme.id] = scheme
        documents[scheme.id] = doc
    for scheme in schemes.values():
        _check_mappings(documents[scheme.id], scheme, schemes)
    return schemes


def _read_scheme(doc: PolicyDocument, vocabulary: Vocabulary) -> Scheme:
    top = doc.table(doc.data, (), required=_SCHEME_KEYS, optional=("mappings",))
    levels = _read_levels(doc, top["levels"])
    codes = {level.code: index for index, level in enumerate(levels)}
    reader = _RuleReader(doc, vocabulary, codes, levels)
    rules = tuple(
        reader.rule(raw, ("rules", index))
        for index, raw in enumerate(doc.array(top["rules"], ("rules",), min_items=1))
    )
    reader.check_ladders_cover(rules)
    advice = reader.advice(top["advice"])
    scheme_id = doc.string(top["id"], ("id",), pattern=ID_PATTERN)
    plan = RatingPlan(
        vocabulary=vocabulary,
        ladders=tuple(rule for rule in rules if isinstance(rule, LadderRule)),
        shifts=tuple(rule for rule in rules if isinstance(rule, ShiftRule)),
        context_rules=tuple(rule for rule in rules if isinstance(rule, ContextRule)),
        count_rules=tuple(rule for rule in rules if isinstance(rule, CountRule)),
        refer_rules=tuple(rule for rule in rules if isinstance(rule, ReferRule)),
        advice=advice,
        proposable=tuple(index for index, level in enumerate(levels) if level.proposable),
    )
    for descriptor in vocabulary.descriptors.values():
        problem = plan.monotonicity_problem(descriptor.id, descriptor.max_intensity)
        if problem:
            raise doc.error(("rules",), f"not monotonic: {problem}")
    return Scheme(
        id=scheme_id,
        path=doc.path,
        version=doc.string(top["version"], ("version",)),
        content_hash=hashlib.sha256(doc.path.read_bytes()).hexdigest(),
        name=doc.bilingual(top["name"], ("name",)),
        territory=doc.string(top["territory"], ("territory",), pattern=TERRITORY_PATTERN),
        authority=doc.bilingual(top["authority"], ("authority",)),
        medium=doc.string(top["medium"], ("medium",)),
        self_classification=doc.boolean(top["self_classification"], ("self_classification",)),
        self_classification_note=doc.bilingual(
            top["self_classification_note"], ("self_classification_note",)
        ),
        sources=doc.strings(top["sources"], ("sources",), min_items=1),
        levels=levels,
        rules=rules,
        advice=advice,
        mappings=_read_mappings(doc, top.get("mappings", [])),
        plan=plan,
    )


def _read_levels(doc: PolicyDocument, raw: Any) -> tuple[Level, ...]:
    levels: list[Level] = []
    seen: set[str] = set()
    for index, item in enumerate(doc.array(raw, ("levels",), min_items=2)):
        where: FieldPath = ("levels", index)
        table = doc.table(
            item, where, required=("code", "restriction", "meaning"), optional=("age", "proposable")
        )
        code = doc.string(table["code"], (*where, "code"))
        if code != code.strip():
            raise doc.error((*where, "code"), f"{code!r} has surrounding spaces")
        if code in seen:
            raise doc.error((*where, "code"), f"level code {code!r} is listed twice")
        seen.add(code)
        age = doc.integer(table["age"], (*where, "age"), minimum=0, maximum=25) if "age" in table else None
        levels.append(
            Level(
                code=code,
                age=age,
                restriction=doc.one_of(table["restriction"], (*where, "restriction"), RESTRICTIONS),
                proposable=doc.boolean(table.get("proposable", True), (*where, "proposable")),
                meaning=doc.bilingual(table["meaning"], (*where, "meaning")),
            )
        )
    # Levels run least to most restrictive: the ages the authority names never go down.
    last_age = (-1, -1)
    for index, level in enumerate(levels):
        if level.age is not None:
            if level.age < last_age[1]:
                raise doc.error(
                    ("levels", index, "age"),
                    f"levels must run from least to most restrictive, but age {level.age} of {level.code!r} "
                    f"is below age {last_age[1]} of {levels[last_age[0]].code!r}",
                )
            last_age = (index, level.age)
    if not levels[0].proposable:
        raise doc.error(("levels", 0, "proposable"), "the lowest level must be proposable")
    return tuple(levels)


class _RuleReader:
    """Reads rules and advice against one scheme's levels and the vocabulary."""

    def __init__(
        self, doc: PolicyDocument, vocabulary: Vocabulary, codes: dict[str, int], levels: Sequence[Level]
    ) -> None:
        self.doc = doc
        self.vocabulary = vocabulary
        self.codes = codes
        self.levels = levels
        self.rule_ids: set[str] = set()
        self.scale_max = len(vocabulary.scale) - 1

    def level(self, value: Any, where: FieldPath, *, proposed: bool = True) -> int:
        code = self.doc.string(value, where)
        if code not in self.codes:
            raise self.doc.error(where, f"level {code!r} is not in this scheme ({', '.join(self.codes)})")
        index = self.codes[code]
        if proposed and not self.levels[index].proposable:
            raise self.doc.error(where, f"level {code!r} is marked not proposable, so no rule may give it")
        return index

    def condition(self, table: Mapping[str, Any], where: FieldPath, *, intensity_range: bool) -> Condition:
        names = self.doc.strings(table["descriptors"], (*where, "descriptors"), min_items=1)
        if ALL_DESCRIPTORS in names:
            if len(names) > 1:
                raise self.doc.error((*where, "descriptors"), '"*" (every descriptor) must stand alone')
            descriptors = None
        else:
            for index, name in enumerate(names):
                if name not in self.vocabulary.descriptors:
                    raise self.doc.error((*where, "descriptors", index), f"unknown descriptor {name!r}")
            descriptors = frozenset(names)
        tags = self.context_list(table, (*where, "contexts"))
        any_tags = self.context_list(table, (*where, "any_contexts"))
        if len(any_tags) == 1:
            raise self.doc.error((*where, "any_contexts"), "lists one tag: put it in 'contexts'")
        minimum, maximum = 1, None
        if intensity_range:
            minimum = self.intensity(table.get("min_intensity", 1), (*where, "min_intensity"), minimum=1)
            if "max_intensity" in table:
                maximum = self.intensity(table["max_intensity"], (*where, "max_intensity"), minimum=minimum)
        return Condition(
            descriptors=descriptors,
            contexts=frozenset(tags),
            any_contexts=frozenset(any_tags),
            min_intensity=minimum,
            max_intensity=maximum,
        )

    def context_list(self, table: Mapping[str, Any], where: FieldPath) -> tuple[str, ...]:
        key = where[-1]
        tags = self.doc.strings(table.get(key, []), where)
        for index, tag in enumerate(tags):
            if tag not in self.vocabulary.contexts:
                raise self.doc.error((*where, index), f"unknown context {tag!r}")
        return tags

    def intensity(self, value: Any, where: FieldPath, *, minimum: int) -> int:
        return self.doc.integer(value, where, minimum=minimum, maximum=self.scale_max)

    def rule(self, raw: Any, where: FieldPath) -> Rule:
        doc = self.doc
        if not isinstance(raw, dict):
            raise doc.error(where, "must be a table")
        if "kind" not in raw:
            raise doc.error(where, f"missing required key 'kind' (one of {', '.join(RULE_KINDS)})")
        kind = doc.one_of(raw["kind"], (*where, "kind"), RULE_KINDS)
        required, optional = _RULE_KEYS[kind]
        table = doc.table(raw, where, required=(*_COMMON_RULE_KEYS, *required), optional=optional)
        rule_id = doc.string(table["id"], (*where, "id"), pattern=SLUG_PATTERN)
        if rule_id in self.rule_ids:
            raise doc.error((*where, "id"), f"rule id {rule_id!r} is used twice in this scheme")
        self.rule_ids.add(rule_id)
        basis = doc.string(table["basis"], (*where, "basis"))
        when = self.condition(table, where, intensity_range=kind != "ladder")
        if kind == "ladder":
            return LadderRule(
                id=rule_id, basis=basis, when=when, levels=self.ladder_levels(table, where, when)
            )
        if kind == "shift":
            steps = doc.integer(
                table["steps"], (*where, "steps"), minimum=-len(self.levels), maximum=len(self.levels)
            )
            if steps == 0:
                raise doc.error((*where, "steps"), "must not be 0")
            return ShiftRule(id=rule_id, basis=basis, when=when, steps=steps)
        if kind == "context":
            return ContextRule(
                id=rule_id, basis=basis, when=when, level=self.level(table["level"], (*where, "level"))
            )
        if kind == "count":
            return CountRule(
                id=rule_id,
                basis=basis,
                when=when,
                min_count=doc.integer(table["min_count"], (*where, "min_count"), minimum=2),
                level=self.level(table["level"], (*where, "level")),
            )
        return ReferRule(
            id=rule_id,
            basis=basis,
            when=when,
            at_levels=self.level_set(table, (*where, "at_levels")),
            deciding=doc.boolean(table.get("deciding", False), (*where, "deciding")),
            note=doc.bilingual(table["note"], (*where, "note")),
        )

    def level_set(self, table: Mapping[str, Any], where: FieldPath) -> frozenset[int] | None:
        if "at_levels" not in table:
            return None
        codes = self.doc.strings(table["at_levels"], where, min_items=1)
        return frozenset(
            self.level(code, (*where, index), proposed=False) for index, code in enumerate(codes)
        )

    def ladder_levels(self, table: Mapping[str, Any], where: FieldPath, when: Condition) -> tuple[int, ...]:
        doc = self.doc
        at = (*where, "levels")
        codes = doc.strings(table["levels"], at, unique=False)
        row = tuple(self.level(code, (*at, index)) for index, code in enumerate(codes))
        covered = [d for d in self.vocabulary.descriptors.values() if when.covers(d.id)]
        for descriptor in covered:
            if len(row) != descriptor.max_intensity + 1:
                raise doc.error(
                    at,
                    f"needs one level per intensity 0-{descriptor.max_intensity} of {descriptor.id} "
                    f"({descriptor.max_intensity + 1} levels), not {len(row)}",
                )
        if row and row[0] != 0:
            raise doc.error(
                (*at, 0), f"intensity 0 (none) must give the lowest level {self.levels[0].code!r}"
            )
        for index in range(1, len(row)):
            if row[index] < row[index - 1]:
                raise doc.error((*at, index), "levels must not go down as intensity rises")
        return row

    def check_ladders_cover(self, rules: Sequence[Rule]) -> None:
        """Each descriptor has exactly one plain (tag-free) ladder: a named one, else the catch-all."""
        plain = [
            (index, rule)
            for index, rule in enumerate(rules)
            if isinstance(rule, LadderRule) and not rule.when.contexts
        ]
        catch_all = [index for index, rule in plain if rule.when.descriptors is None]
        if len(catch_all) > 1:
            raise self.doc.error(("rules", catch_all[1]), 'a second plain ladder for every descriptor ("*")')
        owner: dict[str, int] = {}
        for index, rule in plain:
            for name in sorted(rule.when.descriptors or ()):
                if name in owner:
                    raise self.doc.error(
                        ("rules", index, "descriptors"),
                        f"{name!r} already has a plain ladder (rule {rules[owner[name]].id!r})",
                    )
                owner[name] = index
        if not catch_all:
            missing = [name for name in self.vocabulary.descriptors if name not in owner]
            if missing:
                raise self.doc.error(("rules",), f"no ladder for {', '.join(missing)} (add a '*' ladder)")

    def advice(self, raw: Any) -> AdvicePolicy:
        doc = self.doc
        table = doc.table(
            raw, ("advice",), required=("topics",), optional=("from_level", "max_items", "phrases")
        )
        phrases = self.phrases(table, ("advice",)) if "phrases" in table else None
        topics: list[AdviceTopic] = []
        topic_ids: set[str] = set()
        for index, item in enumerate(doc.array(table["topics"], ("advice", "topics"), min_items=1)):
            where = ("advice", "topics", index)
            topic = doc.table(
                item,
                where,
                required=("id", "descriptors"),
                optional=(
                    "contexts",
                    "any_contexts",
                    "min_intensity",
                    "at_levels",
                    "name",
                    "phrases",
                    "text",
                ),
            )
            topic_id = doc.string(topic["id"], (*where, "id"), pattern=SLUG_PATTERN)
            if topic_id in topic_ids:
                raise doc.error((*where, "id"), f"advice topic {topic_id!r} is listed twice")
            topic_ids.add(topic_id)
            topics.append(
                AdviceTopic(
                    id=topic_id,
                    when=self.condition(topic, where, intensity_range=True),
                    at_levels=self.level_set(topic, (*where, "at_levels")),
                    texts=self.topic_texts(topic, where, phrases),
                )
            )
        return AdvicePolicy(
            from_level=self.level(table["from_level"], ("advice", "from_level"), proposed=False)
            if "from_level" in table
            else 0,
            max_items=doc.integer(table["max_items"], ("advice", "max_items"), minimum=1)
            if "max_items" in table
            else None,
            topics=tuple(topics),
        )

    def phrases(self, table: Mapping[str, Any], where: FieldPath) -> tuple[Bilingual, ...]:
        at = (*where, "phrases")
        items = self.doc.array(table["phrases"], at)
        if len(items) != self.scale_max:
            raise self.doc.error(at, f"needs one phrase per intensity 1-{self.scale_max}, not {len(items)}")
        return tuple(self.doc.bilingual(item, (*at, index)) for index, item in enumerate(items))

    def topic_texts(
        self, topic: Mapping[str, Any], where: FieldPath, scheme_phrases: tuple[Bilingual, ...] | None
    ) -> tuple[Bilingual | None, ...]:
        """Text per intensity: a fixed ``text``, or phrases (the topic's own, else the scheme's) with
        ``{topic}`` replaced by the topic's ``name``."""
        doc = self.doc
        if "text" in topic:
            for key in ("name", "phrases"):
                if key in topic:
                    raise doc.error((*where, key), f"a topic with a fixed 'text' takes no '{key}'")
            text = doc.bilingual(topic["text"], (*where, "text"))
            return (None, *([text] * self.scale_max))
        phrases = self.phrases(topic, where) if "phrases" in topic else scheme_phrases
        if phrases is None:
            raise doc.error(where, "needs 'text', its own 'phrases', or [advice] phrases with a 'name'")
        if "name" not in topic:
            if any("{topic}" in phrase.en or "{topic}" in phrase.ja for phrase in phrases):
                raise doc.error(where, "its phrases use {topic}, so it needs a 'name'")
            return (None, *phrases)
        name = doc.bilingual(topic["name"], (*where, "name"))
        return (
            None,
            *(
                Bilingual(en=phrase.en.replace("{topic}", name.en), ja=phrase.ja.replace("{topic}", name.ja))
                for phrase in phrases
            ),
        )


def _read_mappings(doc: PolicyDocument, raw: Any) -> tuple[BucketMapping, ...]:
    mappings: list[BucketMapping] = []
    for index, item in enumerate(doc.array(raw, ("mappings",))):
        where = ("mappings", index)
        table = doc.table(item, where, required=("from", "basis", "codes"))
        codes = table["codes"]
        if not isinstance(codes, dict) or not codes:
            raise doc.error((*where, "codes"), "must be a non-empty table of source code = bucket code")
        for code, target in codes.items():
            doc.string(target, (*where, "codes", code))
        mappings.append(
            BucketMapping(
                source=doc.string(table["from"], (*where, "from"), pattern=ID_PATTERN),
                basis=doc.string(table["basis"], (*where, "basis")),
                codes=dict(codes),
            )
        )
    return tuple(mappings)


def _check_mappings(doc: PolicyDocument, scheme: Scheme, schemes: Mapping[str, Scheme]) -> None:
    """A mapping names a loaded scheme, only its level codes, only our codes, and never goes down."""
    sources: set[str] = set()
    for index, mapping in enumerate(scheme.mappings):
        where = ("mappings", index)
        source = schemes.get(mapping.source)
        if source is None:
            raise doc.error((*where, "from"), f"unknown scheme {mapping.source!r}")
        if mapping.source == scheme.id:
            raise doc.error((*where, "from"), "a scheme cannot map from itself")
        if mapping.source in sources:
            raise doc.error((*where, "from"), f"a second mapping from {mapping.source!r}")
        sources.add(mapping.source)
        previous: tuple[str, int] | None = None
        for code in source.codes:
            if code not in mapping.codes:
                continue
            target = mapping.codes[code]
            if target not in scheme.codes:
                raise doc.error((*where, "codes", code), f"{target!r} is not a level of {scheme.id}")
            rank = scheme.level_index(target)
            if previous is not None and rank < previous[1]:
                raise doc.error(
                    (*where, "codes", code),
                    f"{mapping.source} {code!r} maps below {previous[0]!r}: a mapping must not go down",
                )
            previous = (code, rank)
        for code in mapping.codes:
            if code not in source.codes:
                raise doc.error((*where, "codes", code), f"{code!r} is not a level of {mapping.source}")
