"""The back-test and compliance gaps on the demo catalog: every cut assessed and published, then a
stricter BBFC file is back-tested."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shinsa.accounts.models import User
from shinsa.catalog.models import Title, TitleVersion
from shinsa.demo.loading import load_demo
from shinsa.ratings.models import PublishedRating
from shinsa.ratings.policies import load_rating_policies
from shinsa.ratings.queries import compliance_gaps, run_backtest
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.ratings.conftest import STRICTER_BBFC, publish_cut

# What the demo reviewer logs per cut (by title id); the others get no findings at all.
DEMO_FINDINGS = {
    "tetsu-no-shiro": [("violence", 3)],
    "yami-no-kaidan": [("threat_horror", 4), ("gore", 3)],
}


@pytest.fixture
def demo(db, media_root, tmp_path):  # noqa: F811 - the fixture imported above
    load_demo(source_dir=tmp_path / "demo-source")
    return User.objects.get(username="haruka")


def test_it_back_tests_the_published_demo_catalog(demo, policy_copy, policies):
    assert Title.objects.count() == 16
    today = timezone.localdate()
    before = compliance_gaps(policies, today=today)
    assert {gap.problem for gap in before} == {"missing_rating"}

    # Episodes and films are assessed; seasons and series get their episodes' rollup.
    for cut in TitleVersion.objects.select_related("title").order_by("pk"):
        if cut.availability.exists() and cut.title.kind in ("film", "episode"):
            publish_cut(demo, cut, *DEMO_FINDINGS.get(cut.title.external_id, []))
    assert compliance_gaps(policies, today=today) == []
    assert PublishedRating.objects.filter(source="rollup").exists()

    policy_copy.replace("bbfc.toml", *STRICTER_BBFC)
    report = run_backtest(load_rating_policies(policy_copy.root))
    assert report.checked == PublishedRating.objects.count()
    changed = {(change.title, change.scheme, change.territory) for change in report.changed}
    assert changed and all(scheme == "bbfc" for _title, scheme, _territory in changed)
    assert any(title.startswith("tetsu-no-shiro/") for title, _scheme, _territory in changed)
    assert run_backtest(policies).changed == []
