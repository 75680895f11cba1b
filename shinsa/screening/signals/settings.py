"""``policies/signals.toml``: which signals run and their thresholds, as reviewed data.

One table per registered signal, each with ``enabled``; thresholds per signal (see the file's own
comments); per classifier label a threshold, the policy area its hits belong to and their severity.
Loaded and validated with the other policy files (the ``signals`` policy kind, registered by the
screening app): unknown or missing signals, unknown keys, labels, policy areas and severities, and
numbers out of range are problems with file, line and field. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from shinsa.policy.documents import PolicyDocument
from shinsa.policy.errors import PolicyFileError
from shinsa.policy.kinds import LoadContext, PolicyKind
from shinsa.policy.reading import TableReader, require_known_keys
from shinsa.policy.schemas import POLICY_AREAS, ItemsById, PolicyArea, Severity

SIGNALS = "signals"
SIGNAL_NAMES = ("text_lexicon", "pdq", "md5", "sha256", "classifier")  # the registry's names, checked there

# The labels of NudeNet's packaged 320n detector, in the order of its output.
CLASSIFIER_LABELS = (
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)


@dataclass(frozen=True, kw_only=True)
class LabelRule:
    label: str
    threshold: float  # a detection scoring at least this is a hit
    policy_area: str
    severity: Severity


@dataclass(frozen=True, kw_only=True)
class SignalsSettings:
    enabled: Mapping[str, bool]
    text_min_severity: Severity = Severity.LOW  # lexicon hits below this are dropped
    pdq_max_distance: int = 31  # Hamming distance at or under which two PDQ hashes match
    pdq_min_quality: int = 50  # frames and images of lower PDQ quality are not matched
    classifier_labels: tuple[LabelRule, ...] = ()

    def is_enabled(self, signal: str) -> bool:
        return self.enabled.get(signal, False)

    @classmethod
    def all_enabled(cls, **overrides: object) -> SignalsSettings:
        """Every signal on with the default thresholds (tests, scripts)."""
        return cls(enabled=MappingProxyType(dict.fromkeys(SIGNAL_NAMES, True)), **overrides)  # type: ignore[arg-type]


def load_signals_settings(context: LoadContext) -> SignalsSettings | None:
    areas: ItemsById[PolicyArea] = context.loaded[POLICY_AREAS]
    documents = context.documents
    if not documents:
        return None
    try:
        return _read(documents[0], areas)
    except PolicyFileError as problem:
        context.report(problem)
        return None


def _read(document: PolicyDocument, areas: ItemsById[PolicyArea]) -> SignalsSettings:
    require_known_keys(document, SIGNAL_NAMES)
    for name in SIGNAL_NAMES:
        if name not in document.data:
            raise document.error((name,), f"missing table [{name}]; every signal needs one, with enabled")

    def section(name: str, optional: tuple[str, ...] = ()) -> TableReader:
        reader = TableReader(document, document.data[name], (name,), required=("enabled",), optional=optional)
        reader.boolean("enabled")
        return reader

    text = section("text_lexicon", ("min_severity",))
    pdq = section("pdq", ("max_distance", "min_quality"))
    section("md5")
    section("sha256")
    classifier = section("classifier", ("labels",))
    rules: list[LabelRule] = []
    seen: set[str] = set()
    if classifier.has("labels"):
        for rule in classifier.table_list(
            "labels", required=("label", "threshold", "policy_area", "severity")
        ):
            label = rule.choice("label", CLASSIFIER_LABELS, what="classifier label")
            if label in seen:
                raise rule.error("label", f"label {label!r} is listed twice")
            seen.add(label)
            rules.append(
                LabelRule(
                    label=label,
                    threshold=rule.number("threshold", minimum=0.2, maximum=1.0),
                    policy_area=rule.reference("policy_area", areas, what="policy area"),
                    severity=Severity(rule.choice("severity", [s.value for s in Severity], what="severity")),
                )
            )
    severities = [s.value for s in Severity]
    return SignalsSettings(
        enabled=MappingProxyType({name: bool(document.data[name]["enabled"]) for name in SIGNAL_NAMES}),
        text_min_severity=Severity(text.choice("min_severity", severities, what="severity"))
        if text.has("min_severity")
        else Severity.LOW,
        pdq_max_distance=pdq.integer("max_distance", minimum=0, maximum=64)
        if pdq.has("max_distance")
        else 31,
        pdq_min_quality=pdq.integer("min_quality", minimum=0, maximum=100) if pdq.has("min_quality") else 50,
        classifier_labels=tuple(rules),
    )


SIGNALS_KIND = PolicyKind(
    name=SIGNALS,
    patterns=("signals.toml",),
    load=load_signals_settings,
    requires=(POLICY_AREAS,),
    required=False,  # without the file every signal runs with the defaults, the classifier with no labels
)
