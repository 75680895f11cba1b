"""Reading the CLI's dates: ISO 8601 calendar dates (``2026-11-25``), taken as UTC days."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

BAD_INPUT = 2


def parse_day(text: str | None, option: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            _("%(option)s must be an ISO 8601 date such as 2026-11-25, not “%(value)s”.")
            % {"option": option, "value": text},
            returncode=BAD_INPUT,
        ) from None


def check_range(since: datetime.date | None, until: datetime.date | None) -> None:
    if since is not None and until is not None and until < since:
        raise CommandError(_("--until must not be before --since."), returncode=BAD_INPUT)
