"""The kinds of policy file Shinsa reads itself: areas, clauses, report reasons, wellness, SLAs, queues.

Every loader is strict: unknown keys, wrong types, unknown references and duplicate ids are problems,
reported with file, line and field.
"""

from __future__ import annotations

import re
from typing import Any

from shinsa.accounts.skills import LANGUAGE_CODES, MAX_CLEARANCE, TERRITORY_CODES, language_problem
from shinsa.policy.documents import PolicyDocument, content_hash
from shinsa.policy.kinds import LoadContext, PolicyKind, read_entries
from shinsa.policy.reading import TableReader
from shinsa.policy.schemas import (
    CLAUSES,
    DSA_CATEGORIES,
    POLICY_AREAS,
    QUEUES,
    REPORT_REASONS,
    SLAS,
    WELLNESS_PRESETS,
    Clause,
    ItemsById,
    LanguageRequirement,
    PolicyArea,
    Priority,
    Queue,
    ReportReason,
    Severity,
    Sla,
    WellnessPreset,
)

CLAUSE_ID = re.compile(r"^[A-Z]{2,5}-\d+(\.\d+)*$")
CLAUSE_PREFIX = re.compile(r"^[A-Z]{2,5}$")
NAME_LENGTH = 120
HOURS_IN_A_YEAR = 8760
PRIORITY_ORDER = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)

KeyPath = tuple[str, int]


def load_policy_areas(context: LoadContext) -> ItemsById[PolicyArea]:
    prefix_owner: dict[str, str] = {}

    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> PolicyArea:
        reader = TableReader(
            document,
            table,
            keypath,
            required=("id", "name", "description", "severity", "clause_prefix"),
            optional=("dsa_category",),
        )
        area = PolicyArea(
            id=reader.identifier("id"),
            name=reader.bilingual("name", max_length=NAME_LENGTH),
            description=reader.bilingual("description"),
            severity=Severity(reader.choice("severity", [s.value for s in Severity], what="severity")),
            clause_prefix=reader.string("clause_prefix", pattern=CLAUSE_PREFIX),
            dsa_category=(
                reader.choice("dsa_category", DSA_CATEGORIES, what="DSA category")
                if reader.has("dsa_category")
                else None
            ),
        )
        owner = prefix_owner.setdefault(area.clause_prefix, area.id)
        if owner != area.id:
            raise reader.error(
                "clause_prefix", f"{area.clause_prefix!r} is already the prefix of area {owner!r}"
            )
        return area

    return read_entries(context, "areas", build, what="policy area")


def load_wellness_presets(context: LoadContext) -> ItemsById[WellnessPreset]:
    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> WellnessPreset:
        reader = TableReader(
            document,
            table,
            keypath,
            required=("id", "name", "blur", "greyscale", "mute", "reveal_steps", "exposure_weight"),
        )
        return WellnessPreset(
            id=reader.identifier("id"),
            name=reader.bilingual("name", max_length=NAME_LENGTH),
            blur=reader.boolean("blur"),
            greyscale=reader.boolean("greyscale"),
            mute=reader.boolean("mute"),
            reveal_steps=reader.integer("reveal_steps", minimum=0, maximum=10),
            exposure_weight=reader.number("exposure_weight", minimum=0.0, maximum=10.0),
        )

    return read_entries(context, "categories", build, what="wellness category")


def load_clauses(context: LoadContext) -> ItemsById[Clause]:
    areas: ItemsById[PolicyArea] = context.loaded[POLICY_AREAS]

    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> Clause:
        reader = TableReader(
            document,
            table,
            keypath,
            required=("id", "area", "title", "text", "effective"),
            optional=("legal_basis",),
        )
        clause_id = reader.string("id", pattern=CLAUSE_ID, max_length=32)
        area_id = reader.reference("area", areas, what="policy area")
        prefix = areas[area_id].clause_prefix
        if clause_id.split("-")[0] != prefix:
            raise reader.error(
                "id", f"clause ids of area {area_id!r} start with {prefix}-, not {clause_id!r}"
            )
        return Clause(
            id=clause_id,
            area=area_id,
            title=reader.bilingual("title", max_length=200),
            text=reader.bilingual("text"),
            effective=reader.date("effective"),
            legal_basis=reader.bilingual("legal_basis", max_length=500)
            if reader.has("legal_basis")
            else None,
            version=content_hash(table),
            source=document.name,
        )

    return read_entries(context, "clauses", build, what="clause")


def load_report_reasons(context: LoadContext) -> ItemsById[ReportReason]:
    areas: ItemsById[PolicyArea] = context.loaded[POLICY_AREAS]

    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> ReportReason:
        reader = TableReader(document, table, keypath, required=("id", "area", "label", "priority"))
        return ReportReason(
            id=reader.identifier("id"),
            area=reader.reference("area", areas, what="policy area"),
            label=reader.bilingual("label", max_length=NAME_LENGTH),
            priority=Priority(reader.choice("priority", [p.value for p in Priority], what="priority")),
        )

    return read_entries(context, "reasons", build, what="report reason")


