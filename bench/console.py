"""Time from the "next item" key to the item rendered (player ready) in headless Debian chromium.

Fills a database (SQLite in a fresh temporary folder by default; the PostgreSQL database named by
``DATABASE_URL`` when set — review and bench catalog rows there are replaced) with ``--items`` open work
items (raw bulk INSERT / COPY), of which the ``--measure`` first in rank order are on title versions with
a real synthetic video and Japanese and English subtitles. A live server runs in this process; chromium
signs in as a reviewer with every skill and, for each measured item, presses ``n`` on My queues and
waits until the item page's player says ready (``[data-player-root][data-ready]``: controls, timeline
and keys work); the time until the video element has its metadata is reported beside it, and so is the
browser's own clock from the keydown event to the player's ready event (``in_page``: the same span
without Playwright's round trips to notice it). The server answers as gunicorn does, with TCP_NODELAY.

Baseline, in the same browser and harness: the ``g`` ``h`` keys to the home page rendered.

    python bench/console.py [--quick] --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")
OWN_VAR_DIR = None
if not os.environ.get("DATABASE_URL") and not os.environ.get("SHINSA_VAR_DIR"):
    OWN_VAR_DIR = tempfile.mkdtemp(prefix="shinsa-bench-console-")  # removed at the end
    os.environ["SHINSA_VAR_DIR"] = OWN_VAR_DIR
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps a loop on this thread

TARGET_P95_MS = 150
CHROMIUM = Path(os.environ.get("SHINSA_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "bench console password"  # noqa: S105 - a throwaway account in a bench database
WARMUP = 3  # items opened first to warm the caches, not counted
KINDS = ("review", "appeal", "audit", "gold", "calibration", "label")


# The browser's own clock (epoch ms, kept across documents): the "n" keydown and the player's ready event.
IN_PAGE_CLOCK = """
document.addEventListener("keydown", e => {
  if (e.key === "n") sessionStorage.benchKey = String(performance.timeOrigin + e.timeStamp);
}, true);
document.addEventListener("shinsa:player-ready", () => {
  sessionStorage.benchReady = String(performance.timeOrigin + performance.now());
}, true);
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def prepare(items: int, measured: int, folder: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shinsa.accounts.actions import (
        do_create_user,
        do_set_clearance,
        do_set_language_skill,
        do_set_policy_areas,
        do_set_territories,
    )
    from shinsa.accounts.models import User
    from shinsa.accounts.roles import Role
    from shinsa.catalog.models import Asset, AssetVersion, Title, TitleVersion
    from shinsa.catalog.storage import store_file
    from shinsa.media.synthetic import ClipSpec, Cue, Scene, encode_clip, format_srt
    from shinsa.policy.current import current_policies
    from shinsa.review import priority
    from shinsa.review.actions import do_sync_queues
    from shinsa.review.routing import queue_for

    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in (
            "review_legalorder", "review_exposureentry", "review_availabilitychange", "review_appeal",
            "review_escalation", "review_confirmation", "review_evidence", "review_decision",
            "review_workitemskip", "review_workitemreport", "review_workitemsignal", "review_workitem",
        ):  # fmt: skip
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        bench_assets = (
            "SELECT id FROM catalog_asset WHERE title_version_id IN (SELECT id FROM catalog_titleversion"
            " WHERE label = 'bench')"
        )
        cursor.execute(f"DELETE FROM catalog_assetversion WHERE asset_id IN ({bench_assets})")  # noqa: S608
        cursor.execute(f"DELETE FROM catalog_asset WHERE id IN ({bench_assets})")  # noqa: S608
        cursor.execute("DELETE FROM catalog_titleversion WHERE label = 'bench'")
        cursor.execute("DELETE FROM catalog_title WHERE external_id LIKE 'bench-%%'" if postgres else
                       "DELETE FROM catalog_title WHERE external_id LIKE 'bench-%'")  # fmt: skip
    do_sync_queues(actor="bench")
    policies = current_policies()
    user = User.objects.filter(username="bench-reviewer").first() or do_create_user(
        actor="bench", username="bench-reviewer", roles=[Role.REVIEWER], password=PASSWORD
    )
    do_set_language_skill(actor="bench", user=user, language="ja", level="N1")
    do_set_language_skill(actor="bench", user=user, language="en", level="C2")
    do_set_policy_areas(actor="bench", user=user, areas=policies.areas.ids)
    do_set_territories(actor="bench", user=user, territories=["JP", "US", "GB"])
    for category in policies.wellness_presets.ids:
        do_set_clearance(actor="bench", user=user, category=category, level=3)

    # The measured items' media: one real clip and two subtitle tracks, stored once (content-addressed).
    clip = encode_clip(
        ClipSpec(scenes=(Scene(frames=48, hue=0.0), Scene(frames=48, hue=0.5)), fps=Fraction(24)),
        folder / "clip.mp4",
    ).path
    tracks = {}
    for language, text in (("ja", "お前を殺してやる！"), ("en", "I will kill you!")):
        path = folder / f"{language}.srt"
        path.write_text(format_srt([Cue(0, 900, "…"), Cue(1000, 1900, text)]), encoding="utf-8")
        tracks[language] = path
    stored = {}
    for key, path in (("video", clip), *tracks.items()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        stored[key] = (store_file(path, digest, path.suffix), digest, path.stat().st_size)

    areas = list(policies.areas)
    per_version = len(areas) * len(KINDS)
    versions_needed = measured + -(-items // per_version)
    titles = Title.objects.bulk_create(
        Title(external_id=f"bench-{n}", kind="film", original_title=f"Bench {n}", original_language="ja")
        for n in range(versions_needed)
    )
    versions = TitleVersion.objects.bulk_create(TitleVersion(title=t, label="bench") for t in titles)
    assets = Asset.objects.bulk_create(
        Asset(title_version=version, kind=kind, language=language)
        for version in versions[:measured]
        for kind, language in (("video", ""), ("subtitle", "ja"), ("subtitle", "en"))
    )
    media_types = {"video": "video/mp4", "subtitle": "application/x-subrip"}
    AssetVersion.objects.bulk_create(
        AssetVersion(
            asset=asset,
            number=1,
            sha256=stored[asset.language or "video"][1],
            size_bytes=stored[asset.language or "video"][2],
            file=stored[asset.language or "video"][0],
            media_type=media_types[asset.kind],
        )
        for asset in assets
    )

    queue_of = {a.id: queue_for(policies.queues, policy_area=a.id, territory="").id for a in areas}
    now_ms = int(time.time() * 1000)
    columns = (
        "kind, title_version_id, policy_area, queue_id, territory, status, severity, high_severity,"
        " sla_priority, priority_score, rank_ms, due_at, max_confidence, audience_reach, signal_count,"
        " report_count, required_language, required_level, graphic_category, graphic_level, sensitive,"
        " legal_only, escalation_tier, created_at, updated_at"
    )
    violence = policies.areas["violence"]

    def rows():
        # The measured items first in rank order (graphic violence on versions with media), then filler.
        for n in range(measured):
            due_ms = now_ms - 3_600_000 + n
            due = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(due_ms / 1000))
            yield (
                "review", versions[n].pk, "violence", queue_of["violence"], "", "open",
                violence.severity.value, True, "high", 500,
                priority.rank_ms(due_ms=due_ms, score=500) - 10**12, due, 0.9, 1000, 1, 0, "ja", "N2",
                "violence_gore", 1, False, False, 0, due, due,
            )  # fmt: skip
        for n in range(items):
            area = areas[n % len(areas)]
            kind = KINDS[(n // len(areas)) % len(KINDS)]
            severity = area.severity.value
            due_ms = now_ms + (n % 72) * 3_600_000
            due = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(due_ms / 1000))
            yield (
                kind, versions[measured + n // per_version].pk, area.id, queue_of[area.id], "", "open",
                severity, severity in priority.HIGH_SEVERITIES, priority.SLA_PRIORITY_FOR_SEVERITY[severity],
                100, priority.rank_ms(due_ms=due_ms, score=100), due, 0.5, n % 1000, 0, 0, "", "", "", 0,
                False, False, 0, due, due,
            )  # fmt: skip

    with connection.cursor() as cursor:
        if postgres:
            with cursor.connection.cursor().copy(f"COPY review_workitem ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            cursor.execute("ANALYZE review_workitem")
        else:
            marks = ", ".join(["%s"] * len(columns.split(",")))
            batch: list[tuple] = []
            for row in rows():
                batch.append(row)
                if len(batch) == 5000:
                    cursor.executemany(f"INSERT INTO review_workitem ({columns}) VALUES ({marks})", batch)  # noqa: S608
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO review_workitem ({columns}) VALUES ({marks})", batch)  # noqa: S608
            cursor.execute("ANALYZE")


def serve() -> tuple[str, object]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        # TCP_NODELAY as gunicorn sets it: without it each response's header and body writes wait on
        # the client's delayed ACK (~40 ms a page on loopback), a stall production never has.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.set_app(StaticFilesHandler(WSGIHandler()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def measure(base_url: str, measured: int) -> dict:
    from playwright.sync_api import sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        context = browser.new_context(base_url=base_url, locale="en-GB")
        context.add_init_script(IN_PAGE_CLOCK)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto("/login/?next=/review/")
        page.get_by_label("Username").fill("bench-reviewer")
        page.get_by_label("Password").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base_url + "/review/")
        item_ms: list[float] = []
        in_page_ms: list[float] = []
        home_ms: list[float] = []
        media_ms: list[float] = []
        for n in range(measured + WARMUP):
            page.goto("/review/")
            page.wait_for_selector("[data-next]")
            started = time.perf_counter()
            page.keyboard.press("n")
            page.wait_for_selector("[data-player-root][data-ready]", state="attached")
            elapsed = (time.perf_counter() - started) * 1000
            page.wait_for_selector("[data-player-root][data-media]", state="attached")
            media = (time.perf_counter() - started) * 1000
            in_page = page.evaluate("Number(sessionStorage.benchReady) - Number(sessionStorage.benchKey)")
            started = time.perf_counter()
            page.keyboard.press("g")
            page.keyboard.press("h")
            page.wait_for_url(base_url + "/", wait_until="load")
            home = (time.perf_counter() - started) * 1000
            if n >= WARMUP:
                item_ms.append(elapsed)
                in_page_ms.append(float(in_page))
                media_ms.append(media)
                home_ms.append(home)
        version = browser.version
        browser.close()
    return {
        "item_ms": item_ms,
        "in_page_ms": in_page_ms,
        "home_ms": home_ms,
        "media_ms": media_ms,
        "browser": version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 items queued, 30 measured")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the only output)")
    parser.add_argument("--items", type=int, help="items queued (default 1,000,000; 20,000 with --quick)")
    parser.add_argument("--measure", type=int, help="items timed (default 200; 30 with --quick)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    items = args.items or (20_000 if args.quick else 1_000_000)
    measured = args.measure or (30 if args.quick else 200)
    started = time.time()
    with tempfile.TemporaryDirectory() as folder:
        prepare(items, measured + WARMUP, Path(folder))
    prepared_s = time.time() - started
    from django.db import connection

    base_url, server = serve()
    try:
        found = measure(base_url, measured)
    finally:
        server.shutdown()
    item_ms, home_ms = found["item_ms"], found["home_ms"]
    p95, base_p95 = percentile(item_ms, 0.95), percentile(home_ms, 0.95)
    result = {
        "bench": "console",
        "items_queued": items + measured + WARMUP,
        "measured": len(item_ms),
        "median_ms": round(statistics.median(item_ms), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(item_ms), 1),
        "video_metadata": {
            "what": "the same clock until the video element has loaded its metadata (first frame known)",
            "median_ms": round(statistics.median(found["media_ms"]), 1),
            "p95_ms": round(percentile(found["media_ms"], 0.95), 1),
        },
        "in_page": {
            "what": "the browser's own clock from the n keydown event to the player's ready event"
            " (no Playwright round trips)",
            "median_ms": round(statistics.median(found["in_page_ms"]), 1),
            "p95_ms": round(percentile(found["in_page_ms"], 0.95), 1),
        },
        "baseline": {
            "what": "g h keys to the home page rendered, same browser and server",
            "median_ms": round(statistics.median(home_ms), 1),
            "p95_ms": round(base_p95, 1),
        },
        "ratio_p95": round(p95 / base_p95, 2) if base_p95 else None,
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": p95 <= TARGET_P95_MS,
        "units": "milliseconds from the key press to the player ready (Playwright round trips included)",
        "database": connection.vendor,
        "browser": f"chromium {found['browser']}",
        "prepare_seconds": round(prepared_s, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(result, indent=None if args.json else 2))
    if OWN_VAR_DIR:
        import shutil

        connection.close()
        shutil.rmtree(OWN_VAR_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
