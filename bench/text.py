"""bench/text: subtitle cues screened per second with Japanese and English lexicons of 10,000 terms, as a
ratio to SudachiPy tokenisation alone of the same cues, in the same run.

    python bench/text.py [--quick] --json

Each language's lexicon is the shipped one (policies/lexicons/) padded with generated terms to 10,000
(a third each exact, substring and normalized; seeded, so every run builds the same lexicon). The cues are
the two-hour tracks of ``bench/text_screening.py`` (``--quick``: one track, fewer terms). The baseline is
SudachiPy (split mode C, with each morpheme's normalized form, the core dictionary) tokenising every cue's
text — what Japanese normalisation needs at the least. ``ratio`` is screening time / baseline time:
the issue's target is at most 1.5. Screening and baseline passes alternate, so both see the same load
on a shared machine; ``cpu_ratio`` is the same ratio in process CPU time (less disturbed by other
processes than wall-clock time).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from text_screening import make_track  # noqa: E402

from shinsa.policy.schemas import Severity  # noqa: E402
from shinsa.screening.subtitles import Cue  # noqa: E402
from shinsa.screening.text import Lexicon, load_lexicon_directory, screen_cues  # noqa: E402
from shinsa.screening.text.japanese import tokenize  # noqa: E402
from shinsa.screening.text.lexicon import LexiconTerm, MatchMode, term_key  # noqa: E402

TARGET = 1.5
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
KANJI = "山川海空雨風火水木金土日月星花鳥虫犬猫牛馬車船道町村国人手足目耳口心体声色音光影夢"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MODES = (MatchMode.EXACT, MatchMode.SUBSTRING, MatchMode.NORMALIZED)


def _generated_word(rng: random.Random, language: str) -> str:
    if language == "ja":
        alphabet = rng.choice((KANA, KATAKANA, KANJI + KANA))
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(3, 7)))
    words = [
        "".join(rng.choice(LETTERS) for _ in range(rng.randrange(5, 10))) for _ in range(rng.randrange(1, 3))
    ]
    return " ".join(words)


def padded_lexicon(shipped: Lexicon, size: int, seed: int) -> Lexicon:
    """The shipped terms plus generated ones up to ``size`` (unique keys per mode)."""
    rng = random.Random(seed)
    language = shipped.language
    terms = list(shipped.terms)
    seen = {(term.match, key) for term in terms for key in term.keys}
    n = 0
    while len(terms) < size:
        mode = MODES[n % 3]
        text = _generated_word(rng, language)
        key = term_key(text, language=language, match=mode)
        n += 1
        if not key or (mode, key) in seen:
            continue
        seen.add((mode, key))
        terms.append(
            LexiconTerm(
                id=f"bench_{language}_{n}",
                language=language,
                term=text,
                variants=(),
                area="maturity_rating",
                severity=Severity.LOW,
                match=mode,
                note=None,
                source="bench",
                keys=(key,),
            )
        )
    return Lexicon.of(language, terms)


def time_screening(cues: tuple[Cue, ...], lexicon: Lexicon) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, hits)"""
    started, cpu = time.perf_counter(), time.process_time()
    hits = screen_cues(cues, lexicon)
    return time.perf_counter() - started, time.process_time() - cpu, len(hits)


def time_sudachi(cues: tuple[Cue, ...]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, morphemes)"""
    started, cpu = time.perf_counter(), time.process_time()
    morphemes = sum(len(tokenize(cue.text)) for cue in cues)
    return time.perf_counter() - started, time.process_time() - cpu, morphemes


def run(quick: bool) -> dict:
    shipped = load_lexicon_directory(ROOT / "policies")
    size = 2_000 if quick else 10_000
    tracks = 1 if quick else 2
    repeats = 3 if quick else 5
    languages = {}
    for offset, language in enumerate(("ja", "en")):
        lexicon = padded_lexicon(shipped.for_language(language), size, seed=1125 + offset)
        seeds = [20251125 + offset * 100 + track for track in range(tracks)]
        cues = tuple(cue for seed in seeds for cue in make_track(language, seed))
        characters = sum(len(cue.text) for cue in cues)
        cold, _, _ = time_screening(cues, lexicon)  # builds the automata, loads the dictionary
        time_sudachi(cues[:50])
        screening, baseline = [], []
        for _ in range(repeats):  # alternating, so that both see the same load
            screening.append(time_screening(cues, lexicon))
            baseline.append(time_sudachi(cues))
        screening_s, screening_cpu = min(s for s, _, _ in screening), min(c for _, c, _ in screening)
        baseline_s, baseline_cpu = min(s for s, _, _ in baseline), min(c for _, c, _ in baseline)
        languages[language] = {
            "cues": len(cues),
            "characters": characters,
            "terms": len(lexicon.terms),
            "screening": {
                "cues_per_second": round(len(cues) / screening_s),
                "characters_per_second": round(characters / screening_s),
                "seconds": round(screening_s, 4),
                "cpu_seconds": round(screening_cpu, 4),
                "cold_seconds": round(cold, 4),
                "hits": screening[0][2],
            },
            "baseline": {
                "what": "SudachiPy split mode C with normalized_form() over every cue (core dictionary)",
                "cues_per_second": round(len(cues) / baseline_s),
                "characters_per_second": round(characters / baseline_s),
                "seconds": round(baseline_s, 4),
                "cpu_seconds": round(baseline_cpu, 4),
                "morphemes": baseline[0][2],
            },
            "ratio": round(screening_s / baseline_s, 3),
            "cpu_ratio": round(screening_cpu / baseline_cpu, 3),
        }
    return {
        "benchmark": "bench/text",
        "quick": quick,
        "languages": languages,
        "target_ratio": TARGET,
        "units": {
            "ratio": "screening seconds / SudachiPy tokenisation seconds over the same cues (best of runs)",
            "cpu_ratio": "the same in process CPU seconds (best of runs)",
            "cues_per_second": "subtitle cues per second",
        },
        "python": platform.python_version(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 terms, one track")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.quick)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for language, figures in result["languages"].items():
            print(
                f"{language}: {figures['screening']['cues_per_second']} cues/s, {figures['terms']} terms; "
                f"{figures['ratio']}x SudachiPy ({figures['cpu_ratio']}x in CPU time)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
