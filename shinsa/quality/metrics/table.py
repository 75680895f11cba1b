"""The ratings table: units × raters, each cell a category code or missing, built from long-format rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from shinsa.quality.metrics.errors import InvalidRatings, Problem
from shinsa.quality.metrics.kinds import Level

MISSING = -1

# Plain ASCII decimal numbers only: Python's float() would also take "nan", "1_000" and non-ASCII digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Rating:
    """One row of long-format data: ``rater`` gave ``label`` to ``unit`` (``line``: where it was read)."""

    unit: str
    rater: str
    label: str
    line: int | None = None


@dataclass(frozen=True, eq=False)
class RatingsTable:
    """Ratings as codes: ``codes[u, r]`` is the category index rater ``r`` gave unit ``u``, or ``MISSING``.

    Categories are sorted: by label text at the nominal level, by value at the ordinal and interval levels
    (where ``1`` and ``1.0`` are one category). Every unit has at least one rating.
    """

    level: Level
    units: tuple[str, ...]
    raters: tuple[str, ...]
    labels: tuple[str, ...]
    values: np.ndarray  # float per category; at the nominal level the category index
    codes: np.ndarray

    @classmethod
    def from_rows(cls, rows: Iterable[Rating], level: Level | str = Level.NOMINAL) -> RatingsTable:
        """Tabulates long-format rows; an identical duplicate counts once.

        Raises ``InvalidRatings`` for an empty field, a non-numeric label at a numeric level, or a rater who
        gave one unit two different labels.
        """
        level = Level(level)
        chosen: dict[tuple[str, str], tuple[str | float, Rating]] = {}
        for row in rows:
            for field in ("unit", "rater", "label"):
                if not getattr(row, field):
                    raise InvalidRatings(Problem.EMPTY_FIELD, line=row.line, field=field)
            key = _label_key(row, level)
            earlier = chosen.setdefault((row.unit, row.rater), (key, row))
            if earlier[0] != key:
                raise InvalidRatings(
                    Problem.CONFLICTING_LABELS,
                    line=row.line,
                    unit=row.unit,
                    rater=row.rater,
                    first=earlier[1].label,
                    second=row.label,
                )
        if not chosen:
            raise InvalidRatings(Problem.NO_RATINGS)
        units = tuple(sorted({unit for unit, _ in chosen}))
        raters = tuple(sorted({rater for _, rater in chosen}))
        keys = sorted({key for key, _ in chosen.values()})
        unit_index = {unit: i for i, unit in enumerate(units)}
        rater_index = {rater: i for i, rater in enumerate(raters)}
        category_index = {key: i for i, key in enumerate(keys)}
        codes = np.full((len(units), len(raters)), MISSING, dtype=np.int64)
        for (unit, rater), (key, _) in chosen.items():
            codes[unit_index[unit], rater_index[rater]] = category_index[key]
        if level is Level.NOMINAL:
            labels = tuple(str(key) for key in keys)
            values = np.arange(len(keys), dtype=float)
        else:
            labels = tuple(_number_text(float(key)) for key in keys)
            values = np.array(keys, dtype=float)
        return cls(level=level, units=units, raters=raters, labels=labels, values=values, codes=codes)

    @property
    def categories(self) -> int:
        return len(self.labels)

    def counts(self) -> np.ndarray:
        """``counts[u, k]``: how many raters put unit ``u`` in category ``k``."""
        return unit_counts(self.codes, self.categories)

    def prevalence(self) -> tuple[tuple[str, float], ...]:
        """Each label's share of all ratings, in category order."""
        totals = self.counts().sum(axis=0)
        return tuple(zip(self.labels, (totals / totals.sum()).tolist(), strict=True))


def unit_counts(codes: np.ndarray, categories: int) -> np.ndarray:
    """Per-unit category counts of a codes matrix (rows: units, columns: raters; ``MISSING`` skipped)."""
    rows = np.broadcast_to(np.arange(codes.shape[0])[:, None], codes.shape)
    present = codes != MISSING
    flat = rows[present] * categories + codes[present]
    return np.bincount(flat, minlength=codes.shape[0] * categories).reshape(codes.shape[0], categories)


def _label_key(row: Rating, level: Level) -> str | float:
    if level is Level.NOMINAL:
        return row.label
    if not _NUMBER.fullmatch(row.label) or not np.isfinite(value := float(row.label)):
        raise InvalidRatings(
            Problem.NOT_A_NUMBER, line=row.line, unit=row.unit, rater=row.rater, label=row.label, level=level
        )
    return value + 0.0  # -0.0 and 0.0 are one category


def _number_text(value: float) -> str:
    """``1.0`` -> ``1``, ``2.5`` -> ``2.5``: the shortest text that reads back as the same number."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
