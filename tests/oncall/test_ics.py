"""The iCalendar feed text (pure)."""

from __future__ import annotations

import datetime

from shinsa.oncall.ics import Event, calendar

START = datetime.datetime(2026, 11, 30, 1, 0, tzinfo=datetime.UTC)


def test_it_writes_utc_events_with_crlf_escaped_and_folded_lines():
    text = calendar(
        name="Shinsa on-call: 健二",
        events=[
            Event(
                uid="primary-1@shinsa",
                starts_at=START,
                ends_at=START + datetime.timedelta(days=7),
                summary="On call: Primary, Tokyo; weekly",
                description="オンコール " * 20,
            )
        ],
        stamp=START,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261130T010000Z\r\n" in text and "DTEND:20261207T010000Z\r\n" in text
    assert "SUMMARY:On call: Primary\\, Tokyo\\; weekly\r\n" in text
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # the long description was folded
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + "オンコール " * 20 in unfolded
