"""Console forms of the rating workflow. They shape input only; the actions validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shinsa.ratings.policies import RatingPolicies

MAX_MS = 48 * 3600 * 1000  # nothing we rate runs longer than two days


def _language_of(language: str) -> str:
    return "ja" if language == "ja" else "en"


class FindingForm(forms.Form):
    descriptor = forms.ChoiceField(label=_("Descriptor"))
    intensity = forms.TypedChoiceField(
        label=_("Intensity"),
        coerce=int,
        choices=[(1, _("1 mild")), (2, _("2 moderate")), (3, _("3 strong")), (4, _("4 very strong"))],
    )
    context = forms.MultipleChoiceField(
        label=_("Context"), required=False, widget=forms.CheckboxSelectMultiple
    )
    start_ms = forms.IntegerField(label=_("Start (ms)"), required=False, min_value=0, max_value=MAX_MS)
    end_ms = forms.IntegerField(label=_("End (ms)"), required=False, min_value=0, max_value=MAX_MS)
    frame_ms = forms.IntegerField(
        label=_("Evidence frame (ms)"), required=False, min_value=0, max_value=MAX_MS
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, policies: RatingPolicies, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = _language_of(language)
        vocabulary = policies.vocabulary
        self.fields["descriptor"].choices = [
            (item.id, item.name.in_language(lang)) for item in vocabulary.descriptors.values()
        ]
        self.fields["context"].choices = [
            (tag_id, tag.name.in_language(lang)) for tag_id, tag in vocabulary.contexts.items()
        ]
        self.fields["start_ms"].widget.attrs["data-mark"] = "in"
        self.fields["end_ms"].widget.attrs["data-mark"] = "out"
        self.fields["frame_ms"].widget.attrs["data-mark"] = "frame"


class OverrideForm(forms.Form):
    scheme = forms.CharField(widget=forms.HiddenInput, max_length=32)
    territory = forms.CharField(widget=forms.HiddenInput, max_length=2)
    level = forms.ChoiceField(label=_("New level"))
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), required=True
    )

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(code, code) for code in levels]


class CertificateForm(forms.Form):
    """An issued certificate as printed: scheme, level, number, date, medium, authority, advice."""

    scheme = forms.ChoiceField(label=_("Scheme"))
    level = forms.CharField(label=_("Level"), max_length=32)
    number = forms.CharField(label=_("Certificate number"), max_length=64)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    medium = forms.CharField(label=_("Medium"), max_length=32, initial="video")
    authority = forms.CharField(label=_("Authority"), max_length=200)
    advice_en = forms.CharField(
        label=_("Consumer advice (English, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    advice_ja = forms.CharField(
        label=_("Consumer advice (Japanese, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, policies: RatingPolicies, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [(scheme_id, scheme_id) for scheme_id in policies.schemes]
