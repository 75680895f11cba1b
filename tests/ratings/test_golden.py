"""Every shipped scheme loads and passes every golden case, named per case."""

from __future__ import annotations

from collections import Counter

import pytest

from shinsa.ratings.golden import check_golden_case
from shinsa.ratings.policies import load_rating_policies
from tests.ratings.conftest import POLICY_DIR

SHIPPED = load_rating_policies(POLICY_DIR)
SCHEME_IDS = {
    "prime",
    "eirin",
    "mpa",
    "us_tv",
    "bbfc",
    "fsk",
    "acb",
    "classind",
    "kijkwijzer",
    "kmrb",
    "cbfc",
    "imda",
}


@pytest.mark.parametrize("case", SHIPPED.golden_cases, ids=lambda case: case.name)
def test_it_passes_golden_case(case):
    assert check_golden_case(case, SHIPPED.schemes) is None


def test_it_ships_the_twelve_schemes():
    assert set(SHIPPED.schemes) == SCHEME_IDS


def test_it_has_at_least_eight_golden_cases_per_scheme():
    counts = Counter(case.scheme for case in SHIPPED.golden_cases)
    assert {scheme: count for scheme, count in counts.items() if count < 8} == {}
    assert set(counts) == SCHEME_IDS


def test_it_writes_levels_as_the_authorities_do():
    levels = SHIPPED.scheme_levels
    assert levels["eirin"] == ("G", "PG12", "R15+", "R18+")
    assert levels["acb"] == ("G", "PG", "M", "MA 15+", "R 18+", "X 18+", "RC")
    assert levels["bbfc"] == ("U", "PG", "12A", "12", "15", "18", "R18")
    assert levels["cbfc"] == ("U", "UA 7+", "UA 13+", "UA 16+", "A")
    assert levels["mpa"] == ("G", "PG", "PG-13", "R", "NC-17")
    assert levels["us_tv"] == ("TV-Y", "TV-G", "TV-Y7", "TV-Y7-FV", "TV-PG", "TV-14", "TV-MA")
    assert levels["kijkwijzer"] == ("AL", "6", "9", "12", "14", "16", "18")
    assert levels["prime"] == ("ALL", "7+", "13+", "16+", "18+")


def test_it_gives_every_territory_as_iso_alpha_2_or_star():
    territories = {scheme.id: scheme.territory for scheme in SHIPPED.schemes.values()}
    assert territories == {
        "prime": "*",
        "eirin": "JP",
        "mpa": "US",
        "us_tv": "US",
        "bbfc": "GB",
        "fsk": "DE",
        "acb": "AU",
        "classind": "BR",
        "kijkwijzer": "NL",
        "kmrb": "KR",
        "cbfc": "IN",
        "imda": "SG",
    }


def test_it_maps_local_levels_to_prime_buckets_as_published():
    mappings = {mapping.source: dict(mapping.codes) for mapping in SHIPPED.schemes["prime"].mappings}
    assert mappings["mpa"] == {"G": "ALL", "PG": "7+", "PG-13": "13+", "R": "18+", "NC-17": "18+"}
    assert mappings["us_tv"] == {
        "TV-Y": "ALL",
        "TV-G": "ALL",
        "TV-Y7": "7+",
        "TV-Y7-FV": "7+",
        "TV-PG": "7+",
        "TV-14": "16+",
        "TV-MA": "18+",
    }
    assert mappings["fsk"] == {
        "FSK 0": "ALL",
        "FSK 6": "7+",
        "FSK 12": "13+",
        "FSK 16": "16+",
        "FSK 18": "18+",
    }
    assert mappings["eirin"] == {"G": "ALL", "PG12": "13+", "R15+": "16+", "R18+": "18+"}
    assert {code: mappings["bbfc"][code] for code in ("U", "PG", "12", "15", "18")} == {
        "U": "ALL",
        "PG": "7+",
        "12": "13+",
        "15": "16+",
        "18": "18+",
    }
    assert mappings["cbfc"] == {"U": "ALL", "UA 7+": "7+", "UA 13+": "13+", "UA 16+": "16+", "A": "18+"}


def test_it_gives_advice_in_both_languages_for_every_topic():
    for scheme in SHIPPED.schemes.values():
        for topic in scheme.advice.topics:
            for text in topic.texts[topic.when.min_intensity :]:
                assert text is not None and text.en.strip() and text.ja.strip(), (scheme.id, topic.id)
                assert "{topic}" not in text.en + text.ja, (scheme.id, topic.id)
