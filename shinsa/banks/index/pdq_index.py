"""An incremental PDQ range index: FAISS flat for small sets, multi-index hashing for large ones.

Layout: a *base* segment (immutable, built at the last compaction) plus a *delta* segment (a FAISS
``IndexBinaryFlat`` that new codes are appended to) plus *tombstones* (a removed id is only marked dead;
its code stays in its segment and is filtered out of results). ``compact()`` rebuilds the base from the
live codes of both segments and empties the delta; it runs by itself when the delta and the tombstones
together pass ``compact_ratio`` of the base (and at least ``compact_min`` changes), so adding or removing
one entry never rebuilds a 10M-code index. Ids are the caller's int64 (bank entry ids); adding an id
that is already indexed replaces its code.

The base is a FAISS ``IndexBinaryFlat`` below ``flat_below`` live codes (a flat scan of 50k codes is
faster than any probing) and ``MultiHashTables`` above. Both give exact Hamming distances; results are
the same whichever is used (a test checks both against each other).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from shinsa.banks.index.multihash import CODE_BYTES, MultiHashTables

DEFAULT_RADIUS = 31


def _faiss() -> Any:
    """FAISS, imported on first use: its loader logs at INFO which CPU build it picked, and no command
    that merely loads the Django apps (``shinsa user``) may print that on stderr."""
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)
    logging.getLogger("faiss").setLevel(logging.WARNING)
    import faiss

    return faiss


FLAT_BELOW = 50_000


class IndexKind(StrEnum):
    FLAT = "flat"
    MULTIHASH = "multihash"


class BadHash(ValueError):
    """A PDQ hash that is not 64 hex digits."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"not a PDQ hash (64 hex digits): {value[:80]!r}")


def codes_from_hex(values: Iterable[str]) -> np.ndarray:
    """(n, 32) uint8 codes from PDQ hex strings; ``BadHash`` names the first bad one."""
    rows = []
    for value in values:
        text = value.strip().lower()
        if len(text) != 64:
            raise BadHash(value)
        try:
            rows.append(bytes.fromhex(text))
        except ValueError:
            raise BadHash(value) from None
    if not rows:
        return np.zeros((0, CODE_BYTES), dtype=np.uint8)
    return np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, CODE_BYTES).copy()


@dataclass(frozen=True)
class Matches:
    """Aligned arrays: query row, matched id, Hamming distance; sorted by row, then distance, then id."""

    rows: np.ndarray
    ids: np.ndarray
    distances: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def triples(self) -> list[tuple[int, int, int]]:
        """(row, id, distance) as Python ints."""
        return list(zip(self.rows.tolist(), self.ids.tolist(), self.distances.tolist(), strict=True))


@dataclass(frozen=True)
class IndexStats:
    kind: IndexKind
    live: int  # codes a search can return
    base: int  # codes in the base segment, live or dead
    delta: int  # codes appended since the last compaction
    tombstones: int  # removed codes still held in a segment
    nbytes: int  # memory held by the codes and tables

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "live": self.live,
            "base": self.base,
            "delta": self.delta,
            "tombstones": self.tombstones,
            "nbytes": self.nbytes,
        }


