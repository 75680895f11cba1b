"""Secrets out of log lines (pure): API tokens, Authorization values, passwords and configured keys.

Used by ``RedactingFilter`` on every log handler, so a token pasted into a URL, a header dumped by a
library or a password in a form body is replaced by ``[REDACTED]`` before anything is written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[REDACTED]"

# Shinsa's API tokens (shn_<prefix>_<secret>, see shinsa.api.tokens), also when cut short or malformed.
_TOKEN = re.compile(r"\bshn_[A-Za-z0-9_-]{6,}")
# "Bearer abc", "Basic abc" wherever they appear.
_AUTH_SCHEME = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
# key=value, key: value, 'key': 'value', "key"="value" for keys that name a secret.
_SECRET_FIELD = re.compile(
    r"""(?P<key>\b(?:HTTP_)?(?:authorization|password\d*|passwd|secret(?:_key)?|api_key|token|sessionid|"""
    r"""csrfmiddlewaretoken|csrftoken|cookie)\b['"]?\s*[:=]\s*['"]?)(?P<value>[^\s'"&,;}\]]+)""",
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every recognisable secret, and each of ``secrets`` verbatim, replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _TOKEN.sub(f"shn_{REDACTED}", text)
    text = _AUTH_SCHEME.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
    return _SECRET_FIELD.sub(lambda match: f"{match.group('key')}{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A handler filter: renders the message (and any traceback) once, redacted.

    ``secrets`` are literal values to remove wherever they appear (settings pass SECRET_KEY). Short
    values are ignored, so a blank or tiny setting cannot blank out ordinary words.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret and len(secret) >= 8)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True
