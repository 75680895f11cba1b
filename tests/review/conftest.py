"""Fixtures for review tests: a title version shown in three territories and a skilled review team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from shinsa.accounts.actions import (
    do_set_clearance,
    do_set_language_skill,
    do_set_policy_areas,
    do_set_territories,
)
from shinsa.accounts.models import User
from shinsa.catalog.models import Availability, Title, TitleVersion
from shinsa.review.actions import do_sync_queues
from tests.accounts.conftest import audit_log  # noqa: F401 - the same audit log fixture
from tests.cast import CAST_ACTOR, Cast

AREAS = ("violence", "hate", "sexual_content", "subtitle_quality", "maturity_rating")


def give_skills(
    user: User,
    *,
    areas: tuple[str, ...] = AREAS,
    languages: dict[str, str] | None = None,
    clearances: dict[str, int] | None = None,
    territories: tuple[str, ...] = (),
) -> User:
    for language, level in (languages or {"ja": "N1", "en": "C1"}).items():
        do_set_language_skill(actor=CAST_ACTOR, user=user, language=language, level=level)
    do_set_policy_areas(actor=CAST_ACTOR, user=user, areas=areas)
    for category, level in (clearances or {"violence_gore": 2, "disturbing": 1, "sexual": 2}).items():
        do_set_clearance(actor=CAST_ACTOR, user=user, category=category, level=level)
    do_set_territories(actor=CAST_ACTOR, user=user, territories=territories)
    return User.objects.get(pk=user.pk)


@dataclass(frozen=True)
class Team:
    rin: User  # reviewer
    sora: User  # senior reviewer: confirms and handles escalations
    mei: User  # ops manager
    olive: User  # outsider


@pytest.fixture
def team(cast: Cast) -> Team:
    do_sync_queues(actor="system")
    return Team(
        rin=give_skills(cast.rin, territories=("JP",)),
        sora=give_skills(cast.sora, languages={"ja": "N1", "en": "C2"}),
        mei=cast.mei,
        olive=cast.olive,
    )


def make_version(external_id: str = "film-1") -> TitleVersion:
    title = Title.objects.create(
        external_id=external_id, kind="film", original_title="Film", original_language="ja"
    )
    version = TitleVersion.objects.create(title=title, label="theatrical")
    today = timezone.now().date()
    Availability.objects.create(title_version=version, territory="JP", starts_on=datetime.date(2020, 1, 1))
    Availability.objects.create(
        title_version=version,
        territory="US",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2099, 1, 1),
    )
    Availability.objects.create(
        title_version=version, territory="GB", starts_on=today + datetime.timedelta(days=30)
    )
    return version


@pytest.fixture
def version(db) -> TitleVersion:
    return make_version()


def windows(version: TitleVersion) -> list[tuple[str, str, str | None]]:
    return [
        (w.territory, w.starts_on.isoformat(), w.ends_on.isoformat() if w.ends_on else None)
        for w in Availability.objects.filter(title_version=version).order_by("territory", "starts_on")
    ]
