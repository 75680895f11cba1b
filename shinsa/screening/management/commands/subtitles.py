from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shinsa.commands import ShinsaCommand
from shinsa.lib.clock import clock
from shinsa.lib.printable import printable
from shinsa.screening.subtitles import SubtitleError, SubtitleTrack, read_subtitle_file
from shinsa.screening.subtitles.messages import describe


class Command(ShinsaCommand):
    help = (
        "Read a subtitle file (SRT, WebVTT, ASS/SSA, TTML/IMSC) and print its cues.\n\n"
        "The format is found from the content and the encoding from the bytes (UTF-8 with or without "
        "BOM, UTF-16, CP932, EUC-JP, Latin-1). --json prints "
        '{"format", "encoding", "cues": [{"start_ms", "end_ms", "text"}]}. See docs/subtitles.md.'
    )
    # Reading a file needs no database and no policy: skip the start-up checks (and their warnings).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the subtitle file")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, file: str, as_json: bool, **options: Any) -> None:
        try:
            track = read_subtitle_file(file)
        except SubtitleError as error:
            raise CommandError(f"{printable(file)}: {describe(error)}") from None
        if as_json:
            self.stdout.write(_json_document(track))
        else:
            for cue in track.cues:
                text = cue.text.replace("\n", " / ")
                self.stdout.write(f"{clock(cue.start_ms)} --> {clock(cue.end_ms)}  {text}")
        sys.stdout.flush()


def _json_document(track: SubtitleTrack) -> str:
    return json.dumps(track.as_json(), ensure_ascii=False)
