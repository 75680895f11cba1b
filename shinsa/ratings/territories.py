"""Which schemes rate a territory, and the language its consumer advice must be in (pure).

A territory is rated by every scheme whose ``territory`` is that country, plus every bucket scheme
(``territory = "*"``, Prime-style). The bucket is derived, through its published mapping, only from
the certificates of schemes of that same territory (never from another country's certificate);
without one it is computed from the findings. See docs/ratings.md, "The workflow".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from shinsa.ratings.engine import Rating, rate_title
from shinsa.ratings.findings import Certificate, Finding
from shinsa.ratings.schemes import Scheme

ANY_TERRITORY = "*"
# The language consumer advice must be available in for a territory: Japanese in Japan, English
# elsewhere (Shinsa's advice is bilingual ja/en; other languages are not yet written).
ADVICE_LANGUAGE = {"JP": "ja"}
DEFAULT_ADVICE_LANGUAGE = "en"


def advice_language(territory: str) -> str:
    return ADVICE_LANGUAGE.get(territory, DEFAULT_ADVICE_LANGUAGE)


def schemes_for_territory(schemes: Mapping[str, Scheme], territory: str) -> list[str]:
    """The ids of the schemes that rate ``territory``: its own (id order), then the bucket schemes."""
    local = [scheme_id for scheme_id, scheme in sorted(schemes.items()) if scheme.territory == territory]
    buckets = [
        scheme_id for scheme_id, scheme in sorted(schemes.items()) if scheme.territory == ANY_TERRITORY
    ]
    return local + buckets


class TerritoryRating(NamedTuple):
    territory: str
    rating: Rating


def propose_ratings(
    schemes: Mapping[str, Scheme],
    findings: Sequence[Finding],
    certificates: Iterable[Certificate],
    territories: Iterable[str],
) -> list[TerritoryRating]:
    """The rating of one cut in every scheme of every territory (territory order, then scheme order).

    Certificates first (``rate_title``); a bucket scheme maps only the territory's own certificates.
    """
    issued = {certificate.scheme: certificate for certificate in certificates}
    proposed: list[TerritoryRating] = []
    for territory in sorted(set(territories)):
        scheme_ids = schemes_for_territory(schemes, territory)
        relevant = [issued[scheme_id] for scheme_id in scheme_ids if scheme_id in issued]
        for rating in rate_title(schemes, findings, certificates=relevant, scheme_ids=scheme_ids):
            proposed.append(TerritoryRating(territory, rating._replace(territory=territory)))
    return proposed
