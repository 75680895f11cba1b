"""The new-project form. It shapes input only; ``do_create_project`` validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shinsa.labeling.models import ConsensusMethod, SourceKind


class ProjectForm(forms.Form):
    slug = forms.SlugField(label=_("Id"), max_length=64)
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    instructions_ja = forms.CharField(
        label=_("Instructions (Japanese)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    instructions_en = forms.CharField(
        label=_("Instructions (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    schema_id = forms.ChoiceField(label=_("Schema"))
    policy_area = forms.ChoiceField(label=_("Policy area"))
    source_kind = forms.ChoiceField(
        label=_("Source"), choices=[(k.value, k.label) for k in SourceKind if k != SourceKind.IMPORTED]
    )
    titles = forms.CharField(label=_("Title ids (catalog source; empty: every video)"), required=False)
    signal_source = forms.CharField(label=_("Signal source (screening hits)"), required=False, max_length=64)
    sample = forms.IntegerField(
        label=_("Sample size (decisions)"), required=False, min_value=1, max_value=10_000
    )
    overlap = forms.IntegerField(label=_("Labelers per item"), min_value=1, max_value=10, initial=2)
    max_labelers = forms.IntegerField(label=_("Labelers at most"), min_value=1, max_value=10, initial=3)
    min_agreement = forms.FloatField(label=_("Agreement below which a labeler is added"), initial=0.8)
    consensus_method = forms.ChoiceField(label=_("Consensus"), choices=ConsensusMethod.choices)
    graphic_category = forms.ChoiceField(label=_("Graphic category"), required=False)
    graphic_level = forms.IntegerField(label=_("Graphic level"), min_value=0, max_value=3, initial=0)
    language = forms.ChoiceField(
        label=_("Language needed"), required=False, choices=[("", "—"), ("ja", "日本語"), ("en", "English")]
    )

    def __init__(self, *args: Any, schemas: Any, areas: Any, categories: Any, language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["schema_id"].choices = [(s.id, s.name.in_language(language)) for s in schemas]
        self.fields["policy_area"].choices = [(a.id, a.name.in_language(language)) for a in areas]
        self.fields["graphic_category"].choices = [("", "—")] + [(c.id, c.id) for c in categories]

    def source(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["source_kind"] == SourceKind.CATALOG and data.get("titles"):
            return {"titles": [t.strip() for t in data["titles"].split(",") if t.strip()]}
        if data["source_kind"] == SourceKind.SCREENING_HITS and data.get("signal_source"):
            return {"signal_source": data["signal_source"].strip()}
        if data["source_kind"] == SourceKind.DECISIONS:
            return {"sample": data.get("sample") or 50}
        return {}