class _Segment:
    """Codes with their ids and a live flag; searched by FAISS flat or by multi-index hashing."""

    def __init__(self, ids: np.ndarray, codes: np.ndarray, kind: IndexKind, radius: int) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.kind = kind
        self.tables: MultiHashTables | None = None
        self.flat: Any = None
        if kind is IndexKind.MULTIHASH:
            self.tables = MultiHashTables(codes, radius)
        else:
            self.flat = _faiss().IndexBinaryFlat(CODE_BYTES * 8)
            if len(codes):
                self.flat.add(np.ascontiguousarray(codes, dtype=np.uint8))

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, ids: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Add codes (flat segments only); their positions."""
        assert self.flat is not None
        first = len(self.ids)
        self.flat.add(np.ascontiguousarray(codes, dtype=np.uint8))
        self.ids = np.concatenate([self.ids, ids])
        self.alive = np.concatenate([self.alive, np.ones(len(ids), dtype=bool)])
        return np.arange(first, len(self.ids))

    def codes(self) -> np.ndarray:
        if self.tables is not None:
            return self.tables.codes
        assert self.flat is not None
        return _faiss().vector_to_array(self.flat.xb).reshape(-1, CODE_BYTES)

    @property
    def nbytes(self) -> int:
        held = self.ids.nbytes + self.alive.nbytes
        return held + (self.tables.nbytes if self.tables is not None else len(self.ids) * CODE_BYTES)

    def search(self, queries: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not len(self.ids) or not len(queries):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(np.int32)
        if self.tables is not None:
            rows, positions, distances = self.tables.search(queries, radius)
        else:
            assert self.flat is not None
            # FAISS keeps distances strictly below the radius it is given.
            lims, distances, positions = self.flat.range_search(queries, radius + 1)
            rows = np.repeat(np.arange(len(queries), dtype=np.int64), np.diff(lims).astype(np.int64))
            distances = distances.astype(np.int32)
        live = self.alive[positions]
        return rows[live], self.ids[positions[live].astype(np.int64)], distances[live]


def _empty_segment(radius: int) -> _Segment:
    return _Segment(np.zeros(0, np.int64), np.zeros((0, CODE_BYTES), np.uint8), IndexKind.FLAT, radius)


class PdqIndex:
    """Range search over PDQ codes by id, with incremental add/remove (see the module docstring).

    The id map costs no Python object per code: the base's ids are kept sorted (NumPy ``searchsorted``),
    only the delta's few ids are in a dict.
    """

    def __init__(
        self,
        *,
        radius: int = DEFAULT_RADIUS,
        flat_below: int = FLAT_BELOW,
        compact_ratio: float = 0.1,
        compact_min: int = 4096,
    ) -> None:
        self.radius = radius
        self.flat_below = flat_below
        self.compact_ratio = compact_ratio
        self.compact_min = compact_min
        self.compactions = 0
        self._rebuild(np.zeros(0, np.int64), np.zeros((0, CODE_BYTES), np.uint8))

    @classmethod
    def build(cls, ids: Sequence[int] | np.ndarray, codes: np.ndarray, **options: int | float) -> PdqIndex:
        """An index holding ``codes`` under ``ids``, compacted (the base built in one go)."""
        index = cls(**options)  # type: ignore[arg-type]
        ids = np.asarray(ids, dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            raise ValueError("the same id twice")
        index._rebuild(ids, np.asarray(codes, dtype=np.uint8).reshape(-1, CODE_BYTES))
        return index

    def __len__(self) -> int:
        return self._live

    def __contains__(self, entry_id: object) -> bool:
        if not isinstance(entry_id, int):
            return False
        return entry_id in self._delta_where or self._base_positions(np.asarray([entry_id]))[0] >= 0

    @property
    def stats(self) -> IndexStats:
        held = self._base.nbytes + self._delta.nbytes + self._base_sorted.nbytes + self._base_order.nbytes
        return IndexStats(
            kind=self._base.kind,
            live=self._live,
            base=len(self._base),
            delta=len(self._delta),
            tombstones=len(self._base) + len(self._delta) - self._live,
            nbytes=held,
        )

    def add(self, ids: Sequence[int] | np.ndarray, codes: np.ndarray) -> None:
        """Index ``codes`` ((n, 32) uint8) under ``ids``; an id already present gets the new code."""
        ids = np.asarray(ids, dtype=np.int64)
        codes = np.asarray(codes, dtype=np.uint8).reshape(-1, CODE_BYTES)
        if len(ids) != len(codes):
            raise ValueError(f"{len(ids)} ids for {len(codes)} codes")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("the same id twice in one add")
        self._drop(ids)
        for entry_id, position in zip(ids.tolist(), self._delta.append(ids, codes).tolist(), strict=True):
            self._delta_where[entry_id] = position
        self._live += len(ids)
        self._maybe_compact()

    def remove(self, ids: Iterable[int] | np.ndarray) -> int:
        """Mark ``ids`` removed (tombstones); unknown ids are ignored. How many were indexed."""
        removed = self._drop(
            np.unique(np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, np.int64))
        )
        self._maybe_compact()
        return removed

    def search(self, queries: np.ndarray, radius: int | None = None) -> Matches:
        """Every live code within ``radius`` (default: the index's) of each query row."""
        radius = self.radius if radius is None else radius
        if not 0 <= radius <= self.radius:
            raise ValueError(f"radius must be 0..{self.radius}, not {radius}")
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, CODE_BYTES)
        found = [self._base.search(queries, radius), self._delta.search(queries, radius)]
        rows = np.concatenate([f[0] for f in found]).astype(np.int64)
        ids = np.concatenate([f[1] for f in found]).astype(np.int64)
        distances = np.concatenate([f[2] for f in found]).astype(np.int32)
        order = np.lexsort((ids, distances, rows))
        return Matches(rows=rows[order], ids=ids[order], distances=distances[order])

    def compact(self) -> None:
        """Rebuild the base from the live codes; the delta and the tombstones are gone afterwards."""
        self._rebuild(*self._live_arrays())
        self.compactions += 1

    def rebuilt(self, *, radius: int) -> PdqIndex:
        """A new index of the same live codes, searchable up to ``radius``."""
        options = {
            "flat_below": self.flat_below,
            "compact_ratio": self.compact_ratio,
            "compact_min": self.compact_min,
        }
        return PdqIndex.build(*self._live_arrays(), radius=radius, **options)

    def _live_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        ids, codes = [], []
        for segment in (self._base, self._delta):
            if len(segment):
                ids.append(segment.ids[segment.alive])
                codes.append(segment.codes()[segment.alive])
        return (
            np.concatenate(ids) if ids else np.zeros(0, np.int64),
            np.concatenate(codes) if codes else np.zeros((0, CODE_BYTES), np.uint8),
        )

    def _rebuild(self, ids: np.ndarray, codes: np.ndarray) -> None:
        kind = IndexKind.MULTIHASH if len(ids) >= self.flat_below else IndexKind.FLAT
        self._base = _Segment(ids, codes, kind, self.radius)
        self._delta = _empty_segment(self.radius)
        self._base_order = np.argsort(self._base.ids, kind="stable")
        self._base_sorted = self._base.ids[self._base_order]
        self._delta_where: dict[int, int] = {}
        self._live = len(ids)

    def _base_positions(self, ids: np.ndarray) -> np.ndarray:
        """Each id's position in the base while it is live there, else -1."""
        if not len(self._base_sorted):
            return np.full(len(ids), -1, dtype=np.int64)
        slots = np.minimum(np.searchsorted(self._base_sorted, ids), len(self._base_sorted) - 1)
        positions = self._base_order[slots].astype(np.int64)
        live = (self._base_sorted[slots] == ids) & self._base.alive[positions]
        return np.where(live, positions, -1)

    def _drop(self, ids: np.ndarray) -> int:
        dropped = 0
        for entry_id in ids.tolist():
            position = self._delta_where.pop(entry_id, None)
            if position is not None:
                self._delta.alive[position] = False
                dropped += 1
        in_base = self._base_positions(ids)
        in_base = in_base[in_base >= 0]
        self._base.alive[in_base] = False
        dropped += len(in_base)
        self._live -= dropped
        return dropped

    def _maybe_compact(self) -> None:
        dead_in_base = len(self._base) - (self._live - len(self._delta_where))
        changes = len(self._delta) + dead_in_base  # what a search scans beyond a fresh base
        if changes >= max(self.compact_min, self.compact_ratio * len(self._base)):
            self.compact()


