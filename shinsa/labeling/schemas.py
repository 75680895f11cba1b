"""Label schemas as reviewed data (``policies/label_schemas/*.toml``), and checking one label against one.

A schema says what a labeler may mark: whole items (``classification``), time ranges on video
(``segments``), boxes on sampled frames (``frame_boxes``) or character spans of subtitle cues
(``cue_spans``); its classes (each may name the policy area and the descriptor of the rating vocabulary it
stands for) and per-label attributes with their allowed values. A schema's ``version`` is the content
hash of its parsed values, so a project records exactly the schema its labels were made under.
Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from shinsa.policy.documents import content_hash
from shinsa.policy.errors import PolicyFileError
from shinsa.policy.kinds import LoadContext, PolicyKind, read_entries
from shinsa.policy.reading import TableReader
from shinsa.policy.schemas import POLICY_AREAS, Bilingual, ItemsById

LABEL_SCHEMAS = "label_schemas"
RATINGS = "ratings"  # the rating policies' kind: its vocabulary holds the descriptors


class SchemaKind(StrEnum):
    CLASSIFICATION = "classification"
    SEGMENTS = "segments"
    FRAME_BOXES = "frame_boxes"
    CUE_SPANS = "cue_spans"


@dataclass(frozen=True, kw_only=True, slots=True)
class LabelClass:
    id: str
    name: Bilingual
    policy_area: str = ""
    descriptor: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Attribute:
    id: str
    name: Bilingual
    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class LabelSchema:
    id: str
    kind: SchemaKind
    name: Bilingual
    classes: tuple[LabelClass, ...]
    attributes: tuple[Attribute, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)  # as written, for snapshots

    @property
    def version(self) -> str:
        return content_hash(dict(self.raw))

    @property
    def class_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.classes)

    @property
    def timed(self) -> bool:
        return self.kind in (SchemaKind.SEGMENTS, SchemaKind.CUE_SPANS)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, **dict(self.raw)}


class LabelProblem(ValueError):
    """A label does not fit its schema; ``str()`` is one sentence (English; the glue translates codes)."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        super().__init__(detail)


@dataclass(frozen=True, kw_only=True, slots=True)
class LabelInput:
    """One mark as a labeler made it, before it is stored."""

    label: str
    start_ms: int | None = None
    end_ms: int | None = None
    cue_index: int | None = None
    text_start: int | None = None
    text_end: int | None = None
    frame_ms: int | None = None
    box: tuple[float, float, float, float] | None = None  # x, y, width, height as shares of the frame
    attributes: Mapping[str, str] = field(default_factory=dict)


def check_label(schema: LabelSchema, mark: LabelInput, *, duration_ms: int | None = None) -> None:
    """Raise ``LabelProblem`` when ``mark`` does not fit ``schema`` (and the media's duration, when known)."""
    if mark.label not in schema.class_ids:
        raise LabelProblem("unknown_class", f"unknown label {mark.label!r}")
    _check_attributes(schema, mark.attributes)
    if schema.kind is SchemaKind.SEGMENTS:
        if mark.start_ms is None or mark.end_ms is None or not 0 <= mark.start_ms < mark.end_ms:
            raise LabelProblem("bad_range", "a segment needs 0 <= start_ms < end_ms")
        if duration_ms is not None and mark.end_ms > duration_ms:
            raise LabelProblem("past_end", "a segment cannot end after the media")
    elif schema.kind is SchemaKind.CUE_SPANS:
        if mark.cue_index is None or mark.cue_index < 0:
            raise LabelProblem("no_cue", "a cue span names its cue")
        if mark.text_start is None or mark.text_end is None or not 0 <= mark.text_start < mark.text_end:
            raise LabelProblem("bad_span", "a cue span needs 0 <= text_start < text_end")
    elif schema.kind is SchemaKind.FRAME_BOXES:
        if mark.frame_ms is None or mark.frame_ms < 0:
            raise LabelProblem("no_frame", "a box names its frame time")
        if mark.box is None or not _box_inside(mark.box):
            raise LabelProblem("bad_box", "a box lies inside the frame with a positive size")


def _box_inside(box: tuple[float, float, float, float]) -> bool:
    x, y, width, height = box
    return 0 <= x and 0 <= y and width > 0 and height > 0 and x + width <= 1.0001 and y + height <= 1.0001


