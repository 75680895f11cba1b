"""The dashboard page: real charts over generated history, filters, both languages."""

from __future__ import annotations

import re

from django.test import Client

from tests.insights.history import make_history


def test_it_draws_every_chart_with_data_and_marks_the_anomaly(cast):
    make_history(cast)
    client = Client()
    client.force_login(cast.kai)
    page = client.get("/insights/").content.decode()
    for key in (
        "reports",
        "hourly",
        "backlog",
        "backlog-age",
        "sla",
        "handling",
        "by-policy",
        "by-action",
        "overturns",
        "exposure",
        "precision",
    ):
        section = re.search(rf'id="chart-{key}" data-points="(\d+)"', page)
        assert section and int(section.group(1)) > 0, key
    assert page.count("<svg") >= 10 and 'class="chart__mark"' in page
    assert "anomalies" in page and "film-" in page  # the explanation names the driving title
    assert "style=" not in re.sub(r"<link[^>]*>", "", page.split("<main", 1)[1])


def test_it_filters_by_territory_language_and_dates_and_speaks_japanese(cast):
    make_history(cast)
    client = Client()
    client.force_login(cast.kai)
    narrow = client.get(
        "/insights/", {"territory": "CR", "language": "en", "since": "2020-01-01", "until": "2020-01-31"}
    )
    assert narrow.status_code == 200 and b"No data in this range" in narrow.content
    client.post("/i18n/setlang/", {"language": "ja"})
    assert "顧客からの報告" in client.get("/insights/").content.decode()
