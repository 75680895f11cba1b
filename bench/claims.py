"""Claims per second through ``do_claim_next_item`` against the bare SQL claim statement, on PostgreSQL.

Fills the database named by ``DATABASE_URL`` (migrated first; review and catalog rows of earlier bench
runs are replaced) with pending items, then for 1, 8 and 32 reviewer processes:

- ours: each process calls ``do_claim_next_item`` (routing from the reviewer's skills in SQL, SKIP LOCKED,
  conditional UPDATE, lease, audit event) in a loop for a fixed time;
- bare: the same harness runs one ``WITH … FOR UPDATE SKIP LOCKED … UPDATE … RETURNING`` statement per
  claim in autocommit, with no eligibility filter and no audit.

Every claimed id is reported back and compared with the database: ``double_claims`` counts ids two
claims returned, ``lost_items`` ids whose row is not claimed by the process that reported it (or claimed
rows nobody reported). Claimed items are reopened between phases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shinsa_bench_review \
        python bench/claims.py [--quick] --json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")

TARGET_CLAIMS_PER_SECOND = 1_000
TARGET_RATIO = 2.0
KINDS = ("review", "appeal", "audit", "gold", "calibration", "label")
BARE_CLAIM = """
WITH next AS (
    SELECT id FROM review_workitem WHERE status = 'open' ORDER BY rank_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED
)
UPDATE review_workitem AS item
SET status = 'claimed', claimed_by_id = %s, claimed_at = now(),
    lease_expires_at = now() + interval '10 minutes'
