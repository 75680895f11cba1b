"""Rating engine throughput: title-scheme evaluations per second, against a plain dict lookup.

Generates titles with random findings (seeded, so every run rates the same catalogue), rates each title
in every scheme with ``evaluate_rating``, and times a plain dictionary lookup per title-scheme pair in
the same process as the baseline (what reading an already stored rating would cost).

    python bench/ratings.py [--quick] --json
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shinsa.ratings.engine import evaluate_rating  # noqa: E402
from shinsa.ratings.findings import Finding, RatingInputError, check_finding  # noqa: E402
from shinsa.ratings.policies import RatingPolicies, load_rating_policies  # noqa: E402

TARGET_EVALUATIONS_PER_SECOND = 100_000
MAX_FINDINGS_PER_TITLE = 20
# Reviewers record low intensities far more often than the strongest ones.
INTENSITY_WEIGHTS = (1, 6, 5, 3, 1)


def make_titles(policies: RatingPolicies, count: int, seed: int = 20251125) -> list[tuple[Finding, ...]]:
    rng = random.Random(seed)
    descriptors = list(policies.vocabulary.descriptors.values())
    contexts = list(policies.vocabulary.contexts)
    titles = []
    for _ in range(count):
        findings = []
        for _ in range(rng.randint(0, MAX_FINDINGS_PER_TITLE)):
            while True:
                descriptor = rng.choice(descriptors)
                start_ms = rng.randrange(0, 7_200_000)
                finding = Finding(
                    descriptor=descriptor.id,
                    intensity=rng.choices(range(descriptor.max_intensity + 1), INTENSITY_WEIGHTS)[0],
                    start_ms=start_ms,
                    end_ms=start_ms + rng.randrange(200, 120_000),
                    context=frozenset(rng.sample(contexts, rng.choice((0, 0, 1, 1, 2)))),
                )
                try:
                    check_finding(policies.vocabulary, finding)
                except RatingInputError:
                    continue  # e.g. a combination that is never rated: draw again
                findings.append(finding)
                break
        titles.append(tuple(findings))
    return titles


def time_engine(titles: list[tuple[Finding, ...]], policies: RatingPolicies) -> float:
    schemes = list(policies.schemes.values())
    started = time.perf_counter()
    for findings in titles:
        for scheme in schemes:
            evaluate_rating(findings, scheme)
    return time.perf_counter() - started


def time_dict_lookup(titles: list[tuple[Finding, ...]], policies: RatingPolicies) -> float:
    scheme_ids = list(policies.schemes)
    stored = {(index, scheme_id): "stored" for index in range(len(titles)) for scheme_id in scheme_ids}
    started = time.perf_counter()
    for index in range(len(titles)):
        for scheme_id in scheme_ids:
            stored[(index, scheme_id)]
    return time.perf_counter() - started


def run(quick: bool) -> dict:
    policies = load_rating_policies(ROOT / "policies")
    title_count = 1_000 if quick else 10_000
    repeats = 2 if quick else 3
    titles = make_titles(policies, title_count)
    pairs = title_count * len(policies.schemes)

    cold_seconds = time_engine(titles, policies)  # first pass fills each scheme's lookup memo
    engine_seconds = min(time_engine(titles, policies) for _ in range(repeats))
    baseline_seconds = min(time_dict_lookup(titles, policies) for _ in range(repeats))
    evaluations_per_second = pairs / engine_seconds
    lookups_per_second = pairs / baseline_seconds
    return {
        "benchmark": "ratings.evaluate_rating",
        "quick": quick,
        "titles": title_count,
        "schemes": len(policies.schemes),
        "title_scheme_evaluations": pairs,
        "findings_per_title": {
            "mean": round(statistics.fmean(len(findings) for findings in titles), 2),
            "max": max(len(findings) for findings in titles),
        },
        "figures": {
            "evaluations_per_second": round(evaluations_per_second),
            "cold_evaluations_per_second": round(pairs / cold_seconds),
            "seconds": round(engine_seconds, 4),
            "target_evaluations_per_second": TARGET_EVALUATIONS_PER_SECOND,
            "meets_target": evaluations_per_second >= TARGET_EVALUATIONS_PER_SECOND,
        },
        "baseline": {
            "what": "one plain dict lookup per title-scheme pair (reading a stored rating)",
            "lookups_per_second": round(lookups_per_second),
            "seconds": round(baseline_seconds, 4),
        },
        "ratio": round(evaluations_per_second / lookups_per_second, 4),
        "units": {
            "evaluations_per_second": "title-scheme evaluations per second (best of repeated passes)",
            "cold_evaluations_per_second": "the first pass, including filling the lookup memos",
            "lookups_per_second": "dict lookups per second",
            "ratio": "evaluations_per_second / lookups_per_second",
        },
        "python": platform.python_version(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 titles instead of 10,000")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    arguments = parser.parse_args()
    result = run(arguments.quick)
    print(json.dumps(result, ensure_ascii=False, indent=None if arguments.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
