"""Filters of the quality pages: shares, intervals, coefficients and error counts."""

from __future__ import annotations

from collections import Counter

from django import template
from django.utils.formats import number_format

from shinsa.quality.models import ErrorClass
from shinsa.review.models import DecisionAction

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value * 100, 1)}%"


@register.filter
def interval(bounds: tuple[float, float] | None) -> str:
    return "—" if not bounds else f"{percent(bounds[0])} – {percent(bounds[1])}"


@register.filter
def coefficient(value: float | None) -> str:
    return "—" if value is None else number_format(value, 3)


@register.filter
def error_counts(counts: Counter) -> str:
    labels = dict(ErrorClass.choices)
    return ", ".join(f"{labels.get(key, key)} {n}" for key, n in sorted(counts.items())) or "—"


@register.filter
def action_label(value: str) -> str:
    """A decision's action in the reader's language (``age_gate`` → “age gate / rating change request”)."""
    return str(dict(DecisionAction.choices).get(value, value))


@register.filter
def findings_text(findings: list[dict]) -> str:
    """Rating findings as one line: ``violence 3 · 60000–65000 ms``."""
    return "; ".join(
        f"{f['descriptor']} {f['intensity']} · {f['start_ms']}–{f['end_ms']} ms" for f in findings or []
    )
