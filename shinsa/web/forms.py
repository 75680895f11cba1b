"""Forms that read the console's query strings; bad values become one clear message, never a 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.models import TitleKind


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search titles"), required=False, max_length=200, strip=True)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *TitleKind.choices]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
