"""The demo's labeling project: labeled through the real claims and actions, one item left for a visitor."""

from __future__ import annotations

import pytest

from shinsa.demo.loading import load_demo
from shinsa.labeling.demo import DEMO_PROJECT, do_load_demo_labeling
from shinsa.labeling.models import LabelingProject, TaskStatus
from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared

pytestmark = [pytest.mark.django_db, pytest.mark.media]


def test_it_labels_the_demo_videos_and_leaves_one_item_for_a_visitor(media_root, tmp_path):  # noqa: F811
    loaded = load_demo(source_dir=tmp_path / "demo-source")
    project = LabelingProject.objects.get(slug=DEMO_PROJECT)
    statuses = list(project.tasks.values_list("status", flat=True))
    assert statuses.count(TaskStatus.OPEN) == 1 and len(statuses) >= 10
    assert project.tasks.filter(target_labelers=3).exists()  # disagreement brought in a third labeler
    figures = loaded.labeling.agreement
    assert figures.alpha is not None and 0 < figures.alpha < 1
    assert set(figures.per_label) == {"violence", "gore"}
    # Liam marks late and misses some: Dawid–Skene trusts him least.
    assert min(figures.labeler_accuracy, key=figures.labeler_accuracy.get) == "liam"
    again = do_load_demo_labeling()
    assert not again.created and again.agreement.alpha == figures.alpha
