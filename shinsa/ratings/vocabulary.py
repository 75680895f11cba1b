"""The descriptor vocabulary (``policies/descriptors.toml``): content dimensions, intensities, context tags.

Every rating scheme speaks this vocabulary: a reviewer records findings once (descriptor, intensity,
time range, context tags) and each scheme turns them into its own level.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from shinsa.ratings.policy_file import Bilingual, PolicyDocument

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
# Ids of rules, topics and cases may also use "-" and ".".
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]*")
CONTEXT_EFFECTS = ("raises", "lowers", "neutral")


@dataclass(frozen=True, slots=True, kw_only=True)
class IntensityLevel:
    intensity: int
    meaning: Bilingual
    examples_en: tuple[str, ...]
    examples_ja: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Descriptor:
    id: str
    name: Bilingual
    definition: Bilingual
    # Intensities 1..max; 0 always means "none" and is not listed.
    levels: tuple[IntensityLevel, ...]

    @property
    def max_intensity(self) -> int:
        return len(self.levels)


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    id: str
    name: Bilingual
    meaning: Bilingual
    effect: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NotRateable:
    """Findings that are never a rating question (e.g. sexual content with a minor: the legal path)."""

    id: str
    descriptors: frozenset[str]
    contexts: frozenset[str]
    min_intensity: int
    reason: Bilingual


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    path: Path
    version: str
    content_hash: str
    scale: tuple[Bilingual, ...]
    descriptors: dict[str, Descriptor]
    contexts: dict[str, Context]
    not_rateable: tuple[NotRateable, ...]


def load_vocabulary(path: Path) -> Vocabulary:
    """Reads and validates ``descriptors.toml``; raises PolicyFileError naming file, line and field."""
    doc = PolicyDocument.read(path)
    top = doc.table(
        doc.data, (), required=("version", "scale", "contexts", "descriptors"), optional=("not_rateable",)
    )
    version = doc.string(top["version"], ("version",))
    scale_items = doc.array(top["scale"], ("scale",), min_items=2)
    scale = tuple(doc.bilingual(item, ("scale", index)) for index, item in enumerate(scale_items))

    contexts: dict[str, Context] = {}
    for index, raw in enumerate(doc.array(top["contexts"], ("contexts",), min_items=1)):
        where = ("contexts", index)
        table = doc.table(raw, where, required=("id", "name", "meaning", "effect"))
        context_id = doc.string(table["id"], (*where, "id"), pattern=ID_PATTERN)
        if context_id in contexts:
            raise doc.error((*where, "id"), f"context {context_id!r} is defined twice")
        contexts[context_id] = Context(
            id=context_id,
            name=doc.bilingual(table["name"], (*where, "name")),
            meaning=doc.bilingual(table["meaning"], (*where, "meaning")),
            effect=doc.one_of(table["effect"], (*where, "effect"), CONTEXT_EFFECTS),
        )

    descriptors: dict[str, Descriptor] = {}
    for index, raw in enumerate(doc.array(top["descriptors"], ("descriptors",), min_items=1)):
        descriptor = _read_descriptor(doc, raw, ("descriptors", index), len(scale) - 1)
        if descriptor.id in descriptors:
            raise doc.error(("descriptors", index, "id"), f"descriptor {descriptor.id!r} is defined twice")
        if descriptor.id in contexts:
            raise doc.error(("descriptors", index, "id"), f"{descriptor.id!r} is already a context id")
        descriptors[descriptor.id] = descriptor

    not_rateable: list[NotRateable] = []
    for index, raw in enumerate(doc.array(top.get("not_rateable", []), ("not_rateable",))):
        where = ("not_rateable", index)
        table = doc.table(raw, where, required=("id", "descriptors", "contexts", "min_intensity", "reason"))
        named = doc.strings(table["descriptors"], (*where, "descriptors"), min_items=1)
        for position, name in enumerate(named):
            if name not in descriptors:
                raise doc.error((*where, "descriptors", position), f"unknown descriptor {name!r}")
        tags = doc.strings(table["contexts"], (*where, "contexts"))
        for position, name in enumerate(tags):
            if name not in contexts:
                raise doc.error((*where, "contexts", position), f"unknown context {name!r}")
        not_rateable.append(
            NotRateable(
                id=doc.string(table["id"], (*where, "id"), pattern=SLUG_PATTERN),
                descriptors=frozenset(named),
                contexts=frozenset(tags),
                min_intensity=doc.integer(table["min_intensity"], (*where, "min_intensity"), minimum=1),
                reason=doc.bilingual(table["reason"], (*where, "reason")),
            )
        )

    return Vocabulary(
        path=path,
        version=version,
        content_hash=hashlib.sha256(path.read_bytes()).hexdigest(),
        scale=scale,
        descriptors=descriptors,
        contexts=contexts,
        not_rateable=tuple(not_rateable),
    )


def _read_descriptor(doc: PolicyDocument, raw: object, where: tuple, scale_max: int) -> Descriptor:
    table = doc.table(raw, where, required=("id", "name", "definition", "levels"))
    levels: list[IntensityLevel] = []
    for index, item in enumerate(doc.array(table["levels"], (*where, "levels"), min_items=1)):
        at = (*where, "levels", index)
        level = doc.table(item, at, required=("intensity", "meaning", "examples"))
        intensity = doc.integer(level["intensity"], (*at, "intensity"))
        if intensity != index + 1:
            raise doc.error(
                (*at, "intensity"), f"intensities must run 1, 2, 3, ... in order; expected {index + 1}"
            )
        examples = doc.table(level["examples"], (*at, "examples"), required=("en", "ja"))
        levels.append(
            IntensityLevel(
                intensity=intensity,
                meaning=doc.bilingual(level["meaning"], (*at, "meaning")),
                examples_en=doc.strings(examples["en"], (*at, "examples", "en"), min_items=1),
                examples_ja=doc.strings(examples["ja"], (*at, "examples", "ja"), min_items=1),
            )
        )
    if len(levels) > scale_max:
        raise doc.error(
            (*where, "levels"), f"has {len(levels)} intensities but the scale stops at {scale_max}"
        )
    return Descriptor(
        id=doc.string(table["id"], (*where, "id"), pattern=ID_PATTERN),
        name=doc.bilingual(table["name"], (*where, "name")),
        definition=doc.bilingual(table["definition"], (*where, "definition")),
        levels=tuple(levels),
    )