def _check_attributes(schema: LabelSchema, given: Mapping[str, str]) -> None:
    known = {a.id: a for a in schema.attributes}
    for key, value in given.items():
        if key not in known:
            raise LabelProblem("unknown_attribute", f"unknown attribute {key!r}")
        if value not in known[key].values:
            raise LabelProblem("bad_attribute", f"attribute {key!r} cannot be {value!r}")
    for attribute in schema.attributes:
        if attribute.required and attribute.id not in given:
            raise LabelProblem("missing_attribute", f"attribute {attribute.id!r} is required")


# --- the policy kind ------------------------------------------------------------------------------


def load_label_schemas(context: LoadContext) -> ItemsById[LabelSchema]:
    areas = context.loaded[POLICY_AREAS]
    ratings = context.loaded.get(RATINGS)
    descriptors = set(ratings.vocabulary.descriptors) if ratings is not None else None

    def build(document: Any, table: Any, keypath: tuple[str, int]) -> LabelSchema:
        reader = TableReader(
            document, table, keypath, required=("id", "kind", "name", "classes"), optional=("attributes",)
        )
        classes = []
        for entry in reader.table_list(
            "classes", required=("id", "name"), optional=("policy_area", "descriptor")
        ):
            descriptor = entry.string("descriptor") if entry.has("descriptor") else ""
            if descriptor and descriptors is not None and descriptor not in descriptors:
                raise entry.error("descriptor", f"unknown descriptor {descriptor!r}")
            classes.append(
                LabelClass(
                    id=entry.identifier("id"),
                    name=entry.bilingual("name"),
                    policy_area=entry.reference("policy_area", areas, what="policy area")
                    if entry.has("policy_area")
                    else "",
                    descriptor=descriptor,
                )
            )
        if not classes:
            raise reader.error("classes", "needs at least one class")
        if len({c.id for c in classes}) != len(classes):
            raise reader.error("classes", "class ids must be unique")
        attributes = []
        if reader.has("attributes"):
            for entry in reader.table_list(
                "attributes", required=("id", "name", "values"), optional=("required",)
            ):
                attributes.append(
                    Attribute(
                        id=entry.identifier("id"),
                        name=entry.bilingual("name"),
                        values=entry.string_list("values", min_items=1),
                        required=entry.boolean("required") if entry.has("required") else False,
                    )
                )
        return LabelSchema(
            id=reader.identifier("id"),
            kind=SchemaKind(reader.choice("kind", [k.value for k in SchemaKind], what="schema kind")),
            name=reader.bilingual("name"),
            classes=tuple(classes),
            attributes=tuple(attributes),
            raw=dict(table),
        )

    return read_entries(context, "schemas", build, what="label schema")


LABEL_SCHEMAS_KIND = PolicyKind(
    name=LABEL_SCHEMAS,
    patterns=("label_schemas/*.toml",),
    load=load_label_schemas,
    requires=(POLICY_AREAS, RATINGS),
    required=False,
)


def schema_from_json(data: Mapping[str, Any]) -> LabelSchema:
    """The schema a project or snapshot stored (``LabelSchema.as_json``), read back without the loader."""
    try:
        raw = {key: value for key, value in data.items() if key not in ("id", "version")}
        raw["id"] = data["id"]
        return LabelSchema(
            id=str(data["id"]),
            kind=SchemaKind(raw["kind"]),
            name=Bilingual(ja=raw["name"]["ja"], en=raw["name"]["en"]),
            classes=tuple(
                LabelClass(
                    id=c["id"],
                    name=Bilingual(ja=c["name"]["ja"], en=c["name"]["en"]),
                    policy_area=c.get("policy_area", ""),
                    descriptor=c.get("descriptor", ""),
                )
                for c in raw["classes"]
            ),
            attributes=tuple(
                Attribute(
                    id=a["id"],
                    name=Bilingual(ja=a["name"]["ja"], en=a["name"]["en"]),
                    values=tuple(a["values"]),
                    required=bool(a.get("required", False)),
                )
                for a in raw.get("attributes", ())
            ),
            raw=raw,
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise PolicyFileError("schema", f"not a label schema: {error}") from None
