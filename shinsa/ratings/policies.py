"""All rating policies of one policy folder, loaded and cross-checked together.

``load_rating_policies(policy_dir)`` is the one entry point: it reads ``descriptors.toml`` and every
scheme with its golden cases under ``rating_schemes/``, and raises PolicyFileError (file, line, field,
reason) at the first problem. Running the golden cases is separate (``golden_failures``) so tests can
name each case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from shinsa.ratings.golden import GoldenCase, load_golden
from shinsa.ratings.schemes import Scheme, load_schemes
from shinsa.ratings.vocabulary import Vocabulary, load_vocabulary

DESCRIPTORS_FILE = "descriptors.toml"
SCHEMES_FOLDER = "rating_schemes"


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingPolicies:
    vocabulary: Vocabulary
    # Keyed by scheme id, in id order.
    schemes: dict[str, Scheme]
    golden_cases: tuple[GoldenCase, ...]
    # Content hash over the vocabulary and every scheme: what a stored rating records it was made under.
    version: str

    @property
    def scheme_levels(self) -> dict[str, tuple[str, ...]]:
        return {scheme_id: scheme.codes for scheme_id, scheme in self.schemes.items()}


def load_rating_policies(policy_dir: Path) -> RatingPolicies:
    """Loads and validates the vocabulary, the schemes and their golden cases under ``policy_dir``."""
    vocabulary = load_vocabulary(policy_dir / DESCRIPTORS_FILE)
    loaded = load_schemes(policy_dir / SCHEMES_FOLDER, vocabulary)
    schemes = {scheme_id: loaded[scheme_id] for scheme_id in sorted(loaded)}
    golden = tuple(case for scheme in schemes.values() for case in load_golden(scheme, schemes, vocabulary))
    digest = hashlib.sha256(vocabulary.content_hash.encode())
    for scheme in schemes.values():
        digest.update(f"\n{scheme.id}:{scheme.content_hash}".encode())
    return RatingPolicies(
        vocabulary=vocabulary, schemes=schemes, golden_cases=golden, version=digest.hexdigest()
    )
