"""Secret calendar feed URLs: derived from a per-person nonce with HMAC, so nothing secret is stored
beside the account and a new nonce revokes the old URL."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from shinsa.accounts.models import User
from shinsa.oncall import ics, schedule
from shinsa.oncall.actions import covers
from shinsa.oncall.models import CalendarFeed, Rotation

FEED_PAST = datetime.timedelta(weeks=2)
FEED_AHEAD = datetime.timedelta(weeks=12)


def feed_token(feed: CalendarFeed) -> str:
    message = f"oncall-calendar:{feed.user_id}:{feed.nonce}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]


def feed_for(user_id: int, token: str) -> CalendarFeed | None:
    feed = CalendarFeed.objects.select_related("user").filter(user_id=user_id).first()
    if feed is None or not feed.user.is_active or not hmac.compare_digest(feed_token(feed), token):
        return None
    return feed


def shifts_of(user: User, now: datetime.datetime) -> list[tuple[Rotation, schedule.Shift]]:
    out = []
    for rotation in Rotation.objects.filter(active=True):
        plan = rotation.plan()
        for shift in schedule.shifts_between(plan, covers(rotation), now - FEED_PAST, now + FEED_AHEAD):
            if shift.user_id == user.pk:
                out.append((rotation, shift))
    return sorted(out, key=lambda pair: pair[1].starts_at)


def calendar_text(user: User, now: datetime.datetime, language: str) -> str:
    events = [
        ics.Event(
            uid=f"{rotation.slug}-{shift.starts_at.timestamp():.0f}-{user.pk}@shinsa",
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            summary=_("On call: %(rotation)s") % {"rotation": rotation.name(language)},
            description=f"{rotation.zone} · {rotation.pattern}" + (" · override" if shift.covered else ""),
        )
        for rotation, shift in shifts_of(user, now)
    ]
    return ics.calendar(name=_("Shinsa on-call: %(name)s") % {"name": user}, events=events, stamp=now)
