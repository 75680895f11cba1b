"""Load a whole policy directory into a frozen ``PolicySet`` (pure, no Django).

Kinds are registered here: Shinsa's own at import, others by their app (``register_policy_kind`` in
``AppConfig.ready``). The set's ``version`` is the SHA-256 of the sorted (file name, content hash)
pairs, where a file's content hash covers its parsed values only: a comment or formatting change keeps
the version, any change of a value, a file's name or the set of files makes a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from shinsa.policy.builtin_kinds import BUILTIN_KINDS
from shinsa.policy.documents import Parse, PolicyDocument, canonical_json, read_document
from shinsa.policy.errors import InvalidPolicySet, PolicyFileError
from shinsa.policy.kinds import LoadContext, Loader, PolicyKind
from shinsa.policy.schemas import PolicyFile, PolicySet

_KINDS: dict[str, PolicyKind] = {kind.name: kind for kind in BUILTIN_KINDS}


def register_policy_kind(
    name: str,
    load: Loader,
    *,
    patterns: Iterable[str],
    requires: Iterable[str] = (),
    required: bool = True,
    parse: Parse = "toml",
) -> PolicyKind:
    """Add a kind of policy file. ``requires`` names kinds it refers to; they must be registered already."""
    if name in _KINDS:
        raise ValueError(f"policy kind {name!r} is already registered")
    kind = PolicyKind(
        name=name,
        patterns=tuple(patterns),
        load=load,
        requires=tuple(requires),
        required=required,
        parse=parse,
    )
    _check_requirements(kind, _KINDS)
    _KINDS[name] = kind
    return kind


def registered_kinds() -> tuple[PolicyKind, ...]:
    """Every registered kind, each after the kinds it requires."""
    return tuple(_KINDS.values())


def _check_requirements(kind: PolicyKind, earlier: Iterable[str]) -> None:
    missing = [name for name in kind.requires if name not in earlier]
    if missing:
        raise ValueError(
            f"policy kind {kind.name!r} requires kinds registered before it: {', '.join(missing)}"
        )


def load_policy_set(policy_dir: Path | str, *, kinds: Iterable[PolicyKind] | None = None) -> PolicySet:
    """Read, validate and freeze every file under ``policy_dir``.

    Raises InvalidPolicySet listing every problem found (file, line, field, reason). A kind whose
    required kinds had problems is not checked, so one broken entry does not cascade into many errors.
    """
    directory = Path(policy_dir).resolve()
    if not directory.is_dir():
        raise InvalidPolicySet([PolicyFileError(str(directory), "the policy directory does not exist")])
    kinds = tuple(registered_kinds() if kinds is None else kinds)
    for position, kind in enumerate(kinds):
        _check_requirements(kind, [earlier.name for earlier in kinds[:position]])

    problems: list[PolicyFileError] = []
    claimed: dict[Path, str] = {}
    documents: dict[str, list[PolicyDocument]] = {}
    failed: set[str] = set()
    for kind in kinds:
        documents[kind.name] = []
        paths = sorted(
            {
                path
                for pattern in kind.patterns
                for path in directory.glob(pattern)
                if _visible(path, directory)
            }
        )
        if kind.required and not paths:
            problems.append(
                PolicyFileError(f"{directory.name}/{' or '.join(kind.patterns)}", "missing: no such file")
            )
            failed.add(kind.name)
        for path in paths:
            if path in claimed:
                problems.append(
                    _error_for(path, directory, f"read by both the {claimed[path]} and {kind.name} kinds")
                )
                failed.add(kind.name)
                continue
            claimed[path] = kind.name
            try:
                documents[kind.name].append(read_document(path, policy_dir=directory, parse=kind.parse))
            except PolicyFileError as problem:
                problems.append(problem)
                failed.add(kind.name)

    loaded: dict[str, Any] = {}
    for kind in kinds:
        if any(name in failed for name in kind.requires):
            failed.add(kind.name)
            continue
        context = LoadContext(
            kind=kind.name, documents=tuple(documents[kind.name]), loaded=MappingProxyType(dict(loaded))
        )
        loaded[kind.name] = kind.load(context)
        if context.problems:
            problems.extend(context.problems)
            failed.add(kind.name)
    if problems:
        raise InvalidPolicySet(problems)

    files = tuple(
        sorted(
            (
                PolicyFile(name=document.name, kind=kind_name, sha256=document.sha256)
                for kind_name, kind_documents in documents.items()
                for document in kind_documents
            ),
            key=lambda file: file.name,
        )
    )
    return PolicySet(
        directory=str(directory),
        version=policy_version(files),
        files=files,
        kinds=MappingProxyType(loaded),
        unclaimed=tuple(
            sorted(
                path.relative_to(directory).as_posix()
                for path in directory.rglob("*.toml")
                if _visible(path, directory) and path not in claimed
            )
        ),
    )


def policy_version(files: Iterable[PolicyFile]) -> str:
    """The SHA-256 of the sorted (name, content hash) pairs of the files."""
    pairs = sorted([file.name, file.sha256] for file in files)
    return hashlib.sha256(canonical_json(pairs).encode()).hexdigest()


def _visible(path: Path, directory: Path) -> bool:
    return path.is_file() and not any(part.startswith(".") for part in path.relative_to(directory).parts)


def _error_for(path: Path, directory: Path, reason: str) -> PolicyFileError:
    return PolicyFileError(f"{directory.name}/{path.relative_to(directory).as_posix()}", reason)
