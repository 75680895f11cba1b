"""Base class for Shinsa's management commands: one clear line on error, in the user's language."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation


def cli_language() -> str:
    """The language for CLI messages: SHINSA_LANG, else the POSIX locale (ja_JP.UTF-8 -> ja)."""
    for variable in ("SHINSA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value.lower().startswith("ja"):
            return "ja"
        if value and value not in {"C", "POSIX", "C.UTF-8"}:
            return "en"
    return "en"


class ShinsaCommand(BaseCommand):
    """Prints ``CommandError`` as one line (no class name, no traceback) and exits with its code.

    Called through ``call_command`` (tests, other code) the error propagates unchanged.
    """

    leave_locale_alone = True

    def execute(self, *args: Any, **options: Any) -> Any:
        with translation.override(cli_language()):
            try:
                return super().execute(*args, **options)
            except CommandError as error:
                if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                    raise
                sys.stderr.write(f"{error}\n")
                sys.exit(error.returncode)