FROM next WHERE item.id = next.id
RETURNING item.id
"""


def setup_django() -> None:
    import django

    django.setup()


def prepare(items: int, reviewers: int, kinds: tuple[str, ...] = KINDS) -> list[int]:
    """Migrate, replace bench data, create reviewers with every skill and ``items`` open items."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from shinsa.accounts.actions import (
        do_create_user,
        do_set_clearance,
        do_set_language_skill,
        do_set_policy_areas,
    )
    from shinsa.accounts.models import User
    from shinsa.accounts.roles import Role
    from shinsa.catalog.models import Title, TitleVersion
    from shinsa.policy.current import current_policies
    from shinsa.review import priority
    from shinsa.review.actions import do_sync_queues
    from shinsa.review.routing import queue_for

    policies = current_policies()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE review_workitem, review_workitemsignal, review_workitemreport, review_workitemskip,"
            " review_decision, review_evidence, review_confirmation, review_escalation, review_appeal,"
            " review_availabilitychange, review_exposureentry CASCADE"
        )
        cursor.execute("DELETE FROM catalog_titleversion WHERE label = 'bench'")
        cursor.execute("DELETE FROM catalog_title WHERE external_id LIKE 'bench-%%'")
    do_sync_queues(actor="bench")
    ids = []
    for n in range(reviewers):
        user = User.objects.filter(username=f"bench{n}").first() or do_create_user(
            actor="bench", username=f"bench{n}", roles=[Role.REVIEWER], password=None
        )
        do_set_language_skill(actor="bench", user=user, language="ja", level="N1")
        do_set_language_skill(actor="bench", user=user, language="en", level="C2")
        do_set_policy_areas(actor="bench", user=user, areas=policies.areas.ids)
        for category in policies.wellness_presets.ids:
            do_set_clearance(actor="bench", user=user, category=category, level=3)
        ids.append(user.pk)
    areas = list(policies.areas)
    per_version = len(areas) * len(kinds)
    versions_needed = -(-items // per_version)
    titles = Title.objects.bulk_create(
        Title(external_id=f"bench-{n}", kind="film", original_title=f"Bench {n}", original_language="ja")
        for n in range(versions_needed)
    )
    versions = TitleVersion.objects.bulk_create(TitleVersion(title=t, label="bench") for t in titles)
    queue_of = {a.id: queue_for(policies.queues, policy_area=a.id, territory="").id for a in areas}
    now_ms = int(time.time() * 1000)
    columns = (
        "kind, title_version_id, policy_area, queue_id, territory, status, severity, high_severity,"
        " sla_priority, priority_score, rank_ms, due_at, max_confidence, audience_reach, signal_count,"
        " report_count,"
        " required_language, required_level, graphic_category, graphic_level, sensitive, legal_only,"
        " escalation_tier, created_at, updated_at"
    )
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY review_workitem ({columns}) FROM STDIN") as copy,
    ):
        for n in range(items):
            area = areas[n % len(areas)]
            kind = kinds[(n // len(areas)) % len(kinds)]
            severity = area.severity.value
            score = priority.priority_score(
                priority.PriorityInputs(
                    severity=severity,
                    max_confidence=(n % 10) / 10,
                    report_count=n % 5,
                    audience_reach=n % 1000,
                )
            )
            due_ms = now_ms + (n % 72) * 3_600_000
            due_at = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(due_ms / 1000))
            copy.write_row(
                (
                    kind, versions[n // per_version].pk, area.id, queue_of[area.id], "", "open", severity,
                    severity in priority.HIGH_SEVERITIES, priority.SLA_PRIORITY_FOR_SEVERITY[severity], score,
                    priority.rank_ms(due_ms=due_ms, score=score), due_at, (n % 10) / 10, n % 1000, 0, 0,
                    "", "", "", 0, False, False, 0, due_at, due_at,
                )
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE review_workitem")
    return ids


def reopen() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE review_workitem SET status = 'open', claimed_by_id = NULL, claimed_at = NULL,"
            " lease_expires_at = NULL WHERE status = 'claimed'"
        )


def claimer(mode: str, reviewer_id: int, ready, go, seconds: float, results) -> None:  # type: ignore[no-untyped-def]
    setup_django()
    from django.db import connection

    from shinsa.accounts.models import User
    from shinsa.policy.current import current_policies
    from shinsa.review.actions import do_claim_next_item

    reviewer = User.objects.get(pk=reviewer_id)
    current_policies()  # the policy files are read once per process, at start, not on the clock
    connection.ensure_connection()
    claimed: list[int] = []
    ready.put(reviewer_id)
    go.wait()  # every process is set up and connected before the clock starts
    start_at = time.time()
    deadline = start_at + seconds
    if mode == "ours":
        while time.time() < deadline:
            item = do_claim_next_item(actor=reviewer)
            if item is None:
                break
            claimed.append(item.pk)
    else:
        with connection.cursor() as cursor:
            while time.time() < deadline:
                cursor.execute(BARE_CLAIM, [reviewer_id])
                row = cursor.fetchone()
                if row is None:
                    break
                claimed.append(row[0])
    results.put((reviewer_id, claimed, time.time() - start_at))


def run_phase(mode: str, reviewer_ids: list[int], seconds: float) -> dict:
    from django.db import connection

    reopen()
    connection.close()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    ready, go = context.Queue(), context.Event()
    processes = [
        context.Process(target=claimer, args=(mode, rid, ready, go, seconds, results)) for rid in reviewer_ids
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=300)
    go.set()
    reports = [results.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    elapsed = max(report[2] for report in reports)
    seen: dict[int, int] = {}
    double = 0
    for reviewer_id, claimed, _ in reports:
        for item_id in claimed:
            if item_id in seen:
                double += 1
            seen[item_id] = reviewer_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, claimed_by_id FROM review_workitem WHERE status = 'claimed'")
        in_db = dict(cursor.fetchall())
    lost = sum(1 for item_id, reviewer_id in seen.items() if in_db.get(item_id) != reviewer_id)
    lost += sum(1 for item_id in in_db if item_id not in seen)
    total = sum(len(report[1]) for report in reports)
    return {
        "claims": total,
        "seconds": round(elapsed, 3),
        "per_s": total / elapsed,
        "double": double,
        "lost": lost,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 items, 1 and 8 reviewers, 3 s phases")
    parser.add_argument("--items", type=int, help="pending items (default 1,000,000; 20,000 with --quick)")
    parser.add_argument("--seconds", type=float, help="length of each timed phase")
    parser.add_argument("--reviewers", type=int, action="append", help="reviewer process counts to run")
    # The house form of every bench is `bench/<name>.py [--quick] --json`; the one output is that JSON.
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object (always)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/claims.py needs DATABASE_URL=postgres://… (SKIP LOCKED claims are a PostgreSQL matter)"
        )
    items = args.items or (20_000 if args.quick else 1_000_000)
    counts = args.reviewers or ([1, 8] if args.quick else [1, 8, 32])
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    setup_django()
    started = time.time()
    reviewer_ids = prepare(items, max(counts))
    prepared_s = time.time() - started
    runs = []
    for count in counts:
        ours = run_phase("ours", reviewer_ids[:count], seconds)
        bare = run_phase("bare", reviewer_ids[:count], seconds)
        runs.append(
            {
                "reviewers": count,
                "claims_per_s": round(ours["per_s"], 1),
                "bare_sql_claims_per_s": round(bare["per_s"], 1),
                "ratio": round(bare["per_s"] / ours["per_s"], 2) if ours["per_s"] else None,
                "double_claims": ours["double"] + bare["double"],
                "lost_items": ours["lost"] + bare["lost"],
                "claims": ours["claims"],
                "bare_claims": bare["claims"],
            }
        )
    reopen()
    headline = runs[-1]
    print(
        json.dumps(
            {
                "bench": "claims",
                "items": items,
                "reviewers": headline["reviewers"],
                "claims_per_s": headline["claims_per_s"],
                "bare_sql_claims_per_s": headline["bare_sql_claims_per_s"],
                "ratio": headline["ratio"],
                "double_claims": sum(run["double_claims"] for run in runs),
                "lost_items": sum(run["lost_items"] for run in runs),
                "runs": runs,
                "phase_seconds": seconds,
                "prepare_seconds": round(prepared_s, 1),
                "target": {"claims_per_s_at_32": TARGET_CLAIMS_PER_SECOND, "max_ratio": TARGET_RATIO},
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
