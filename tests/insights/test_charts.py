"""SVG charts: data in the markup, text escaped, nothing the CSP would block (pure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from shinsa.insights.engine.charts import Line, bar_chart, line_chart


def test_it_draws_every_point_of_every_line_with_its_value():
    chart = line_chart(
        chart_id="t",
        title="Reports <per> day",
        labels=["11-01", "11-02", "11-03"],
        lines=[Line(name="reports", values=[1, 5, 2]), Line(name="hits", values=[0, None, 3])],
        marks=[1],
        mark_label="anomaly",
    )
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output  # well-formed XML
    values = [
        c.get("data-value") for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.get("data-value")
    ]
    assert values == ["1", "5", "2", "0", "3"] and chart.points == 5
    assert "Reports &lt;per&gt; day" in chart.svg
    assert 'class="chart__mark"' in chart.svg


def test_it_uses_no_style_attribute_or_script():
    chart = bar_chart(chart_id="b", title="By action", bars=[("approve", 3), ("remove <x>", 1)])
    assert "<script" not in chart.svg and not re.search(r"\sstyle=", chart.svg)
    assert "remove &lt;x&gt;" in chart.svg
    ET.fromstring(chart.svg)  # noqa: S314 - our own output


def test_it_says_so_when_there_is_no_data():
    chart = line_chart(
        chart_id="e", title="Empty", labels=["a"], lines=[Line(name="x", values=[None])], no_data="Nothing"
    )
    assert chart.empty and "Nothing" in chart.svg
