"""Forms of insights pages: the dashboard filters and the public report form. They shape input only;
the actions validate and write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shinsa.accounts.skills import TERRITORY_CODES
from shinsa.policy.current import current_policies

DEFAULT_DAYS = 90
MAX_DAYS = 366


class DashboardFilters(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("all")), ("ja", "日本語"), ("en", "English")]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["territory"].choices = [("", _("all"))] + [(c, c) for c in sorted(TERRITORY_CODES)]

    def range(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or until - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if since > until:
            since, until = until, since
        since = max(since, until - datetime.timedelta(days=MAX_DAYS - 1))
        return since, until


class PublicReportForm(forms.Form):
    title = forms.CharField(label=_("Title id"), max_length=64)
    episode = forms.CharField(label=_("Episode id (optional)"), max_length=64, required=False)
    reason = forms.ChoiceField(label=_("What is wrong"))
    timecode = forms.CharField(
        label=_("Where in the programme (optional, h:mm:ss)"), max_length=12, required=False
    )
    territory = forms.ChoiceField(label=_("Where you watch"), required=False)
    language = forms.ChoiceField(
        label=_("Language of your report"), choices=[("ja", "日本語"), ("en", "English")], required=False
    )
    text = forms.CharField(
        label=_("Tell us more (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: object, language: str = "en", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        reasons = current_policies().report_reasons
        self.fields["reason"].choices = [(r.id, r.label.in_language(language)) for r in reasons]
        self.fields["territory"].choices = [("", "—")] + [(c, c) for c in sorted(TERRITORY_CODES)]
        self.fields["language"].initial = language

    def clean_timecode(self) -> int | None:
        text = self.cleaned_data["timecode"].strip()
        if not text:
            return None
        try:
            parts = [int(p) for p in text.split(":")]
        except ValueError:
            raise forms.ValidationError(_("Write the time as h:mm:ss, for example 0:12:30.")) from None
        if not 1 <= len(parts) <= 3 or any(p < 0 for p in parts) or any(p >= 60 for p in parts[1:]):
            raise forms.ValidationError(_("Write the time as h:mm:ss, for example 0:12:30."))
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + part
        return seconds * 1000
