"""Labeling end to end in a real browser (Debian chromium): two labelers mark overlapping violence
segments with the player's keys, they disagree on a gore segment so a third labeler is added, the
consensus is exported and imported again without loss."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from shinsa.accounts.roles import Role
from shinsa.labeling.models import ConsensusLabel, LabelingProject, LabelTask, TaskStatus
from shinsa.labeling.queries import project_agreement
from shinsa.review.actions import do_sync_queues
from tests.browser.conftest import artifacts, live_server, page, pass_second_factor, totp_secret_for  # noqa: F401 - shared fixtures
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.labeling.conftest import encoded_clip, film, make_project
from tests.ratings.test_browser_assessment import _seek  # the one way to seek the player
from tests.review.conftest import give_skills
from tests.security.test_browser_csp import COLLECT_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.media, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def project(cast, media_root, tmp_path):  # noqa: F811 - the fixture imported above
    do_sync_queues(actor="system")
    film("film-a", encoded_clip(tmp_path))
    for person in (cast.rin, cast.sora, make_person("ken", Role.REVIEWER)):
        give_skills(person)
    return make_project(source={"titles": ["film-a"]})


def _sign_in(page, username: str) -> None:  # noqa: F811
    # The device exists before the password is sent, so the server asks for a code, not an enrolment.
    secret = totp_secret_for(username)
    page.context.clear_cookies()
    page.goto("/login/?next=/labeling/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if secret:  # seniors pass the second factor with a real code from their key
        pass_second_factor(page, secret)


def _label(page, username: str, segments: list[tuple[float, float, str]], shot: str, artifacts) -> None:  # noqa: F811
    from playwright.sync_api import expect

    _sign_in(page, username)
    page.get_by_role("button", name="Label the next item").click()
    expect(page.get_by_role("heading", name="Your answer")).to_be_visible()
    page.locator("body").click(position={"x": 5, "y": 5})
    for start, end, key in segments:
        _seek(page, start)
        page.keyboard.press("i")
        _seek(page, end)
        page.keyboard.press("o")
        saved = int(page.locator("[data-labeling]").get_attribute("data-saved") or 0)
        page.keyboard.press(key)
        expect(page.locator("[data-labeling]")).to_have_attribute("data-saved", str(saved + 1))
    expect(page.locator("[data-label-status]")).to_have_text("Saved")
    page.screenshot(path=artifacts / shot, full_page=True)
    page.get_by_role("button", name="Submit and take the next item").click()
    expect(page.get_by_text("Submitted. Thank you.")).to_be_visible()


def test_it_labels_with_overlap_adds_a_labeler_on_disagreement_and_round_trips_the_export(
    page,  # noqa: F811
    artifacts,  # noqa: F811
    project,
    tmp_path,
):
    from playwright.sync_api import expect

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_init_script(COLLECT_VIOLATIONS)
    _label(page, "rin", [(1.0, 2.0, "1"), (3.0, 3.5, "2")], "labeling-01-rin.png", artifacts)
    _label(page, "sora", [(1.2, 2.2, "1")], "labeling-02-sora.png", artifacts)
    task = LabelTask.objects.get(project=project)
    # Violence overlaps (one unit both marked), gore only rin marked: half the units agree.
    assert (task.status, task.agreement, task.target_labelers) == (TaskStatus.OPEN, 0.5, 3)

    _label(page, "ken", [(1.1, 2.1, "1"), (3.0, 3.5, "2")], "labeling-03-ken.png", artifacts)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE
    consensus = {row.label: row for row in ConsensusLabel.objects.filter(task=task)}
    assert sorted(consensus) == ["gore", "violence"]
    assert consensus["violence"].support == 3 and consensus["gore"].support == 2
    assert consensus["violence"].start_ms == 1083 and consensus["violence"].end_ms == 2083  # medians

    _sign_in(page, "mei")
    page.goto(f"/labeling/projects/{project.slug}/")
    alpha = project_agreement(project).alpha
    expect(page.locator("[data-alpha]")).to_have_text(f"{alpha:.3f}")
    assert page.evaluate("window.__cspViolations") == [] and errors == []  # strict CSP holds
    page.screenshot(path=artifacts / "labeling-04-agreement.png", full_page=True)

    call_command("dataset", "export", project.slug, "--format", "jsonl", "--out", str(tmp_path / "a.jsonl"))
    call_command("dataset", "import", "reimported", str(tmp_path / "a.jsonl"))
    call_command("dataset", "export", "reimported", "--format", "jsonl", "--out", str(tmp_path / "b.jsonl"))
    first, second = (
        (tmp_path / name).read_text(encoding="utf-8").splitlines() for name in ("a.jsonl", "b.jsonl")
    )
    assert first[1:] == second[1:]
    (item,) = [json.loads(line) for line in second[1:]]
    assert sorted((c["label"], c["start_ms"], c["end_ms"]) for c in item["consensus"]) == [
        ("gore", 3000, 3500),
        ("violence", 1083, 2083),
    ]
    assert LabelingProject.objects.get(slug="reimported").tasks.get().status == TaskStatus.COMPLETE
