"""Load on loopback: 32 reviewers claim, view and decide against gunicorn on PostgreSQL while a worker runs.

What is measured, exactly (every operation over HTTP):

- ``claim``: ``POST /api/v1/review/claims`` with a bearer token (routing, SKIP LOCKED, lease, audit event);
- ``view_page``: ``GET /catalog/<title>/`` over HTTP, signed in (session cookie);
- ``view_api``: ``GET /api/v1/titles/<title>`` over HTTP with a bearer token;
- ``decide``: ``POST /api/v1/review/items/<id>/decision`` (approve, citing a clause) with the token;
- ``healthz``: ``GET /healthz`` over HTTP (one query), the baseline, once per cycle.

Every reviewer signs in and runs one untimed cycle (so one-time loading is not measured). First a
baseline phase (every reviewer calls only ``/healthz``), then the mixed phase. Each
operation's p50/p99 are reported with their ratio to the baseline's, and the mixed cycles per
second with their ratio to the baseline's requests per second. The web server is started as
``shinsa demo`` starts it (gunicorn ``shinsa.wsgi``, sync workers; ``--web-workers``), with one
``shinsa worker`` kept busy by fingerprint tasks over the demo's stored files. The database named by
``--database-url`` is dropped and re-created (never point it at data you keep).

    python bench/load.py [--quick] --json [--database-url postgres://postgres@127.0.0.1:5432/shinsa_bench_load]
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")

REVIEWERS = 32
PASSWORD = "load-bench-2026"  # noqa: S105 - a throwaway bench account in a throwaway database
TARGET_DECIDE_P99_MS = 250.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shinsa_bench_load"
OPERATIONS = ("claim", "view_page", "view_api", "decide", "healthz")


def spare_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or name in ("postgres", "shinsa", "shinsa_test"):
        sys.exit(f"bench/load.py drops and re-creates its database; {name!r} is not a bench name")
    admin = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(items: int) -> dict:
    """Demo data, 32 reviewers with passwords and tokens, ``items`` open review items."""
    import django

    django.setup()
    from django.core.management import call_command

    from bench.claims import prepare as prepare_items
    from shinsa.accounts.actions import do_set_password
    from shinsa.accounts.models import User
    from shinsa.api.actions import do_create_api_token

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    call_command("demo", "--no-serve", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    reviewer_ids = prepare_items(items, REVIEWERS, kinds=("review",))
    reviewers = []
    for user in User.objects.filter(pk__in=reviewer_ids).order_by("pk"):
        do_set_password(actor="bench", user=user, password=PASSWORD)
        _token, plaintext = do_create_api_token(
            actor="bench", user=user, name="load", scopes=("read", "review")
        )
        reviewers.append({"id": user.pk, "username": user.username, "token": plaintext})
    return {"reviewers": reviewers}


class Http:
    """One reviewer's HTTP client: a cookie jar and one request at a time (gunicorn sync: no keep-alive)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            conn.close()

    def sign_in(self, username: str) -> None:
        self.request("GET", "/login/")
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )
        status, _ = self.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login/",
                "X-CSRFToken": self.cookies["csrftoken"],
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {username} failed ({status})")


APPROVE = json.dumps(
    {"action": "approve", "clause_id": "HAT-1", "source": "screening", "automated_detection": True}
)


def claim(client: Http, bearer: dict) -> tuple[int, dict | None]:
    """The next item over the review API: (status, item) — 200 with the item, 204 when none waits."""
    status, data = client.request("POST", "/api/v1/review/claims", headers=bearer)
    return status, (json.loads(data) if status == 200 else None)


def approve(client: Http, bearer: dict, item_id: int) -> tuple[int, bytes]:
    status, data = client.request(
        "POST",
        f"/api/v1/review/items/{item_id}/decision",
        body=APPROVE,
        headers={**bearer, "Content-Type": "application/json"},
    )
    return (200 if status == 201 else status), data


def reviewer_thread(reviewer: dict, port: int, phases: dict, out: list) -> None:
    try:
        run_reviewer(reviewer, port, phases, out)
    except Exception as error:  # noqa: BLE001 - reported in the results, never a silent hang
        out.append(("reviewer_failed", 0.0, False, f"{reviewer['username']}: {error!r}"))
        phases["ready"].abort()


