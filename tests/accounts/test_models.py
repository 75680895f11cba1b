"""The database itself refuses invalid skill rows, whatever code writes them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shinsa.accounts.models import (
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    RoleGrant,
    TerritorySkill,
    WellnessSettings,
)

pytestmark = pytest.mark.db_sensitive


def _refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_it_matches_language_levels_to_their_scale(cast):
    olive = cast.olive
    assert _refused(lambda: LanguageSkill.objects.create(user=olive, language="ja", level="C2"))
    assert _refused(lambda: LanguageSkill.objects.create(user=olive, language="en", level="N1"))
    assert _refused(lambda: LanguageSkill.objects.create(user=olive, language="xx", level="B1"))
    assert not _refused(lambda: LanguageSkill.objects.create(user=olive, language="ja", level="N4"))
    assert not _refused(lambda: LanguageSkill.objects.create(user=olive, language="ko", level="B1"))
    assert _refused(
        lambda: LanguageSkill.objects.create(user=olive, language="ko", level="A1")
    )  # one per language


def test_it_keeps_clearance_levels_between_one_and_three(cast):
    olive = cast.olive
    assert _refused(lambda: GraphicClearance.objects.create(user=olive, category="sexual", level=0))
    assert _refused(lambda: GraphicClearance.objects.create(user=olive, category="sexual", level=4))
    assert _refused(lambda: GraphicClearance.objects.create(user=olive, category="", level=1))
    assert not _refused(lambda: GraphicClearance.objects.create(user=olive, category="sexual", level=3))
    assert _refused(lambda: GraphicClearance.objects.create(user=olive, category="sexual", level=1))


def test_it_accepts_only_iso_territories_and_known_roles_once(cast):
    olive = cast.olive
    assert _refused(lambda: TerritorySkill.objects.create(user=olive, territory="EU"))
    assert _refused(lambda: TerritorySkill.objects.create(user=olive, territory="jp"))
    assert not _refused(lambda: TerritorySkill.objects.create(user=olive, territory="JP"))
    assert _refused(lambda: RoleGrant.objects.create(user=olive, role="moderator"))
    assert _refused(lambda: RoleGrant.objects.create(user=cast.rin, role="reviewer"))
    assert _refused(lambda: PolicyAreaSkill.objects.create(user=olive, area=""))


def test_it_caps_the_exposure_budget(cast):
    settings = WellnessSettings.objects.get(user=cast.olive)
    settings.daily_exposure_budget_minutes = 481
    assert _refused(lambda: settings.save())
