"""Benchmark: PDQ bank lookups per second at distance <= 31, against 1M and 10M indexed hashes.

Indexed hashes are random uniform 256-bit codes (a fair worst case: real PDQ hashes cluster, which only
helps a flat scan's branch predictor, not its work). Queries are half planted near-duplicates (an indexed
code with 0 to 31 random bits flipped) and half random codes. Figures per size:

- ``lookups_per_s``: our ``PdqIndex`` (multi-index hashing, batched, one thread), all queries;
- ``baseline_flat_per_s``: FAISS ``IndexBinaryFlat.range_search`` on the same codes, one thread, on a
  sample of the queries (the brute-force scan), and ``ratio`` = ours / flat;
- ``recall``: the share of planted near-duplicates found (must be 1.0), and ``agrees_with_flat``:
  whether our result pairs equal the flat scan's on the sampled queries;
- ``index_bytes``: memory held by the index (codes, tables, id map arrays), ``build_s``.

    python bench/matching.py [--quick] [--json]    # --quick: 100k and 1M instead of 1M and 10M
"""

from __future__ import annotations

import argparse
import json
import time

import faiss
import numpy as np

from shinsa.banks.index.pdq_index import PdqIndex

RADIUS = 31
QUERIES = 20_000
FLAT_QUERIES = {100_000: 1000, 1_000_000: 300, 10_000_000: 60}


def planted_queries(codes: np.ndarray, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Half near-duplicates of indexed codes (0..31 bits flipped), half random; the planted positions."""
    planted = count // 2
    positions = rng.choice(len(codes), planted, replace=False)
    bits = np.unpackbits(codes[positions], axis=1)
    for row, flips in enumerate(rng.integers(0, RADIUS + 1, planted)):
        bits[row, rng.choice(256, flips, replace=False)] ^= 1
    near = np.packbits(bits, axis=1)
    random = rng.integers(0, 256, (count - planted, 32), dtype=np.uint8)
    return np.concatenate([near, random]), positions


def run_size(size: int, rng: np.random.Generator) -> dict[str, object]:
    codes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    queries, planted = planted_queries(codes, QUERIES, rng)

    started = time.perf_counter()
    index = PdqIndex.build(np.arange(size), codes)
    build_s = time.perf_counter() - started

    started = time.perf_counter()
    found = index.search(queries, RADIUS)
    ours_s = time.perf_counter() - started
    pairs = set(zip(found.rows.tolist(), found.ids.tolist(), strict=True))
    recall = sum((row, int(position)) in pairs for row, position in enumerate(planted)) / len(planted)

    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    sample = FLAT_QUERIES.get(size, 100)
    # The sample mixes planted and random queries like the whole set.
    chosen = np.concatenate([np.arange(sample // 2), QUERIES // 2 + np.arange(sample - sample // 2)])
    started = time.perf_counter()
    lims, _distances, labels = flat.range_search(queries[chosen], RADIUS + 1)
    flat_s = time.perf_counter() - started
    flat_pairs = {
        (int(chosen[row]), int(labels[j]))
        for row in range(len(chosen))
        for j in range(lims[row], lims[row + 1])
    }
    ours_on_sample = {pair for pair in pairs if pair[0] in set(chosen.tolist())}
    del flat

    ours_per_s = QUERIES / ours_s
    flat_per_s = sample / flat_s
    stats = index.stats
    return {
        "indexed": size,
        "queries": QUERIES,
        "lookups_per_s": round(ours_per_s),
        "baseline_flat_per_s": round(flat_per_s, 1),
        "baseline_flat_queries": sample,
        "ratio": round(ours_per_s / flat_per_s, 1),
        "recall": recall,
        "agrees_with_flat": ours_on_sample == flat_pairs,
        "matches": len(found),
        "index_kind": stats.kind.value,
        "index_bytes": stats.nbytes,
        "index_mib": round(stats.nbytes / 2**20, 1),
        "build_s": round(build_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k and 1M codes instead of 1M and 10M")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)  # both sides on one thread
    sizes = (100_000, 1_000_000) if args.quick else (1_000_000, 10_000_000)
    rng = np.random.default_rng(2026)
    results = [run_size(size, rng) for size in sizes]
    report = {
        "benchmark": "matching",
        "radius": RADIUS,
        "threads": 1,
        "units": {"lookups_per_s": "PDQ queries per second", "index_bytes": "bytes"},
        "baseline": "faiss IndexBinaryFlat.range_search, one thread, same codes and queries",
        "sizes": results,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for result in results:
            print(
                f"{result['indexed']:>10,} codes: {result['lookups_per_s']:>8,}/s "
                f"(flat {result['baseline_flat_per_s']}/s, x{result['ratio']}), recall {result['recall']}, "
                f"{result['index_mib']} MiB, built in {result['build_s']} s"
            )


if __name__ == "__main__":
    main()
