"""Media problems as one sentence each, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shinsa.lib.printable import printable
from shinsa.media.errors import MediaError, MediaProblem

PROBLEMS: dict[MediaProblem, Any] = {
    MediaProblem.MISSING: _("%(file)s: no such file"),
    MediaProblem.UNREADABLE: _("%(file)s: the file cannot be read"),
    MediaProblem.EMPTY: _("%(file)s: the file is empty"),
    MediaProblem.NOT_MEDIA: _("%(file)s: not an image or video file"),
    MediaProblem.TRUNCATED: _("%(file)s: the file is cut short"),
    MediaProblem.CORRUPT: _("%(file)s: the file is damaged and cannot be decoded"),
    MediaProblem.UNSUPPORTED: _("%(file)s: this kind of media is not supported"),
    MediaProblem.TOO_LARGE: _("%(file)s: the image is too large to decode"),
}


def describe_media_error(error: MediaError, shown_as: str | None = None) -> str:
    """One line naming the file and the problem, in the user's language. The technical detail (ours,
    FFmpeg's or Pillow's, always English) follows in parentheses only when the user reads English."""
    name = str(error.path) if shown_as is None else shown_as
    line = str(PROBLEMS[error.kind]) % {"file": printable(name if len(name) <= 80 else error.path.name)}
    english = (get_language() or "en").startswith("en")
    return f"{line} ({error.detail})" if error.detail and english else line
