"""Fixtures for the ratings tests: the shipped policies, and a private copy to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shinsa.ratings.policies import RatingPolicies, load_rating_policies

REPO = Path(__file__).resolve().parents[2]
POLICY_DIR = REPO / "policies"


@pytest.fixture(scope="session")
def policies() -> RatingPolicies:
    return load_rating_policies(POLICY_DIR)


class PolicyCopy:
    """A copy of the shipped policy folder in a temporary directory, with helpers to edit its files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(POLICY_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))

    def path(self, name: str) -> Path:
        return self.root / name if name == "descriptors.toml" else self.root / "rating_schemes" / name

    def replace(self, name: str, old: str, new: str) -> int:
        """Replaces the one occurrence of ``old``; returns the 1-based line where ``new`` starts."""
        path = self.path(name)
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return text[: text.index(old)].count("\n") + 1

    def line_of(self, name: str, needle: str) -> int:
        text = self.path(name).read_text(encoding="utf-8")
        return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def policy_copy(tmp_path: Path) -> PolicyCopy:
    return PolicyCopy(tmp_path / "policies")


class Catalog:
    """A small catalog for the workflow tests: a film and a series with one season of two episodes."""

    def __init__(self) -> None:
        from datetime import date

        from shinsa.catalog.models import Availability, Title, TitleVersion

        self.film = Title.objects.create(
            external_id="film-1", kind="film", original_title="Film", original_language="en", year=2024
        )
        self.film_cut = TitleVersion.objects.create(title=self.film, label="theatrical")
        for territory in ("GB", "JP", "US"):
            Availability.objects.create(
                title_version=self.film_cut, territory=territory, starts_on=date(2025, 4, 1)
            )
        self.series = Title.objects.create(
            external_id="series-1", kind="series", original_title="Series", original_language="ja"
        )
        self.season = Title.objects.create(
            external_id="series-1-s1",
            kind="season",
            parent=self.series,
            number=1,
            original_title="S1",
            original_language="ja",
        )
        self.episodes = []
        self.episode_cuts = []
        for number in (1, 2):
            episode = Title.objects.create(
                external_id=f"series-1-s1-e{number}",
                kind="episode",
                parent=self.season,
                number=number,
                original_title=f"E{number}",
                original_language="ja",
            )
            cut = TitleVersion.objects.create(title=episode, label="original")
            Availability.objects.create(title_version=cut, territory="GB", starts_on=date(2025, 4, 1))
            self.episodes.append(episode)
            self.episode_cuts.append(cut)


@pytest.fixture
def catalog(db) -> Catalog:
    return Catalog()


STRICTER_BBFC = ('levels = ["U", "U", "12", "15", "18"]', 'levels = ["U", "U", "12", "18", "18"]')


def publish_cut(reviewer, cut, *findings):
    """Assess ``cut`` with ``findings`` (descriptor, intensity) as ``reviewer`` and publish it."""
    from shinsa.ratings.actions import (
        do_add_finding,
        do_publish_ratings,
        do_start_assessment,
        do_submit_assessment,
    )

    assessment = do_start_assessment(actor=reviewer, title_version=cut)
    for descriptor, intensity in findings:
        do_add_finding(
            actor=reviewer,
            assessment=assessment,
            descriptor=descriptor,
            intensity=intensity,
            start_ms=1000,
            end_ms=4000,
        )
    do_submit_assessment(actor=reviewer, assessment=assessment)
    do_publish_ratings(actor=reviewer, assessment=assessment)
    return assessment
