from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from shinsa.accounts.actions import do_update_user
from shinsa.accounts.models import RoleGrant, User
from shinsa.accounts.roles import Role
from shinsa.jobs.actions import do_register_worker
from shinsa.policy.current import current_policies
from tests.cast import make_person
from tests.web import sample_tasks

ALL_SECTIONS = {
    "my_queue",
    "escalations",
    "audits",
    "calibration",
    "policies",
    "operations",
    "audit_log",
    "administration",
}


@pytest.mark.parametrize(
    ("person", "sections"),
    [
        ("rin", {"my_queue"}),
        ("sora", {"my_queue", "escalations"}),
        ("kai", {"audits"}),
        ("mei", {"operations", "audit_log"}),
        ("ada", ALL_SECTIONS),
    ],
)
def test_it_shows_each_role_its_own_sections(cast, client_for, person, sections):
    response = client_for(getattr(cast, person)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for section in ALL_SECTIONS:
        assert (f'id="section-{section}"' in html) == (section in sections), section
    assert 'id="section-no-access"' not in html


def test_it_shows_the_reviewer_what_waits_and_what_they_hold(cast, client_for):
    html = client_for(cast.rin).get("/").content.decode()
    assert '<dd data-stat="review-waiting">0</dd>' in html
    assert '<dd data-stat="review-claimed">0</dd>' in html
    assert 'action="/review/next"' in html and 'href="/review/"' in html
    senior = client_for(cast.sora).get("/").content.decode()
    assert '<dd data-stat="confirmations">0</dd>' in senior and 'href="/review/confirmations/"' in senior


def test_it_tells_the_outsider_politely_that_they_have_no_role(cast, client_for):
    response = client_for(cast.olive).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="section-no-access"' in html
    assert "Your account has no role yet" in html
    assert not any(f'id="section-{section}"' in html for section in ALL_SECTIONS)
    assert 'href="/admin/"' not in html


def test_it_sends_anonymous_visitors_to_sign_in(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_shows_the_person_and_their_roles_in_the_header(cast, client_for):
    html = client_for(cast.sora).get("/").content.decode()
    assert '<span class="account__name">Sora</span>' in html
    assert "Senior reviewer" in html


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_it_counts_real_background_tasks_for_the_ops_manager(cast, client_for):
    sample_tasks.succeed.enqueue()
    sample_tasks.fail.enqueue()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    sample_tasks.succeed.enqueue()
    sample_tasks.succeed.enqueue()
    html = client_for(cast.mei).get("/").content.decode()
    assert '<dd data-stat="tasks-ready">2</dd>' in html
    assert '<dd data-stat="tasks-running">0</dd>' in html
    assert '<dd data-stat="tasks-failed">1</dd>' in html
    assert '<dd data-stat="workers-live">0</dd>' in html
    assert "Tasks are waiting and no worker is running." in html

    do_register_worker(worker_id="worker-a", pid=1234, host="test", stale_after=timedelta(seconds=30))
    html = client_for(cast.mei).get("/").content.decode()
    assert '<dd data-stat="workers-live">1</dd>' in html
    assert "The oldest waiting task was queued" in html


def test_it_says_so_when_no_task_is_waiting_or_running(cast, client_for):
    html = client_for(cast.mei).get("/").content.decode()
    assert '<dd data-stat="tasks-ready">0</dd>' in html
    assert "Nothing is waiting or running." in html


def test_it_shows_recent_audit_events_to_whoever_may_read_the_log(cast, client_for):
    do_update_user(actor=cast.kai, user=cast.kai, preferred_language="ja")
    html = client_for(cast.mei).get("/").content.decode()
    newest = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "<td>kai</td>" in newest
    assert "<code>account.update</code>" in newest
    assert f"<code>accounts.user:{cast.kai.pk}</code>" in newest
    assert "<code>account.update</code>" not in client_for(cast.rin).get("/").content.decode()


def test_it_says_so_when_the_audit_trail_is_empty(db, client_for):
    # As on a fresh install whose first account came from `createsuperuser`, outside the actions.
    manager = User.objects.create_user(username="first", password="not used here")
    RoleGrant.objects.create(user=manager, role=Role.OPS_MANAGER)
    assert "No audit events yet." in client_for(manager).get("/").content.decode()


def test_it_counts_accounts_and_those_without_a_role_for_the_admin(cast, client_for):
    html = client_for(cast.ada).get("/").content.decode()
    assert '<dd data-stat="users-active">6</dd>' in html
    assert '<dd data-stat="users-without-role">1</dd>' in html
    assert 'href="/admin/"' in html


@pytest.mark.db_sensitive
def test_it_keeps_the_home_page_to_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _ in range(5):
        do_update_user(actor=cast.kai, user=cast.kai, preferred_language="ja")
        do_update_user(actor=cast.kai, user=cast.kai, preferred_language="en")
    client = client_for(cast.ada)
    # session, user, role grants, the verified second-factor device; my queue (skills, onboarding
    # gates, exposure and wellness, waiting, claimed); escalations (waiting, appeals, confirmations);
    # audits and calibration; tasks, live workers, titles per kind, asset versions, last catalog
    # change, audit events, user counts
    with django_assert_max_num_queries(21):
        assert client.get("/").status_code == 200


def test_it_shows_the_policy_owner_the_version_in_force(db, client_for):
    owner = make_person("pat", Role.POLICY_OWNER)
    policies = current_policies()
    html = client_for(owner).get("/", headers={"accept-language": "ja"}).content.decode()
    assert f'<code title="{policies.version}" data-stat="policy-version">' in html
    first = next(iter(policies.areas))
    assert f"<td>{first.name.ja}</td>" in html


def test_it_says_so_when_the_policy_files_are_invalid(db, client_for, settings, tmp_path):
    owner = make_person("pat", Role.POLICY_OWNER)
    (tmp_path / "policy_areas.toml").write_text("[[areas]]\nid = 1\n", encoding="utf-8")
    settings.POLICY_DIR = tmp_path  # policy sets are cached per directory: this one loads afresh
    html = client_for(owner).get("/").content.decode()
    assert "problems; run <code>shinsa manage check</code> to see them." in html
    assert "policy-version" not in html


def test_it_counts_the_items_routed_to_the_reviewer_and_those_they_hold(cast, client_for):
    from shinsa.review.actions import do_claim_next_item, do_sync_queues
    from tests.review.conftest import give_skills, make_version
    from tests.review.console_world import make_item

    do_sync_queues(actor="system")
    rin = give_skills(cast.rin, territories=("JP",))
    for number in range(3):
        make_item(make_version(f"home-{number}"))
    do_claim_next_item(actor=rin)
    html = client_for(rin).get("/").content.decode()
    assert '<dd data-stat="review-waiting">2</dd>' in html
    assert '<dd data-stat="review-claimed">1</dd>' in html
    # An outsider to these skills is offered nothing.
    assert '<dd data-stat="review-waiting">0</dd>' in client_for(cast.sora).get("/").content.decode()
