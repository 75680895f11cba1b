"""Multi-index hashing for 256-bit PDQ codes at a fixed Hamming radius (pure NumPy, no Django).

Why not FAISS's own ``IndexBinaryMultiHash``: measured here it does ~1,250 lookups/s at 1M codes, and
it cannot remove ids. This one splits the 256 bits into ``m`` substrings of about log2(n) bits each.
By the pigeonhole principle, if two codes are within ``radius`` and substring ``i`` is probed with its
own radius ``r_i`` where ``sum(r_i + 1) >= radius + 1``, then at least one substring is within its
``r_i``; so every code within ``radius`` of a query shows up as a candidate in some table, and an exact
distance check on the candidates keeps precisely the codes within ``radius`` (no false negatives, no
false positives). Each table is direct-addressed (an offsets array of ``2**width + 1`` entries and the
positions sorted by key), so a probe is two array reads; candidates are verified in vectorised NumPy
(XOR and popcount on four uint64 words). Queries are processed in batches so the per-call overhead of
NumPy is paid once per batch, not once per query.

The structure is immutable once built; ``shinsa.banks.index.pdq_index.PdqIndex`` adds the id map, the
incremental delta, tombstones and compaction around it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np

CODE_BYTES = 32
MIN_KEY_BITS = 12
MAX_KEY_BITS = 24
QUERY_BATCH = 256  # queries probed together: bounds the temporary arrays to a few MB


@dataclass(frozen=True)
class Table:
    bit_offset: int
    width: int
    radius: int


def plan_tables(count: int, radius: int, key_bits: int | None = None) -> list[Table]:
    """Substrings (offset, width) and per-substring radii for ``count`` codes searched at ``radius``.

    Key width about log2(count) + 1, clamped to 12..24 bits (a 24-bit table's offsets take 64 MB):
    measured here, one bit more than log2(count) trades a few more probes for half the candidates, and
    candidates (random reads of 32 bytes) cost more than probes.
    """
    if not 0 <= radius < 256:
        raise ValueError(f"radius must be 0..255, not {radius}")
    bits = key_bits or min(MAX_KEY_BITS, max(MIN_KEY_BITS, round(math.log2(max(count, 2))) + 1))
    parts = max(1, round(256 / bits))
    widths = [256 // parts + (1 if i < 256 % parts else 0) for i in range(parts)]
    extra = radius + 1 - parts
    if extra <= 0:  # fewer substrings than radius + 1: exact probes in radius + 1 tables suffice
        radii = [0] * (radius + 1)
        widths = widths[: radius + 1]
    else:
        radii = [extra // parts + (1 if i < extra % parts else 0) for i in range(parts)]
    tables, offset = [], 0
    for width, table_radius in zip(widths, radii, strict=True):
        tables.append(Table(bit_offset=offset, width=width, radius=table_radius))
        offset += width
    return tables


def substring_keys(codes: np.ndarray, bit_offset: int, width: int) -> np.ndarray:
    """The ``width`` bits of each code starting at ``bit_offset`` (first bit = MSB of byte 0), as uint32."""
    first = bit_offset // 8
    span = min(5, CODE_BYTES - first)
    window = np.zeros(len(codes), dtype=np.uint64)
    for k in range(span):
        window = (window << np.uint64(8)) | codes[:, first + k].astype(np.uint64)
    window <<= np.uint64(8 * (5 - span))
    shift = np.uint64(40 - (bit_offset % 8) - width)
    return ((window >> shift) & np.uint64((1 << width) - 1)).astype(np.uint32)


def probe_masks(width: int, radius: int) -> np.ndarray:
    """Every ``width``-bit mask with at most ``radius`` bits set."""
    masks = [0]
    for weight in range(1, radius + 1):
        masks.extend(sum(1 << b for b in bits) for bits in combinations(range(width), weight))
    return np.asarray(masks, dtype=np.uint32)


class MultiHashTables:
    """Immutable multi-index over ``codes`` ((n, 32) uint8), answering range queries at ``radius``."""

    def __init__(self, codes: np.ndarray, radius: int, *, key_bits: int | None = None) -> None:
        self.codes = np.ascontiguousarray(codes, dtype=np.uint8)
        self.words = self.codes.view(np.uint64)  # (n, 4): the same bits, for 64-bit popcounts
        self.radius = radius
        self.tables = plan_tables(len(codes), radius, key_bits)
        self._positions: list[np.ndarray] = []
        self._offsets: list[np.ndarray] = []
        self._masks: list[np.ndarray] = []
        position_type = np.uint32 if len(codes) < 2**32 else np.uint64
        for table in self.tables:
            keys = substring_keys(self.codes, table.bit_offset, table.width)
            order = np.argsort(keys, kind="stable").astype(position_type)
            counts = np.bincount(keys, minlength=1 << table.width)
            offsets = np.zeros((1 << table.width) + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            del keys, counts
            self._positions.append(order)
            self._offsets.append(offsets.astype(np.uint32) if len(codes) < 2**32 else offsets)
            self._masks.append(probe_masks(table.width, table.radius))

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def nbytes(self) -> int:
        arrays = [self.codes, *self._positions, *self._offsets, *self._masks]
        return sum(array.nbytes for array in arrays)

    def search(self, queries: np.ndarray, radius: int | None = None) -> tuple[np.ndarray, ...]:
        """All (query row, code position, distance) with distance <= radius (at most the built radius).

        Returns three aligned arrays sorted by query row then position, each pair once.
        """
        radius = self.radius if radius is None else radius
        if radius > self.radius:
            raise ValueError(f"built for radius {self.radius}, asked for {radius}")
        queries = np.ascontiguousarray(queries, dtype=np.uint8).reshape(-1, CODE_BYTES)
        starts = range(0, len(queries), QUERY_BATCH)
        parts = [self._search_batch(queries[s : s + QUERY_BATCH], radius) for s in starts]
        rows = [part[0] + s for part, s in zip(parts, starts, strict=True)]
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(np.int32)
        return (
            np.concatenate(rows),
            np.concatenate([part[1] for part in parts]),
            np.concatenate([part[2] for part in parts]),
        )

    def _search_batch(self, queries: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        query_words = queries.view(np.uint64)
        found_rows, found_positions = [], []
        for table, positions, offsets, masks in zip(
            self.tables, self._positions, self._offsets, self._masks, strict=True
        ):
            keys = substring_keys(queries, table.bit_offset, table.width)
            probes = (keys[:, None] ^ masks[None, :]).ravel()
            starts = offsets[probes].astype(np.int64)
            counts = offsets[probes + 1].astype(np.int64) - starts
            total = int(counts.sum())
            if not total:
                continue
            ends = np.cumsum(counts)
            slots = np.arange(total, dtype=np.int64) - np.repeat(ends - counts - starts, counts)
            candidates = positions[slots]
            rows = np.repeat(np.arange(len(queries) * len(masks), dtype=np.int64) // len(masks), counts)
            # Exact check, word by word: after the first 64 bits most random candidates are out already.
            distance = np.bitwise_count(self.words[candidates, 0] ^ query_words[rows, 0]).astype(np.int32)
            keep = distance <= radius
            candidates, rows, distance = candidates[keep], rows[keep], distance[keep]
            for word in range(1, 4):
                distance += np.bitwise_count(self.words[candidates, word] ^ query_words[rows, word])
                keep = distance <= radius
                candidates, rows, distance = candidates[keep], rows[keep], distance[keep]
            found_rows.append(rows)
            found_positions.append(candidates.astype(np.int64))
        if not found_rows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty.astype(np.int32)
        rows = np.concatenate(found_rows)
        positions = np.concatenate(found_positions)
        # A code close in several substrings is found in several tables: keep each pair once.
        pairs = np.unique(rows * len(self.codes) + positions)
        rows, positions = pairs // len(self.codes), pairs % len(self.codes)
        distance = np.bitwise_count(self.words[positions] ^ query_words[rows]).sum(axis=1, dtype=np.int32)
        return rows, positions, distance