# The eight dihedral transformations, named and ordered as ``pdqhash.compute_dihedral`` returns them
# (rotations counter-clockwise, as ``numpy.rot90``). On the 16 x 16 grid of PDQ bits (row i, column j
# of the DCT coefficients): transposing the image transposes the grid exactly; mirroring it negates the
# coefficients of odd columns (left-right) or odd rows (up-down), whose bits then flip except near the
# median, which moves a little. So a mirrored variant computed from a hash is close to, not equal to,
# the hash of the mirrored image (measured: 2 to 24 bits apart on smooth images).
DIHEDRAL_NAMES = (
    "original",
    "rotate_90",
    "rotate_180",
    "rotate_270",
    "flip_vertical",
    "flip_horizontal",
    "transpose",
    "anti_transpose",
)
EXACT_FROM_HASH = frozenset({"original", "transpose"})
_ODD_COLUMNS = np.tile(np.arange(16) % 2 == 1, (16, 1))
_ODD_ROWS = _ODD_COLUMNS.T


def _grid_variants(grid: np.ndarray) -> dict[str, np.ndarray]:
    mirror_lr, mirror_ud = _ODD_COLUMNS, _ODD_ROWS
    return {
        "original": grid,
        "rotate_90": grid.T ^ mirror_ud,
        "rotate_180": grid ^ mirror_lr ^ mirror_ud,
        "rotate_270": grid.T ^ mirror_lr,
        "flip_vertical": grid ^ mirror_ud,
        "flip_horizontal": grid ^ mirror_lr,
        "transpose": grid.T,
        "anti_transpose": (grid ^ mirror_lr ^ mirror_ud).T,
    }


def dihedral_variants_of_hash(pdq_hex: str) -> list[tuple[str, str]]:
    """(name, hex) for the eight dihedral variants of a PDQ hash given without its image.

    ``original`` and ``transpose`` are exact (``EXACT_FROM_HASH``); the six others are approximations
    (see above). With the image at hand, prefer ``dihedral_variants_of_rgb`` (PDQ's own variants).
    """
    grid = np.unpackbits(codes_from_hex([pdq_hex])[0]).reshape(16, 16).astype(bool)
    variants = _grid_variants(grid)
    return [(name, np.packbits(variants[name].astype(np.uint8)).tobytes().hex()) for name in DIHEDRAL_NAMES]


def dihedral_variants_of_rgb(pixels: np.ndarray) -> tuple[list[tuple[str, str]], int]:
    """The eight dihedral PDQ hashes of an RGB image as PDQ's reference code computes them from one DCT
    (``pdqhash.compute_dihedral``): within a few bits of the hash of the turned picture itself."""
    import pdqhash

    hashes, quality = pdqhash.compute_dihedral(np.ascontiguousarray(pixels, dtype=np.uint8))
    names = [
        (name, np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex())
        for name, bits in zip(DIHEDRAL_NAMES, hashes, strict=True)
    ]
    return names, int(quality)
