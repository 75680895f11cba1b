"""Run as a process by the database-restart test (against a throwaway cluster).

``seed ITEMS REVIEWERS``: reviewers claimer0.. and ITEMS open items.
``claim USERNAME PAUSE``: claim until the queue is empty, pausing PAUSE seconds after each claim (a
reviewer reading); a lost connection is retried (up to 60 s). Prints one JSON object: the ids it saw
claimed, the database errors it rode out, and the ids it holds according to the database at the end
(a claim whose commit succeeded but whose reply was cut off shows only there).
"""

from __future__ import annotations

import json
import sys
import time

import django


def seed(items: int, reviewers: int) -> None:
    from shinsa.accounts.roles import Role
    from shinsa.review.actions import do_sync_queues, do_upsert_item
    from tests.cast import make_person
    from tests.review.conftest import give_skills, make_version

    do_sync_queues(actor="system")
    for n in range(reviewers):
        give_skills(make_person(f"claimer{n}", Role.REVIEWER))
    for n in range(items):
        do_upsert_item(actor="system", title_version=make_version(f"restart-{n}"), policy_area="hate")


def claim(username: str, pause: float) -> None:
    from django.db import DatabaseError, InterfaceError, connection

    from shinsa.accounts.models import User
    from shinsa.review.actions import do_claim_next_item
    from shinsa.review.models import WorkItem

    claimed: list[int] = []
    errors = 0
    failing_since: float | None = None
    while True:
        try:
            reviewer = User.objects.get(username=username)
            item = do_claim_next_item(actor=reviewer)
            failing_since = None
        except (DatabaseError, InterfaceError):
            errors += 1
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since > 60:
                raise
            connection.close()  # a fresh connection on the next try
            time.sleep(0.2)
            continue
        if item is None:
            break
        claimed.append(item.pk)
        time.sleep(pause)
    holding = sorted(WorkItem.objects.filter(claimed_by__username=username).values_list("pk", flat=True))
    print(json.dumps({"claimed": claimed, "errors": errors, "holding": holding}))


if __name__ == "__main__":
    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), int(sys.argv[3]))
    else:
        claim(sys.argv[2], float(sys.argv[3]))