def load_slas(context: LoadContext) -> ItemsById[Sla]:
    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> Sla:
        reader = TableReader(document, table, keypath, required=("id", "name", "hours"))
        hours_reader = reader.table_reader("hours", required=[p.value for p in PRIORITY_ORDER])
        hours = {p: hours_reader.integer(p.value, minimum=1, maximum=HOURS_IN_A_YEAR) for p in PRIORITY_ORDER}
        # A more urgent priority never gets more time than a less urgent one.
        for more_urgent, less_urgent in zip(PRIORITY_ORDER, PRIORITY_ORDER[1:], strict=False):
            if hours[more_urgent] > hours[less_urgent]:
                raise hours_reader.error(
                    more_urgent.value,
                    f"{more_urgent.value} ({hours[more_urgent]} h) must not exceed "
                    f"{less_urgent.value} ({hours[less_urgent]} h)",
                )
        return Sla(
            id=reader.identifier("id"),
            name=reader.bilingual("name", max_length=NAME_LENGTH),
            urgent_hours=hours[Priority.URGENT],
            high_hours=hours[Priority.HIGH],
            normal_hours=hours[Priority.NORMAL],
            low_hours=hours[Priority.LOW],
        )

    return read_entries(context, "slas", build, what="SLA")


def load_queues(context: LoadContext) -> ItemsById[Queue]:
    areas: ItemsById[PolicyArea] = context.loaded[POLICY_AREAS]
    presets: ItemsById[WellnessPreset] = context.loaded[WELLNESS_PRESETS]
    slas: ItemsById[Sla] = context.loaded[SLAS]

    def build(document: PolicyDocument, table: Any, keypath: KeyPath) -> Queue:
        reader = TableReader(
            document,
            table,
            keypath,
            required=("id", "name", "policy_areas", "sla"),
            optional=("territories", "languages", "clearance"),
        )
        return Queue(
            id=reader.identifier("id"),
            name=reader.bilingual("name", max_length=NAME_LENGTH),
            policy_areas=reader.string_list(
                "policy_areas", allowed=areas.ids, what="policy area", min_items=1
            ),
            territories=(
                reader.string_list(
                    "territories", allowed=TERRITORY_CODES, what="territory (ISO 3166-1 alpha-2)"
                )
                if reader.has("territories")
                else ()
            ),
            languages=_language_requirements(reader) if reader.has("languages") else (),
            clearance=(
                reader.integer_map(
                    "clearance", keys=presets.ids, what="wellness category", minimum=1, maximum=MAX_CLEARANCE
                )
                if reader.has("clearance")
                else ()
            ),
            sla=reader.reference("sla", slas, what="SLA"),
        )

    queues = read_entries(context, "queues", build, what="queue")
    if not context.problems and context.documents:
        # Items in an area no queue serves would never reach a reviewer.
        served = {area_id for queue in queues for area_id in queue.policy_areas}
        for area in areas:
            if area.id not in served:
                context.report(
                    context.documents[0].error(("queues",), f"policy area {area.id!r} is served by no queue")
                )
    return queues


def _language_requirements(reader: TableReader) -> tuple[LanguageRequirement, ...]:
    requirements = []
    for entry in reader.table_list("languages", required=("language", "min_level")):
        language = entry.choice("language", LANGUAGE_CODES, what="language code (ISO 639-1)")
        level = entry.string("min_level", max_length=2)
        problem = language_problem(language, level)
        if problem:
            raise entry.error("min_level", problem)
        if any(r.language == language for r in requirements):
            raise entry.error("language", f"language {language!r} is listed twice")
        requirements.append(LanguageRequirement(language=language, min_level=level))
    return tuple(requirements)


BUILTIN_KINDS: tuple[PolicyKind, ...] = (
    PolicyKind(name=POLICY_AREAS, patterns=("policy_areas.toml",), load=load_policy_areas),
    PolicyKind(name=WELLNESS_PRESETS, patterns=("wellness_presets.toml",), load=load_wellness_presets),
    PolicyKind(name=CLAUSES, patterns=("clauses/*.toml",), load=load_clauses, requires=(POLICY_AREAS,)),
    PolicyKind(
        name=REPORT_REASONS,
        patterns=("report_reasons.toml",),
        load=load_report_reasons,
        requires=(POLICY_AREAS,),
    ),
    PolicyKind(name=SLAS, patterns=("slas.toml",), load=load_slas),
    PolicyKind(
        name=QUEUES,
        patterns=("queues.toml",),
        load=load_queues,
        requires=(POLICY_AREAS, WELLNESS_PRESETS, SLAS),
    ),
)