def run_reviewer(reviewer: dict, port: int, phases: dict, out: list) -> None:
    client = Http(port)
    client.sign_in(reviewer["username"])
    bearer = {"Authorization": f"Bearer {reviewer['token']}"}
    # One untimed cycle first: policies, compiled claim SQL and connections are loaded once per worker.
    status, warm = claim(client, bearer)
    if status not in (200, 204):
        raise RuntimeError(f"claim answered {status}")
    if warm is not None:
        client.request("GET", f"/catalog/{warm['title']}/")
        approve(client, bearer, warm["id"])
    phases["ready"].wait()

    def timed(op: str, call) -> object:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            result = call()
            ok = not (isinstance(result, tuple) and result[0] != 200)
        except Exception:  # noqa: BLE001 - every failure is counted as an error of its operation
            result, ok = None, False
        out.append((op, time.perf_counter() - started, ok))
        return result if ok else None

    phases["baseline_go"].wait()
    while time.time() < phases["baseline_until"]:
        timed("baseline_healthz", lambda: client.request("GET", "/healthz"))
    phases["mixed_go"].wait()
    while time.time() < phases["mixed_until"]:
        started = time.perf_counter()
        try:
            status, item = claim(client, bearer)
        except Exception:  # noqa: BLE001 - counted as a claim error
            status, item = 0, None
        if status == 204:
            out.append(("queue_empty", 0.0, True))
            break
        out.append(("claim", time.perf_counter() - started, status == 200))
        if item is None:
            continue
        title = item["title"]
        timed("view_page", lambda eid=title: client.request("GET", f"/catalog/{eid}/"))
        timed("view_api", lambda eid=title: client.request("GET", f"/api/v1/titles/{eid}", headers=bearer))
        timed("decide", lambda pk=item["id"]: approve(client, bearer, pk))
        timed("healthz", lambda: client.request("GET", "/healthz"))


def reviewer_process(reviewers: list[dict], port: int, timing, results) -> None:  # type: ignore[no-untyped-def]
    import django

    django.setup()
    ready = threading.Barrier(len(reviewers) + 1)
    phases = {
        "ready": ready,
        "baseline_go": threading.Event(),
        "mixed_go": threading.Event(),
    }
    samples: list = []
    threads = [
        threading.Thread(target=reviewer_thread, args=(r, port, phases, samples), daemon=True)
        for r in reviewers
    ]
    for thread in threads:
        thread.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        timing["ready"].put(("failed", [s[3] for s in samples if len(s) > 3]))
        results.put(samples)
        return
    timing["ready"].put(os.getpid())
    baseline_at, baseline_until, mixed_at, mixed_until = timing["plan"].get()
    phases["baseline_until"], phases["mixed_until"] = baseline_until, mixed_until
    time.sleep(max(0.0, baseline_at - time.time()))
    phases["baseline_go"].set()
    time.sleep(max(0.0, mixed_at - time.time()))
    phases["mixed_go"].set()
    for thread in threads:
        thread.join(timeout=mixed_until - time.time() + 120)
    results.put(samples)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _figures(samples: list, op: str, seconds: float) -> dict:
    latencies = [s[1] * 1000 for s in samples if s[0] == op and s[2]]
    errors = sum(1 for s in samples if s[0] == op and not s[2])
    return {
        "count": len(latencies),
        "per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(_percentile(latencies, 0.5), 2),
        "p99_ms": round(_percentile(latencies, 0.99), 2),
        "errors": errors,
    }


