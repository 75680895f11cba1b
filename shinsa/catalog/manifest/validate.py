"""One validator for all three formats: raw records -> ``ParsedManifest``, or every problem found."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from shinsa.catalog.manifest.entries import (
    FILE_ASSET_KINDS,
    LANGUAGE_REQUIRED,
    PARENT_KINDS,
    AssetEntry,
    AssetKind,
    AvailabilityEntry,
    ManifestLimits,
    MetadataText,
    ParsedManifest,
    TitleEntry,
    TitleKind,
    VersionEntry,
    Where,
)
from shinsa.catalog.manifest.errors import IngestError, ManifestErrors, Reason
from shinsa.catalog.manifest.fields import FieldReader
from shinsa.catalog.manifest.files import FileProblem, inspect_file, subtitle_encoding
from shinsa.catalog.manifest.raw import RawNode

TITLE_FIELDS = (
    "id",
    "kind",
    "parent",
    "number",
    "original_title",
    "original_language",
    "year",
    "external_ids",
)
VERSION_FIELDS = ("label",)
AVAILABILITY_FIELDS = ("territory", "start", "end")
ASSET_FIELDS = ("kind", "name", "language", "path", "encoding", "title", "synopsis", "tags")
METADATA_FIELDS = ("title", "synopsis", "tags")


@dataclass(frozen=True)
class Context:
    base_dir: Path
    allow_files: bool
    limits: ManifestLimits


def _where(node: RawNode) -> Where:
    return Where(node.row, node.label)


def _first(where: Where, name: str) -> dict[str, int | str | None]:
    return {"first_row": where.row, "first_field": None if where.row is not None else where.label(name)}


def build_manifest(
    titles: list[RawNode], *, fmt: str, encoding: str, context: Context, errors: list[IngestError]
) -> ParsedManifest:
    """Check every value and relation; raise ``ManifestErrors`` listing all problems (the readers' too)."""
    known: dict[str, TitleKind] = {}  # id -> kind of every title whose id and kind read well
    entries = []
    for node in titles:
        entry = _title(node, errors, context, known)
        if entry is not None:
            entries.append(entry)
    _check_relations(entries, known, errors)
    if errors:
        raise ManifestErrors(errors)
    return ParsedManifest(format=fmt, source_encoding=encoding, titles=tuple(entries))


def _title(
    node: RawNode, errors: list[IngestError], context: Context, known: dict[str, TitleKind]
) -> TitleEntry | None:
    read = FieldReader(node, errors)
    before = len(errors)
    external_id = read.ident("id", required=True)
    kind_value = read.choice("kind", [k.value for k in TitleKind], required=True)
    parent = read.ident("parent")
    number = read.integer("number", minimum=0, maximum=100_000)
    original_title = read.text("original_title", required=True)
    original_language = read.language("original_language", required=True)
    year = read.integer("year", minimum=1870, maximum=2100)
    external_ids = read.string_map("external_ids", max_items=20)
    if kind_value is not None:
        kind = TitleKind(kind_value)
        if external_id is not None:
            known.setdefault(external_id, kind)
        if not PARENT_KINDS[kind] and parent is not None:
            read.fail("parent", Reason.PARENT_NOT_ALLOWED, kind=kind.value)
        if PARENT_KINDS[kind] and node.values.get("parent") is None:
            read.fail("parent", Reason.REQUIRED)
        if kind in {TitleKind.FILM, TitleKind.SERIES} and number is not None:
            read.fail("number", Reason.NUMBER_NOT_ALLOWED, kind=kind.value)
        if kind in {TitleKind.SEASON, TitleKind.EPISODE} and node.values.get("number") is None:
            read.fail("number", Reason.REQUIRED)
    versions = _versions(node.children.get("versions") or [], errors, context)
    # A value refused by the reader (a formula cell) reads as None without a new error here.
    if len(errors) > before or None in (external_id, kind_value, original_title, original_language):
        return None
    assert external_id and kind_value and original_title and original_language  # for the type checker
    return TitleEntry(
        external_id=external_id,
        kind=TitleKind(kind_value),
        parent=parent,
        number=number,
        original_title=original_title,
        original_language=original_language,
        year=year,
        external_ids=external_ids,
        versions=tuple(versions),
        where=_where(node),
    )


def _versions(nodes: list[RawNode], errors: list[IngestError], context: Context) -> list[VersionEntry]:
    versions: list[VersionEntry] = []
    seen: dict[str, Where] = {}
    for node in nodes:
        read = FieldReader(node, errors)
        label = read.ident("label", required=True)
        availability = _availability(node.children.get("availability"), errors)
        assets = _assets(node.children.get("assets") or [], errors, context)
        if label is None:
            continue
        if label in seen:
            read.fail("label", Reason.DUPLICATE_VERSION, **_first(seen[label], "label"))
            continue
        seen[label] = _where(node)
        versions.append(VersionEntry(label, _where(node), availability, tuple(assets)))
    return versions


def _availability(
    nodes: list[RawNode] | None, errors: list[IngestError]
) -> tuple[AvailabilityEntry, ...] | None:
    if not nodes:
        return None  # not stated: the stored windows stay as they are
    windows: list[AvailabilityEntry] = []
    for node in nodes:
        read = FieldReader(node, errors)
        territory = read.territory("territory", node.values.get("territory"))
        start = read.date("start", node.values.get("start"), required=True)
        end = read.date("end", node.values.get("end"))
        if territory is None or start is None:
            continue
        if end is not None and end <= start:
            read.fail("end", Reason.WINDOW_ORDER)
            continue
        window = AvailabilityEntry(territory, start, end)
        for other in windows:
            if other.territory == territory and _overlap(other, window):
                read.fail("territory", Reason.WINDOW_OVERLAP, territory=territory)
                break
        else:
            windows.append(window)
    return tuple(sorted(windows, key=lambda w: (w.territory, w.start)))


def _overlap(a: AvailabilityEntry, b: AvailabilityEntry) -> bool:
    a_ends_after_b_starts = a.end is None or a.end > b.start
    b_ends_after_a_starts = b.end is None or b.end > a.start
    return a_ends_after_b_starts and b_ends_after_a_starts


def _assets(nodes: list[RawNode], errors: list[IngestError], context: Context) -> list[AssetEntry]:
    assets: list[AssetEntry] = []
    seen: dict[tuple[str, str, str], Where] = {}
    for node in nodes:
        asset = _asset(node, errors, context)
        if asset is None:
            continue
        if asset.key() in seen:
            FieldReader(node, errors).fail(
                "name", Reason.DUPLICATE_ASSET, **_first(seen[asset.key()], "name")
            )
            continue
        seen[asset.key()] = asset.where
        assets.append(asset)
    return assets


def _asset(node: RawNode, errors: list[IngestError], context: Context) -> AssetEntry | None:
    read = FieldReader(node, errors)
    before = len(errors)
    kind_value = read.choice("kind", [k.value for k in AssetKind], required=True)
    name = read.ident("name") if node.values.get("name") is not None else "main"
    language = read.language("language") or ""
    if kind_value is None or name is None:
        return None
    kind = AssetKind(kind_value)
    if kind in LANGUAGE_REQUIRED and node.values.get("language") is None:
        read.fail("language", Reason.REQUIRED)
    if kind in FILE_ASSET_KINDS:
        asset = _file_asset(node, read, kind, name, language, context)
    else:
        asset = _metadata_asset(node, read, name, language)
    return asset if len(errors) == before else None


def _refuse_fields(node: RawNode, read: FieldReader, names: tuple[str, ...], kind: AssetKind) -> None:
    for name in names:
        if node.values.get(name) not in (None, [], ""):
            read.fail(name, Reason.NOT_FOR_KIND, kind=kind.value)


def _file_asset(
    node: RawNode, read: FieldReader, kind: AssetKind, name: str, language: str, context: Context
) -> AssetEntry | None:
    _refuse_fields(node, read, METADATA_FIELDS, kind)
    if kind != AssetKind.SUBTITLE:
        _refuse_fields(node, read, ("encoding",), kind)
    declared = read.text("encoding", max_length=32)
    written = read.text("path", required=True, max_length=1000)
    if written is None:
        return None
    if not context.allow_files:
        read.fail("path", Reason.FILES_NOT_ALLOWED)
        return None
    try:
        facts = inspect_file(context.base_dir, written, kind)
        encoding = (
            subtitle_encoding(facts.source, declared, context.limits) if kind == AssetKind.SUBTITLE else ""
        )
    except FileProblem as problem:
        field = "encoding" if problem.reason == Reason.BAD_ENCODING_NAME else "path"
        read.fail(field, problem.reason, **problem.params)
        return None
    return AssetEntry(
        kind=kind,
        name=name,
        language=language,
        where=_where(node),
        source=facts.source,
        source_path=written,
        extension=facts.extension,
        media_type=facts.media_type,
        encoding=encoding,
        sha256=facts.sha256,
        size_bytes=facts.size_bytes,
    )


def _metadata_asset(node: RawNode, read: FieldReader, name: str, language: str) -> AssetEntry | None:
    _refuse_fields(node, read, ("path", "encoding"), AssetKind.METADATA)
    title = read.text("title", required=True)
    synopsis = read.text("synopsis", max_length=5000, multiline=True) or ""
    tags = read.string_list("tags", max_items=30, max_length=64)
    if title is None:
        return None
    metadata = MetadataText(title, synopsis, tags)
    canonical = json.dumps(metadata.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    encoded = canonical.encode("utf-8")
    return AssetEntry(
        kind=AssetKind.METADATA,
        name=name,
        language=language,
        where=_where(node),
        media_type="application/json",
        metadata=metadata,
        sha256=hashlib.sha256(encoded).hexdigest(),
        size_bytes=len(encoded),
    )


def _check_relations(
    entries: list[TitleEntry], known: dict[str, TitleKind], errors: list[IngestError]
) -> None:
    by_id: dict[str, TitleEntry] = {}
    numbers: dict[tuple[str, str, int], TitleEntry] = {}
    external: dict[tuple[str, str], TitleEntry] = {}
    for entry in entries:
        if entry.external_id in by_id:
            errors.append(
                entry.where.error("id", Reason.DUPLICATE_ID, **_first(by_id[entry.external_id].where, "id"))
            )
            continue
        by_id[entry.external_id] = entry
        for pair in entry.external_ids:
            if pair in external:
                first = _first(external[pair].where, "external_ids")
                errors.append(
                    entry.where.error(
                        "external_ids", Reason.DUPLICATE_EXTERNAL_ID, namespace=pair[0], **first
                    )
                )
            external.setdefault(pair, entry)
    for entry in by_id.values():
        parent_kind = known.get(entry.parent) if entry.parent else None
        if parent_kind is not None and parent_kind not in PARENT_KINDS[entry.kind]:
            allowed = ", ".join(sorted(k.value for k in PARENT_KINDS[entry.kind]))
            errors.append(
                entry.where.error(
                    "parent", Reason.PARENT_KIND, parent_kind=parent_kind.value, allowed=allowed
                )
            )
        if entry.parent and entry.number is not None:
            key = (entry.parent, entry.kind.value, entry.number)
            if key in numbers:
                first = _first(numbers[key].where, "number")
                errors.append(
                    entry.where.error("number", Reason.DUPLICATE_NUMBER, number=entry.number, **first)
                )
            numbers.setdefault(key, entry)
