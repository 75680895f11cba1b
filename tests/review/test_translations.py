"""The review app's errors speak Japanese (tests/test_translations.py checks its catalogue)."""

from __future__ import annotations

import pytest
from django.utils import translation

from shinsa.review.actions import do_upsert_item
from shinsa.review.errors import ReviewError


def test_it_refuses_in_japanese(team, version):
    with translation.override("ja"), pytest.raises(ReviewError) as refused:
        do_upsert_item(actor="system", title_version=version, policy_area="gossip")
    assert refused.value.messages == ("不明なポリシー領域「gossip」です。",)
