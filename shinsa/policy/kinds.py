"""What a kind of policy file is, and the shared way its loader reads ``[[entries]]`` tables.

A kind names the files it reads (glob patterns relative to the policy directory), the kinds it refers
to (loaded before it), and a ``load`` function that turns the parsed documents into frozen objects,
reporting each problem to the context instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shinsa.policy.documents import Parse, PolicyDocument
from shinsa.policy.errors import PolicyFileError
from shinsa.policy.reading import require_known_keys, type_name
from shinsa.policy.schemas import HasId, ItemsById


@dataclass(kw_only=True, slots=True)
class LoadContext:
    """Handed to a kind's ``load``: its documents, the kinds loaded so far, and where problems go."""

    kind: str
    documents: tuple[PolicyDocument, ...]
    loaded: Mapping[str, Any]
    problems: list[PolicyFileError] = field(default_factory=list)

    def report(self, problem: PolicyFileError) -> None:
        self.problems.append(problem)


Loader = Callable[[LoadContext], Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class PolicyKind:
    name: str
    patterns: tuple[str, ...]  # globs relative to the policy directory: "queues.toml", "clauses/*.toml"
    load: Loader
    requires: tuple[str, ...] = ()  # kinds this one refers to; they load first
    required: bool = True  # a policy directory without any file of this kind is invalid
    parse: Parse = "toml"


def read_entries[T: HasId](
    context: LoadContext,
    array_key: str,
    build: Callable[[PolicyDocument, Any, tuple[str, int]], T],
    *,
    what: str,
) -> ItemsById[T]:
    """Read the ``[[array_key]]`` tables of every document with ``build``; ids must be unique across files.

    ``build(document, table, keypath)`` returns one entry or raises PolicyFileError; a bad entry is
    reported and skipped so the others are still checked.
    """
    entries: list[T] = []
    first_seen: dict[str, PolicyDocument] = {}
    for document in context.documents:
        try:
            require_known_keys(document, [array_key])
        except PolicyFileError as problem:
            context.report(problem)
        tables = document.data.get(array_key)
        if tables is None:
            context.report(document.error((), f"holds no [[{array_key}]] entries"))
            continue
        if not isinstance(tables, list):
            context.report(
                document.error((array_key,), f"must be an array of tables, not {type_name(tables)}")
            )
            continue
        if not tables:
            context.report(document.error((array_key,), f"holds no [[{array_key}]] entries"))
        for index, table in enumerate(tables):
            keypath = (array_key, index)
            try:
                entry = build(document, table, keypath)
            except PolicyFileError as problem:
                context.report(problem)
                continue
            if entry.id in first_seen:
                earlier = first_seen[entry.id]
                context.report(
                    document.error(
                        (*keypath, "id"),
                        f"duplicate {what} id {entry.id!r}; first defined in {earlier.display_path}"
                        + _at_line(earlier, entry.id, array_key),
                    )
                )
                continue
            first_seen[entry.id] = document
            entries.append(entry)
    return ItemsById(entries)


def _at_line(document: PolicyDocument, entry_id: str, array_key: str) -> str:
    tables = document.data.get(array_key, [])
    for index, table in enumerate(tables):
        if isinstance(table, dict) and table.get("id") == entry_id:
            line = document.line_of((array_key, index, "id"))
            return f":{line}" if line else ""
    return ""
