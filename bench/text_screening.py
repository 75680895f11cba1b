"""Text screening throughput: subtitle cues screened per second against the shipped lexicons.

Generates a two-hour subtitle track per language (seeded, so every run screens the same text; about
one cue in twenty-five carries a lexicon term, some of them obfuscated), parses it with the subtitle
reader, and times ``screen_cues`` over it. The baseline, timed in the same process over the same cues
and terms, is the naive scan: ``str.lower()`` of each cue and ``term in text`` for every spelling of
every term (it finds fewer hits: no width, kana, Sudachi or leetspeak normalisation, no word
boundaries).

    python bench/text_screening.py [--quick] --json
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

from shinsa.screening.subtitles import Cue, parse_subtitle_bytes  # noqa: E402
from shinsa.screening.text import Lexicon, load_lexicon_directory, screen_cues  # noqa: E402

TRACK_MS = 2 * 60 * 60 * 1000
TERM_SHARE = 0.04

JAPANESE_LINES = (
    "星の海へ、出発だ。",
    "待って！置いていかないで。",
    "船長、嵐が来ます。",
    "この航路なら三日で着くはずだ。",
    "ｶﾞｲﾄﾞの話では、港はもうすぐだって。",
    "本当にそれでいいの？",
    "明日の打合せは九時からです。",
    "大学附属病院に運ばれたらしい。",
    "すげーーー！見て、あの光！",
    "あなたのこと、ずっと信じてた。",
    "地図を広げて。ここが今の位置だ。",
    "――まだ終わってない。",
)
JAPANESE_TERMS = (
    "ぶっ殺すぞ",
    "ころしてやる",
    "死 ね",
    "もう死にたい",
    "覚せい剤",
    "ｺｶｲﾝ",
    "ちくしょー",
    "首を吊った",
)
ENGLISH_LINES = (
    "To the sea of stars, let's go.",
    "Wait! Don't leave me behind.",
    "Captain, the storm is coming.",
    "On this route we'll arrive in three days.",
    "Is that really what you want?",
    "The meeting starts at nine tomorrow.",
    "Look at that light!",
    "I always believed in you.",
    "Spread the map. This is where we are.",
    "It's not over yet.",
)
ENGLISH_TERMS = (
    "I'll k1ll you",
    "k i l l you",
    "I want to die",
    "sh!t",
    "what the f*ck",
    "cocaine",
    "damn it",
)


def make_track(language: str, seed: int) -> tuple[Cue, ...]:
    """A two-hour SRT in ``language`` with realistic cue lengths and gaps, read by the subtitle reader."""
    rng = random.Random(seed)
    lines, terms = (JAPANESE_LINES, JAPANESE_TERMS) if language == "ja" else (ENGLISH_LINES, ENGLISH_TERMS)
    blocks = []
    now = 0
    while True:
        now += rng.randrange(300, 6000)
        duration = rng.randrange(1200, 6000)
        if now + duration > TRACK_MS:
            break
        text = rng.choice(lines)
        if rng.random() < 0.4:
            text += "\n" + rng.choice(lines)
        if rng.random() < TERM_SHARE:
            term = rng.choice(terms)
            text = text.replace("\n", f"\n{term} ", 1) if "\n" in text else term
        blocks.append(f"{len(blocks) + 1}\n{_stamp(now)} --> {_stamp(now + duration)}\n{text}\n")
        now += duration
    return parse_subtitle_bytes("\n".join(blocks).encode()).cues


def _stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def time_screening(cues: tuple[Cue, ...], lexicon: Lexicon) -> tuple[float, int]:
    started = time.perf_counter()
    hits = screen_cues(cues, lexicon)
    return time.perf_counter() - started, len(hits)


def time_baseline(cues: tuple[Cue, ...], lexicon: Lexicon) -> tuple[float, int]:
    spellings = [spelling.lower() for term in lexicon.terms for spelling in (term.term, *term.variants)]
    started = time.perf_counter()
    hits = 0
    for cue in cues:
        text = cue.text.lower()
        for spelling in spellings:
            if spelling in text:
                hits += 1
    return time.perf_counter() - started, hits


def run(quick: bool) -> dict:
    lexicons = load_lexicon_directory(ROOT / "policies")
    tracks = 1 if quick else 5
    repeats = 2 if quick else 3
    languages = {}
    for offset, language in enumerate(("ja", "en")):
        lexicon = lexicons.for_language(language)
        seeds = [20251125 + offset * 100 + track for track in range(tracks)]
        cues = tuple(cue for seed in seeds for cue in make_track(language, seed))
        cold_seconds, _ = time_screening(cues, lexicon)  # builds the automata, loads the dictionary
        runs = [time_screening(cues, lexicon) for _ in range(repeats)]
        screening_seconds = min(seconds for seconds, _hits in runs)
        hits = runs[0][1]
        baseline_runs = [time_baseline(cues, lexicon) for _ in range(repeats)]
        baseline_seconds = min(seconds for seconds, _hits in baseline_runs)
        cues_per_second = len(cues) / screening_seconds
        baseline_cues_per_second = len(cues) / baseline_seconds
        languages[language] = {
            "cues": len(cues),
            "terms": len(lexicon.terms),
            "spellings": sum(1 + len(term.variants) for term in lexicon.terms),
            "figures": {
                "cues_per_second": round(cues_per_second),
                "cold_cues_per_second": round(len(cues) / cold_seconds),
                "seconds": round(screening_seconds, 4),
                "hits": hits,
            },
            "baseline": {
                "what": "str.lower() per cue, then `term in text` for every spelling of every term",
                "cues_per_second": round(baseline_cues_per_second),
                "seconds": round(baseline_seconds, 4),
                "hits": baseline_runs[0][1],
            },
            "ratio": round(cues_per_second / baseline_cues_per_second, 4),
        }
    return {
        "benchmark": "screening.text.screen_cues",
        "quick": quick,
        "tracks_per_language": tracks,
        "track_minutes": TRACK_MS // 60_000,
        "languages": languages,
        "units": {
            "cues_per_second": "subtitle cues screened per second (best of repeated passes)",
            "cold_cues_per_second": "the first pass: includes building the automata, loading the dictionary",
            "hits": "hits found over all cues in one pass",
            "ratio": "cues_per_second / baseline cues_per_second (above 1: faster than the naive scan)",
        },
        "python": platform.python_version(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one two-hour track per language, not five")
    parser.add_argument("--json", action="store_true", help="print one JSON object on one line")
    arguments = parser.parse_args()
    result = run(arguments.quick)
    print(json.dumps(result, ensure_ascii=False, indent=None if arguments.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
