from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shinsa.banks.screening import bank_screening
from shinsa.commands import ShinsaCommand
from shinsa.lib.printable import printable
from shinsa.media.errors import MediaError
from shinsa.media.messages import describe_media_error
from shinsa.media.quiet import native_stderr_silenced, silence_native_stderr_for_this_process
from shinsa.policy.errors import InvalidPolicySet
from shinsa.screening.context import policy_signal_context
from shinsa.screening.signals import SignalContext
from shinsa.screening.signals.screening import ScreenResult, UnknownFileKind, screen_file
from shinsa.screening.subtitles import SubtitleError
from shinsa.screening.subtitles.messages import describe


class Command(ShinsaCommand):
    help = (
        "Screen a video, image or subtitle file with every enabled signal and print the hits.\n\n"
        "Lexicons and thresholds come from the policy directory (policies/signals.toml); no database is "
        "needed. When the configured database has enabled hash banks, their matches are added (pdq, vpdq "
        "and md5 hits naming the bank and entry; see docs/banks.md). Frame hits of one signal in "
        "consecutive sampled frames merge into one segment. A video's "
        "audio and embedded subtitle streams are not screened. A stage that cannot run (the classifier "
        "extra not installed) is listed in skipped. --json prints "
        '{"file", "duration_s", "skipped", "hits": [{"signal", "policy_area", "severity", "score", '
        '"start_ms", "end_ms", "detail"}]}. See docs/signals.md.'
    )
    # Screening a file needs no database: skip the start-up checks (and their warnings).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a video, image or subtitle file")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print one JSON object (the stable format)"
        )

    def handle(self, *args: Any, file: str, as_json: bool, **options: Any) -> None:
        # FFmpeg, onnxruntime and Pillow must not add lines of their own to the one we print.
        if getattr(self, "_called_from_command_line", False):
            silence_native_stderr_for_this_process()
        context = _context()
        banks = bank_screening(context)
        try:
            with native_stderr_silenced():
                if banks is None:
                    result = screen_file(Path(file), context)
                else:
                    result = banks.screen(Path(file))
        except MediaError as error:
            raise CommandError(describe_media_error(error, shown_as=file)) from None
        except SubtitleError as error:
            raise CommandError(f"{printable(file)}: {describe(error)}") from None
        except UnknownFileKind:
            raise CommandError(
                _("%(file)s: not a video, image or subtitle file") % {"file": printable(file)}
            ) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, separators=(",", ":")))
        else:
            self._write_text(result)
        sys.stdout.flush()

    def _write_text(self, result: ScreenResult) -> None:
        duration = "" if result.duration_s is None else f"  {result.duration_s:.3f} s"
        count = len(result.hits)
        hits = ngettext("%(count)d hit", "%(count)d hits", count) % {"count": count}
        self.stdout.write(f"{result.kind.value}{duration}  {hits}")
        if result.skipped:
            self.stdout.write(_("skipped: %(stages)s") % {"stages": ", ".join(result.skipped)})
        for hit in result.hits:
            when = "" if hit.start_ms is None else f"{hit.start_ms / 1000:9.3f}-{hit.end_ms / 1000:.3f}  "  # type: ignore[operator]
            label = hit.detail.get("label") or hit.detail.get("term_id") or ""
            self.stdout.write(
                f"{when}{hit.signal}  {hit.policy_area}  {hit.severity.value}  {hit.score:.2f}  {label}"
            )


def _context() -> SignalContext:
    """Lexicons and signal settings from the policy directory; no known hashes until banks exist."""
    try:
        return policy_signal_context()
    except InvalidPolicySet as invalid:
        first = invalid.problems[0]
        raise CommandError(
            _("the policy directory is invalid: %(problem)s") % {"problem": printable(str(first))}
        ) from None
