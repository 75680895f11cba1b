"""Fixtures for text screening: the shipped lexicons, and small lexicons written by a test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shinsa.screening.text import Lexicon, Lexicons, load_lexicon_directory

SHIPPED_POLICIES = Path(__file__).resolve().parents[3] / "policies"

MakeLexicon = Callable[..., Lexicon]


@pytest.fixture(scope="session")
def shipped_lexicons() -> Lexicons:
    return load_lexicon_directory(SHIPPED_POLICIES)


def toml_terms(terms: list[dict[str, Any]]) -> str:
    """``[[terms]]`` tables for the given entries (strings and lists of strings only)."""

    def value(item: Any) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(value(part) for part in item) + "]"
        return '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "".join(
        "[[terms]]\n" + "".join(f"{key} = {value(item)}\n" for key, item in term.items()) + "\n"
        for term in terms
    )


@pytest.fixture
def make_lexicon(tmp_path: Path) -> MakeLexicon:
    """``make_lexicon("ja", [{"term": ..., "match": ...}, ...])``: a lexicon of just those terms.

    ``id``, ``area`` and ``severity`` default to ``t1``…, ``violence`` and ``high``.
    """
    counter = iter(range(1, 10_000))

    def make(language: str, terms: list[dict[str, Any]]) -> Lexicon:
        directory = tmp_path / f"policies-{next(counter)}"
        (directory / "lexicons" / language).mkdir(parents=True)
        shutil.copy(SHIPPED_POLICIES / "policy_areas.toml", directory / "policy_areas.toml")
        entries = [
            {"id": f"t{index}", "area": "violence", "severity": "high", **term}
            for index, term in enumerate(terms, 1)
        ]
        (directory / "lexicons" / language / "test.toml").write_text(toml_terms(entries), encoding="utf-8")
        return load_lexicon_directory(directory).for_language(language)

    return make