def feed_worker(stop: threading.Event) -> dict:
    """Keep the worker busy: top the queue up with fingerprint tasks over the demo's stored files."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from shinsa.catalog.models import AssetVersion
    from shinsa.catalog.tasks import fingerprint_asset_version

    ids = list(AssetVersion.objects.exclude(file="").values_list("pk", flat=True))
    enqueued = 0
    while not stop.is_set() and ids:
        if DBTaskResult.objects.filter(status="READY").count() < 10:
            for pk in ids[:10]:
                fingerprint_asset_version.enqueue(pk)
                enqueued += 1
        stop.wait(0.2)
    connection.close()
    return {"enqueued": enqueued}


def main() -> None:  # noqa: C901 - the run, step by step
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s baseline, 10 s mixed phase")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the only output)")
    parser.add_argument("--database-url", default=os.environ.get("SHINSA_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn sync workers (demo: 2)")
    parser.add_argument("--processes", type=int, default=4, help="client processes (32 reviewers in all)")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/load.py runs on PostgreSQL: --database-url postgres://…")
    baseline_s, mixed_s = (5.0, 10.0) if args.quick else (20.0, 60.0)
    items = 4_000 if args.quick else 20_000
    var = Path(tempfile.mkdtemp(prefix="shinsa-load-"))
    os.environ.update(
        DATABASE_URL=args.database_url,
        SHINSA_VAR_DIR=str(var),
        SHINSA_LOG_LEVEL="WARNING",
        SHINSA_SIGN_IN_MAX_FAILURES="100",
    )
    recreate_database(args.database_url)
    started = time.time()
    prepared = prepare(items)
    prepare_s = time.time() - started
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from shinsa.demo.serve import child_commands

    connection.close()
    port = spare_port()
    commands = child_commands(host="127.0.0.1", port=port, web_workers=args.web_workers)
    log = (var / "server.log").open("ab")
    children = {
        name: subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        for name, command in commands.items()
    }
    try:
        deadline = time.time() + 60
        while True:
            try:
                if Http(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit(f"the server did not start; see {var / 'server.log'}")
            time.sleep(0.2)
        context = multiprocessing.get_context("spawn")
        timing = {"ready": context.Queue(), "plan": context.Queue()}
        results = context.Queue()
        groups = [prepared["reviewers"][n :: args.processes] for n in range(args.processes)]
        processes = [
            context.Process(target=reviewer_process, args=(group, port, timing, results)) for group in groups
        ]
        for process in processes:
            process.start()
        for _ in processes:
            started_one = timing["ready"].get(timeout=300)
            if isinstance(started_one, tuple):
                for process in processes:
                    process.kill()
                sys.exit(f"a reviewer could not start: {started_one[1][:3]}")
        baseline_at = time.time() + 1.0
        mixed_at = baseline_at + baseline_s + 1.0
        plan = (baseline_at, baseline_at + baseline_s, mixed_at, mixed_at + mixed_s)
        for _ in processes:
            timing["plan"].put(plan)
        stop = threading.Event()
        feeder_result: dict = {}
        feeder = threading.Thread(target=lambda: feeder_result.update(feed_worker(stop)), daemon=True)
        feeder.start()
        samples = [sample for _ in processes for sample in results.get(timeout=baseline_s + mixed_s + 600)]
        stop.set()
        feeder.join(30)
        for process in processes:
            process.join(30)
        worker_tasks = {
            status.lower(): DBTaskResult.objects.filter(status=status, finished_at__isnull=False).count()
            for status in ("SUCCESSFUL", "FAILED")
        }
    finally:
        for child in children.values():
            child.terminate()
        for child in children.values():
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
        log.close()

    baseline = _figures(samples, "baseline_healthz", baseline_s)
    operations = {op: _figures(samples, op, mixed_s) for op in OPERATIONS}
    for figures in operations.values():
        figures["p50_ratio_to_healthz"] = round(figures["p50_ms"] / baseline["p50_ms"], 2)
        figures["p99_ratio_to_healthz"] = round(figures["p99_ms"] / baseline["p99_ms"], 2)
    cycles = operations["decide"]["count"]
    errors = baseline["errors"] + sum(f["errors"] for f in operations.values())
    report = {
        "bench": "load",
        "quick": args.quick,
        "database": "postgresql",
        "server": f"gunicorn shinsa.wsgi:application, {args.web_workers} sync workers, loopback",
        "reviewers": REVIEWERS,
        "client_processes": args.processes,
        "measured": {
            "claim": "POST /api/v1/review/claims with a bearer token",
            "view_page": "GET /catalog/<title>/ signed in",
            "view_api": "GET /api/v1/titles/<title> with a bearer token",
            "decide": "POST /api/v1/review/items/<id>/decision (approve, citing a clause) with the token",
            "healthz": "GET /healthz during the mixed phase",
        },
        "baseline_healthz": baseline,
        "operations": operations,
        "cycles_per_s": round(cycles / mixed_s, 1),
        "cycles_per_s_ratio_to_healthz_per_s": round(cycles / mixed_s / baseline["per_s"], 3),
        "errors": errors,
        "queue_emptied": any(s[0] == "queue_empty" for s in samples),
        "worker": {"tasks_successful": worker_tasks["successful"], "tasks_failed": worker_tasks["failed"]},
        "target": {"errors": 0, "decide_p99_ms": TARGET_DECIDE_P99_MS},
        "met": errors == 0 and operations["decide"]["p99_ms"] <= TARGET_DECIDE_P99_MS,
        "phase_seconds": {"baseline": baseline_s, "mixed": mixed_s},
        "prepare_seconds": round(prepare_s, 1),
        "items": items,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(report, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
