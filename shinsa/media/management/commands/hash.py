from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import ngettext

from shinsa.commands import ShinsaCommand
from shinsa.media.errors import MediaError
from shinsa.media.messages import describe_media_error
from shinsa.media.quiet import native_stderr_silenced, silence_native_stderr_for_this_process
from shinsa.screening.hashing.files import ImageHashes, hash_file


class Command(ShinsaCommand):
    help = (
        "Hash an image or a video: PDQ with quality (per image or per second of video) and MD5.\n\n"
        "Images (PNG, JPEG, WebP, GIF's first frame) are hashed upright and on white; videos get one frame "
        "per second of presentation time. A file that is not readable media prints one line and exits 1. "
        "See docs/media.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an image or video file")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print one JSON object (the stable format)"
        )

    def handle(self, *args: Any, file: str, as_json: bool, **options: Any) -> None:
        # FFmpeg and C extensions must not add lines of their own to the one we print.
        if getattr(self, "_called_from_command_line", False):
            silence_native_stderr_for_this_process()
        try:
            with native_stderr_silenced():
                hashes = hash_file(Path(file))
        except MediaError as error:
            raise CommandError(describe_media_error(error, shown_as=file)) from None
        if as_json:
            self.stdout.write(_json_line(hashes.to_json()))
        elif isinstance(hashes, ImageHashes):
            self.stdout.write(f"image  pdq {hashes.pdq.hex}  quality {hashes.pdq.quality}  md5 {hashes.md5}")
        else:
            count = len(hashes.frames)
            self.stdout.write(
                f"video  md5 {hashes.md5}  "
                + ngettext("%(count)d frame", "%(count)d frames", count) % {"count": count}
            )
            for frame in hashes.frames:
                self.stdout.write(f"{frame.time:10.3f}  {frame.pdq}  quality {frame.quality}")


def _json_line(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)
