from __future__ import annotations

import sys
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.catalog.models import AssetKind, AssetVersion
from shinsa.commands import ShinsaCommand
from shinsa.media.quiet import native_stderr_silenced, silence_native_stderr_for_this_process
from shinsa.screening.actions import do_queue_run
from shinsa.screening.enqueue import enqueue_screening
from shinsa.screening.models import RunStatus
from shinsa.screening.stages import ACTOR, run_screening

_SCREENED = [AssetKind.VIDEO, AssetKind.ARTWORK, AssetKind.SUBTITLE, AssetKind.METADATA]


class ProgressBar:
    """One line on a terminal, redrawn in place: the stage and how far it is. Nothing when not a TTY."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self.enabled = stream.isatty()
        self.shown = ""

    def __call__(self, stage: str, fraction: float) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * min(1.0, max(0.0, fraction)))
        line = f"\r{self.label} {stage:<7} [{'#' * filled}{'.' * (width - filled)}] {fraction * 100:3.0f}%"
        if line != self.shown:
            self.stream.write(line)
            self.stream.flush()
            self.shown = line

    def close(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r" + " " * (len(self.shown) - 1) + "\r")
            self.stream.flush()


class Command(ShinsaCommand):
    help = (
        "Screening runs of stored asset versions.\n\n"
        "run ID [ID ...] | run --all: run (again) the whole pipeline of each asset version here and now "
        "(probe, decode pass with proxies, text, bank matching, review items), with a progress bar on "
        "standard error when it is a terminal; --queue leaves the work to `shinsa worker` instead. "
        "See docs/screening.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="run the screening of asset versions (again)")
        run.add_argument("ids", nargs="*", type=int, metavar="ID", help="asset version ids")
        run.add_argument("--all", action="store_true", help="every asset version of the catalog")
        run.add_argument(
            "--queue", action="store_true", help="enqueue for the workers instead of running here"
        )

    def handle(self, *args: Any, action: str, ids: list[int], all: bool, queue: bool, **options: Any) -> None:
        if bool(ids) == bool(all):
            raise CommandError(_("give asset version ids or --all, not both"))
        versions = AssetVersion.objects.filter(asset__kind__in=_SCREENED).order_by("pk")
        if not all:
            found = set(versions.filter(pk__in=ids).values_list("pk", flat=True))
            missing = [str(n) for n in ids if n not in found]
            if missing:
                raise CommandError(_("no such asset version: %(ids)s") % {"ids": ", ".join(missing)})
            versions = versions.filter(pk__in=ids)
        if queue:
            for version_id in versions.values_list("pk", flat=True):
                enqueue_screening(actor=ACTOR, asset_version_id=version_id, rerun=True)
            self.stdout.write(_("queued: %(count)d") % {"count": versions.count()})
            return
        if getattr(self, "_called_from_command_line", False):
            silence_native_stderr_for_this_process()
        failed = 0
        for version in versions.select_related("asset"):
            do_queue_run(actor=ACTOR, asset_version=version, rerun=True)
            bar = ProgressBar(sys.stderr, f"#{version.pk}")
            try:
                with native_stderr_silenced():
                    run = run_screening(version.pk, listener=bar)
            finally:
                bar.close()
            hits = run.hits.count()
            summary = ngettext("%(count)d hit", "%(count)d hits", hits) % {"count": hits}
            if run.status == RunStatus.FAILED:
                failed += 1
                self.stdout.write(
                    _("asset version %(id)d (%(kind)s): failed: %(error)s")
                    % {"id": version.pk, "kind": version.asset.kind, "error": run.error}
                )
            else:
                self.stdout.write(
                    _("asset version %(id)d (%(kind)s): done, %(hits)s")
                    % {"id": version.pk, "kind": version.asset.kind, "hits": summary}
                )
        if failed:
            raise CommandError(
                ngettext("%(count)d run failed", "%(count)d runs failed", failed) % {"count": failed}
            )
