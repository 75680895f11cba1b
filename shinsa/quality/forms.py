"""Forms of the quality pages. They shape input only; the actions validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shinsa.policy.current import current_policies
from shinsa.quality.answers import ANSWER_ACTIONS
from shinsa.quality.models import Adjudication, ErrorClass
from shinsa.review.models import DecisionAction

MAX_MS = 48 * 3600 * 1000


def _lang() -> str:
    return "ja" if translation.get_language() == "ja" else "en"


def clause_choices(policy_area: str | None = None) -> list[tuple[str, str]]:
    lang = _lang()
    return [
        (clause.id, f"{clause.id} · {clause.title.in_language(lang)}")
        for clause in current_policies().clauses
        if policy_area is None or clause.area == policy_area
    ]


def area_choices() -> list[tuple[str, str]]:
    lang = _lang()
    return [(area.id, area.name.in_language(lang)) for area in current_policies().areas]


class AnswerForm(forms.Form):
    """An answer: what should happen to the title, under which clause, and where in the video."""

    action = forms.ChoiceField(label=_("Decision"))
    clause = forms.ChoiceField(label=_("Clause"))
    start_ms = forms.IntegerField(label=_("Start (ms)"), required=False, min_value=0, max_value=MAX_MS)
    end_ms = forms.IntegerField(label=_("End (ms)"), required=False, min_value=0, max_value=MAX_MS)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, policy_area: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DecisionAction.choices)
        self.fields["action"].choices = [(value, labels[value]) for value in ANSWER_ACTIONS]
        self.fields["clause"].choices = clause_choices(policy_area)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_ms"), data.get("end_ms")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both the start and the end of the time range, or neither."))
        data["ranges"] = [[start, end]] if start is not None else []
        return data


def descriptor_choices() -> list[tuple[str, str]]:
    from shinsa.ratings.active import active_rating_policies

    lang = _lang()
    return [("", "—")] + [
        (item.id, item.name.in_language(lang))
        for item in active_rating_policies().vocabulary.descriptors.values()
    ]


class FindingAnswerForm(AnswerForm):
    """An answer with one optional rating finding (descriptor, intensity, time range)."""

    descriptor = forms.ChoiceField(label=_("Rating finding: descriptor"), required=False)
    intensity = forms.TypedChoiceField(
        label=_("Intensity"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", "—"),
            (1, _("1 mild")),
            (2, _("2 moderate")),
            (3, _("3 strong")),
            (4, _("4 very strong")),
        ],
    )
    finding_start_ms = forms.IntegerField(
        label=_("Finding start (ms)"), required=False, min_value=0, max_value=MAX_MS
    )
    finding_end_ms = forms.IntegerField(
        label=_("Finding end (ms)"), required=False, min_value=0, max_value=MAX_MS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["descriptor"].choices = descriptor_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [data.get(name) for name in ("descriptor", "intensity", "finding_start_ms", "finding_end_ms")]
        if any(part not in (None, "") for part in parts) and any(part in (None, "") for part in parts):
            raise forms.ValidationError(
                _("A rating finding needs a descriptor, an intensity, a start and an end.")
            )
        data["findings"] = (
            [{"descriptor": parts[0], "intensity": parts[1], "start_ms": parts[2], "end_ms": parts[3]}]
            if parts[0]
            else []
        )
        return data


class ConsensusForm(AnswerForm):
    discussion = forms.CharField(
        label=_("Discussion notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rationale = forms.CharField(
        label=_("Rationale"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GoldForm(FindingAnswerForm):
    version = forms.ChoiceField(label=_("Title version"))
    policy_area = forms.ChoiceField(label=_("Policy area"))
    rationale = forms.CharField(
        label=_("Rationale"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_exposures = forms.IntegerField(
        label=_("Retire after this many answers"), min_value=1, max_value=1000, initial=20
    )

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(str(pk), label) for pk, label in versions]
        self.fields["policy_area"].choices = area_choices()
        del self.fields["note"]


class ClassifyForm(forms.Form):
    error_classes = forms.MultipleChoiceField(
        label=_("Errors in the original decision"),
        required=False,
        choices=ErrorClass.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Finding"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the finding is wrong"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdjudicateForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Adjudication.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    decided_from = forms.DateField(label=_("Decisions from"), widget=forms.DateInput(attrs={"type": "date"}))
    decided_to = forms.DateField(label=_("Decisions to"), widget=forms.DateInput(attrs={"type": "date"}))
    confidence = forms.TypedChoiceField(
        label=_("Confidence"),
        coerce=float,
        choices=[("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")],
        initial="0.95",
    )
    margin = forms.FloatField(label=_("Margin of error"), min_value=0.01, max_value=0.5, initial=0.1)
    expected_error_rate = forms.FloatField(
        label=_("Expected error rate"), min_value=0.01, max_value=0.99, initial=0.1
    )


class CalibrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    policy_area = forms.ChoiceField(label=_("Policy area"))
    versions = forms.MultipleChoiceField(
        label=_("Title versions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    golds = forms.MultipleChoiceField(
        label=_("Gold items"), required=False, widget=forms.CheckboxSelectMultiple
    )
    invitees = forms.MultipleChoiceField(label=_("Invite reviewers"), widget=forms.CheckboxSelectMultiple)

    def __init__(
        self,
        *args: Any,
        versions: list[tuple[int, str]],
        golds: list[tuple[int, str]],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy_area"].choices = area_choices()
        self.fields["versions"].choices = [(str(pk), label) for pk, label in versions]
        self.fields["golds"].choices = [(str(pk), label) for pk, label in golds]
        self.fields["invitees"].choices = [(str(pk), label) for pk, label in people]
