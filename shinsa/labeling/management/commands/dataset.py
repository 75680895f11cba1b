from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.commands import ShinsaCommand
from shinsa.labeling.actions import dataset_list, do_export_dataset, do_import_dataset
from shinsa.labeling.errors import LabelingError
from shinsa.labeling.models import LabelingProject
from shinsa.labeling.writers import FORMATS
from shinsa.lib.printable import printable


class Command(ShinsaCommand):
    help = (
        "Labeling datasets: export a project's latest snapshot, import a JSONL export, list snapshots.\n\n"
        "export writes the latest snapshot (a new one when labels changed since): --out is a file for jsonl "
        "and csv, a folder for coco and vtt. See docs/labeling.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        export = verbs.add_parser("export", help="write the project's latest snapshot")
        export.add_argument("project")
        export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        export.add_argument("--out", required=True, help="a file (jsonl, csv) or a folder (coco, vtt)")
        imported = verbs.add_parser("import", help="read a jsonl export into a project (made if absent)")
        imported.add_argument("project")
        imported.add_argument("path")
        listed = verbs.add_parser("list", help="each project's latest snapshot")
        listed.add_argument("--json", dest="as_json", action="store_true", help="print one JSON array")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        try:
            if verb == "export":
                self._export(options["project"], options["fmt"], Path(options["out"]))
            elif verb == "import":
                self._import(options["project"], Path(options["path"]))
            else:
                self._list(options["as_json"])
        except LabelingError as error:
            raise CommandError(" ".join(error.messages)) from None

    def _export(self, slug: str, fmt: str, out: Path) -> None:
        project = LabelingProject.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(_("No labeling project “%(project)s”.") % {"project": printable(slug)})
        snapshot, written = do_export_dataset(actor="system", project=project, fmt=fmt, out=out)
        self.stdout.write(
            _("%(project)s %(snapshot)s: %(items)d items, %(labels)d labels → %(path)s")
            % {
                "project": project.slug,
                "snapshot": snapshot.name,
                "items": snapshot.items,
                "labels": snapshot.labels,
                "path": printable(str(out)),
            }
        )

    def _import(self, slug: str, path: Path) -> None:
        result = do_import_dataset(actor="system", project_slug=slug, path=path)
        self.stdout.write(
            _("%(project)s: %(items)d items, %(labels)d labels imported")
            % {"project": result.project.slug, "items": result.items, "labels": result.labels}
        )

    def _list(self, as_json: bool) -> None:
        rows = dataset_list()
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            agreement = "—" if row["agreement"] is None else f"{row['agreement']:.3f}"
            self.stdout.write(
                f"{row['project']}\t{row['snapshot'] or '-'}\t{row['items']}\t{row['labels']}\t{agreement}"
            )
