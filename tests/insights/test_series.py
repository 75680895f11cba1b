"""Daily and hourly series with the territory and language filters, UTC days inclusive."""

from __future__ import annotations

import datetime

from shinsa.insights.actions import ReportInput, do_submit_report
from shinsa.insights.series import Filters, counts, daily
from tests.insights.conftest import utc


def send(version, at, territory="JP", language="ja", reporter="v"):  # noqa: ANN001, ANN201
    return do_submit_report(
        actor="reports",
        data=ReportInput(
            title=version.title.external_id,
            reason="hate_speech",
            reporter=reporter,
            territory=territory,
            language=language,
        ),
        now=at,
    )


def test_it_counts_per_day_and_hour_with_filters(version, db):
    send(version, utc("2026-11-24", 23), reporter="a")
    send(
        version,
        datetime.datetime(2026, 11, 25, 0, 30, tzinfo=datetime.UTC),
        territory="US",
        language="en",
        reporter="b",
    )
    send(version, datetime.datetime(2026, 11, 25, 0, 45, tzinfo=datetime.UTC), reporter="c")
    send(version, utc("2026-11-27", 9), reporter="d")  # outside the range
    period = Filters(since=datetime.date(2026, 11, 24), until=datetime.date(2026, 11, 25))
    assert daily("reports", period) == {"all": [1, 2]}
    assert daily("reports", period, dimension="territory") == {"JP": [1, 1], "US": [0, 1]}
    assert daily("reports", Filters(since=period.since, until=period.until, language="en")) == {"all": [0, 1]}
    hourly = counts("reports", period, hourly=True)["all"]
    assert hourly == {utc("2026-11-24", 23): 1, datetime.datetime(2026, 11, 25, 0, tzinfo=datetime.UTC): 2}
    assert daily("reports", period, dimension="policy_area") == {"hate": [1, 2]}


def test_it_counts_hits_per_signal_type(version, db):
    from django.utils import timezone

    from shinsa.review.actions import IncomingSignal, do_upsert_item

    for source, ref in (("screening:lexicon", "a"), ("screening:lexicon", "b"), ("hash:pdq", "c")):
        do_upsert_item(
            actor="system",
            title_version=version,
            policy_area="hate",
            signal=IncomingSignal(source=source, ref=ref, confidence=0.9),
        )
    today = timezone.now().date()
    by_type = daily("hits", Filters(since=today, until=today), dimension="source")
    assert by_type == {"screening:lexicon": [2], "hash:pdq": [1]}
