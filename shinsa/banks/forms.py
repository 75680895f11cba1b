from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shinsa.banks.models import MAX_THRESHOLD, Bank
from shinsa.policy.current import current_policies


def _area_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(area.id, f"{area.id} · {area.name.in_language(language)}") for area in current_policies().areas]


class BankForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    kind = forms.ChoiceField(label=_("Signal type"), choices=Bank.Kind.choices)
    policy_area = forms.ChoiceField(label=_("Policy area"), choices=_area_choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Bank.Severity.choices, initial="high")
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    threshold = forms.IntegerField(
        label=_("Distance threshold"), min_value=0, max_value=MAX_THRESHOLD, initial=31
    )
    video_min_percent = forms.IntegerField(
        label=_("Video: share of frames that must match (%)"), min_value=1, max_value=100, initial=80
    )
    action = forms.ChoiceField(label=_("Proposed action"), choices=Bank.Action.choices)
    negative = forms.BooleanField(label=_("Negative bank (known benign: suppresses matches)"), required=False)
    illegal = forms.BooleanField(label=_("Illegal content (matches quarantine)"), required=False)


class EntryForm(forms.Form):
    value = forms.CharField(label=_("Hash"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2_000_000)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    source_ref = forms.CharField(label=_("Source reference"), max_length=200, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
