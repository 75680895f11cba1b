"""The labeling console pages: claim, console, autosave, blindness, submit, the project page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from shinsa.labeling.models import Label, LabelingProject, LabelTask, TaskStatus

pytestmark = [pytest.mark.django_db, pytest.mark.media]


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def claimed(client) -> LabelTask:
    response = client.post("/labeling/next")
    assert response.status_code == 302 and response["Location"].startswith("/labeling/tasks/")
    return LabelTask.objects.get(pk=int(response["Location"].split("/")[3]))


def test_it_claims_the_next_item_and_shows_the_console_with_the_one_player(world):
    client = signed_in(world.rin)
    task = claimed(client)
    page = client.get(f"/labeling/tasks/{task.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "data-player-root" in text and f"/media/{task.asset_version_id}/play" in text
    assert "Mark every range where violence is on screen." in text
    config = json.loads(page.context["config_json"])
    assert config["kind"] == "segments" and [c["id"] for c in config["classes"]] == ["violence", "gore"]
    assert config["labels"] == []


def test_it_autosaves_snapped_labels_and_stays_blind_to_others(world):
    rin = signed_in(world.rin)
    task = claimed(rin)
    body = {"labels": [{"label": "violence", "start_ms": 1010, "end_ms": 2010}]}
    saved = rin.post(f"/labeling/tasks/{task.pk}/autosave", body, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["labels"] == [{"label": "violence", "start_ms": 1000, "end_ms": 2041}]
    sora = signed_in(world.sora)
    assert sora.get(f"/labeling/tasks/{task.pk}/").status_code == 404
    again = sora.post(f"/labeling/tasks/{task.pk}/autosave", body, content_type="application/json")
    assert again.status_code == 404
    bad = rin.post(f"/labeling/tasks/{task.pk}/autosave", {"labels": "x"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json() == {"errors": ["The labels could not be read."]}
    wrong = rin.post(
        f"/labeling/tasks/{task.pk}/autosave",
        {"labels": [{"label": "violence", "start_ms": 5, "end_ms": 99999}]},
        content_type="application/json",
    )
    assert wrong.json() == {"errors": ["A segment cannot end after the video."]}
    assert Label.objects.filter(submission__task=task).count() == 1  # the bad save stored nothing


def test_it_submits_and_moves_on_and_shows_agreement_to_managers_only(world):
    rin = signed_in(world.rin)
    task = claimed(rin)
    rin.post(
        f"/labeling/tasks/{task.pk}/autosave",
        {"labels": [{"label": "violence", "start_ms": 1000, "end_ms": 2000}]},
        content_type="application/json",
    )
    moved = rin.post(f"/labeling/tasks/{task.pk}/submit", {"next": "1"})
    assert moved.status_code == 302 and moved["Location"] != f"/labeling/tasks/{task.pk}/"
    assert rin.get(f"/labeling/tasks/{task.pk}/").status_code == 404  # her answer is in; the item moved on
    sora = signed_in(world.sora)
    claimed(sora)
    manager = signed_in(world.mei)
    page = manager.get("/labeling/projects/violence-demo/")
    assert page.status_code == 200 and "Agreement per label" in page.content.decode()
    assert sora.get("/labeling/projects/violence-demo/").status_code == 403
    assert LabelTask.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_it_records_exposure_of_graphic_media_against_the_budget(world):
    rin = signed_in(world.rin)
    task = claimed(rin)
    response = rin.post(f"/labeling/tasks/{task.pk}/exposure", {"viewed_ms": "60000"})
    assert response.status_code == 200 and response.json()["weighted_ms"] > 0
    assert rin.post(f"/labeling/tasks/{task.pk}/exposure", {"viewed_ms": "-5"}).status_code == 400


def test_it_creates_a_project_from_the_form_and_fills_it(world):
    manager = signed_in(world.mei)
    assert manager.get("/labeling/projects/new").status_code == 200
    refused = manager.post("/labeling/projects/new", {"slug": "violence-demo"})
    assert refused.status_code == 200 and refused.context["form"].errors
    response = manager.post(
        "/labeling/projects/new",
        {
            "slug": "gore-a",
            "name_ja": "流血",
            "name_en": "Gore",
            "instructions_ja": "流血の区間を囲んでください。",
            "instructions_en": "Mark gore.",
            "schema_id": "violence_segments",
            "policy_area": "violence",
            "source_kind": "catalog",
            "titles": "film-a",
            "overlap": "2",
            "max_labelers": "3",
            "min_agreement": "0.8",
            "consensus_method": "dawid_skene",
            "graphic_category": "violence_gore",
            "graphic_level": "2",
            "language": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/labeling/projects/gore-a/"
    created = LabelingProject.objects.get(slug="gore-a")
    assert [t.key for t in created.tasks.all()] == ["tv:film-a/original"]
    assert created.consensus_method == "dawid_skene" and created.source == {"titles": ["film-a"]}
    assert manager.post("/labeling/projects/gore-a/fill").status_code == 302
    assert created.tasks.count() == 1
    assert signed_in(world.rin).get("/labeling/projects/new").status_code == 403


def test_it_lets_a_dataset_manager_switch_a_titles_training_rights(world):
    from shinsa.labeling.models import TrainingRights

    manager = signed_in(world.mei)
    page = manager.get("/labeling/projects/violence-demo/")
    assert 'data-rights="film-a"' in page.content.decode()
    response = manager.post("/labeling/rights/film-a", {"allowed": "0", "project": "violence-demo"})
    assert response["Location"] == "/labeling/projects/violence-demo/"
    assert not TrainingRights.objects.get(title__external_id="film-a").allowed
    assert signed_in(world.rin).post("/labeling/rights/film-a", {"allowed": "1"}).status_code == 403
    assert manager.post("/labeling/rights/nope", {"allowed": "1"}).status_code == 404
