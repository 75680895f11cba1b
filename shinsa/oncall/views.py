"""On-call pages: the rotations (who is on call now, next shifts, handoff notes), my shifts with the
calendar feed, pages with acknowledge / resolve / silence, and the ICS feed by secret URL."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shinsa.accounts.access import perm_required
from shinsa.accounts.models import User
from shinsa.accounts.roles import Perm
from shinsa.oncall import schedule
from shinsa.oncall.actions import (
    covers,
    do_acknowledge_page,
    do_resolve_page,
    do_rotate_calendar_feed,
    do_silence_condition,
    do_write_handoff_note,
)
from shinsa.oncall.errors import OncallError
from shinsa.oncall.feeds import calendar_text, feed_for, feed_token, shifts_of
from shinsa.oncall.models import CalendarFeed, Page, Rotation
from shinsa.oncall.schedule import ZONES


def _language() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


def _report(request: HttpRequest, error: OncallError) -> None:
    for text in error.messages:
        messages.error(request, text)


@perm_required(Perm.TAKE_PAGES)
@require_GET
def rotations(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    users = {u.pk: u for u in User.objects.all()}
    rows = []
    for rotation in Rotation.objects.filter(active=True).prefetch_related("handoff_notes"):
        plan = rotation.plan()
        upcoming = schedule.shifts_between(plan, covers(rotation), now, now + datetime.timedelta(weeks=4))
        current = schedule.on_call(plan, covers(rotation), now)
        rows.append(
            {
                "rotation": rotation,
                "name": rotation.name(_language()),
                "current": users.get(current) if current else None,
                "shifts": [
                    {
                        "shift": s,
                        "user": users.get(s.user_id),
                        "local": [s.starts_at.astimezone(z) for z in map(_zone, ZONES)],
                    }
                    for s in upcoming[:8]
                ],
                "notes": list(rotation.handoff_notes.all()[:3]),
            }
        )
    return render(request, "oncall/pages/rotations.html", {"nav": "oncall", "rows": rows, "zones": ZONES})


def _zone(name: str) -> datetime.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


@perm_required(Perm.TAKE_PAGES)
@require_GET
def my_shifts(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = (
        request.build_absolute_uri(reverse("oncall:calendar", args=[request.user.pk, feed_token(feed)]))
        if feed
        else None
    )
    shifts = [
        {"rotation": r, "shift": s, "local": [s.starts_at.astimezone(_zone(z)) for z in ZONES]}
        for r, s in shifts_of(request.user, now)
        if s.ends_at > now
    ]
    return render(
        request,
        "oncall/pages/my_shifts.html",
        {"nav": "oncall", "shifts": shifts, "feed_url": url, "zones": ZONES},
    )


@perm_required(Perm.TAKE_PAGES)
@require_POST
def rotate_calendar(request: HttpRequest) -> HttpResponse:
    do_rotate_calendar_feed(actor=request.user)
    messages.success(request, _("Your calendar link is new; the old one no longer works."))
    return redirect("oncall:mine")


@require_GET
def calendar(request: HttpRequest, user_id: int, token: str) -> HttpResponse:
    feed = feed_for(user_id, token)
    if feed is None:
        raise Http404("no such feed")
    text = calendar_text(feed.user, timezone.now(), feed.user.preferred_language or "en")
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@perm_required(Perm.TAKE_PAGES)
@require_GET
def pages(request: HttpRequest) -> HttpResponse:
    rows = Page.objects.select_related("paged_user", "acked_by", "rotation")[:100]
    return render(request, "oncall/pages/pages.html", {"nav": "oncall", "pages": rows})


def _page(page_id: int) -> Page:
    page = Page.objects.select_related("paged_user", "acked_by", "rotation").filter(pk=page_id).first()
    if page is None:
        raise Http404("no such page")
    return page


@perm_required(Perm.TAKE_PAGES)
@require_GET
def page_detail(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page(page_id)
    return render(
        request,
        "oncall/pages/page.html",
        {"nav": "oncall", "page": page, "deliveries": page.deliveries.all()},
    )


@perm_required(Perm.TAKE_PAGES)
@require_POST
def page_step(request: HttpRequest, page_id: int, step: str) -> HttpResponse:
    page = _page(page_id)
    try:
        if step == "ack":
            do_acknowledge_page(actor=request.user, page=page)
            messages.success(request, _("Page acknowledged."))
        elif step == "resolve":
            do_resolve_page(actor=request.user, page=page)
            messages.success(request, _("Page resolved."))
        elif step == "silence":
            try:
                minutes = int(request.POST.get("minutes", "0"))
            except ValueError:
                minutes = 0
            do_silence_condition(
                actor=request.user,
                condition=page.condition,
                minutes=minutes,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Condition silenced."))
        else:
            raise Http404("no such step")
    except OncallError as error:
        _report(request, error)
    return redirect("oncall:page", page_id=page.pk)


@perm_required(Perm.TAKE_PAGES)
@require_POST
def handoff(request: HttpRequest, slug: str) -> HttpResponse:
    rotation = Rotation.objects.filter(slug=slug).first()
    if rotation is None:
        raise Http404("no such rotation")
    try:
        do_write_handoff_note(actor=request.user, rotation=rotation, text=request.POST.get("text", ""))
    except OncallError as error:
        _report(request, error)
    else:
        messages.success(request, _("Handoff note saved."))
    return redirect("oncall:rotations")
