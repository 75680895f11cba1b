"""``policies/signals.toml``: the shipped file loads; each mistake is a problem with file, line and field."""

from __future__ import annotations

import shutil

import pytest

from shinsa.policy.builtin_kinds import BUILTIN_KINDS
from shinsa.policy.errors import InvalidPolicySet
from shinsa.policy.loader import load_policy_set, registered_kinds
from shinsa.policy.schemas import POLICY_AREAS, Severity
from shinsa.screening.signals import SIGNALS_KIND, SignalsSettings
from shinsa.screening.signals.settings import SIGNALS
from tests.screening.signals.conftest import SHIPPED_POLICIES

AREAS_KIND = next(kind for kind in BUILTIN_KINDS if kind.name == POLICY_AREAS)
SHIPPED = (SHIPPED_POLICIES / "signals.toml").read_text(encoding="utf-8")


def load(tmp_path, text: str | None) -> SignalsSettings | None:
    directory = tmp_path / "policies"
    directory.mkdir(exist_ok=True)
    shutil.copy(SHIPPED_POLICIES / "policy_areas.toml", directory / "policy_areas.toml")
    if text is not None:
        (directory / "signals.toml").write_text(text, encoding="utf-8")
    return load_policy_set(directory, kinds=[AREAS_KIND, SIGNALS_KIND]).kinds[SIGNALS]


def test_it_loads_the_shipped_file():
    settings = load_policy_set(SHIPPED_POLICIES).kind(SIGNALS)
    assert all(settings.is_enabled(name) for name in ("text_lexicon", "pdq", "md5", "sha256", "classifier"))
    assert (settings.pdq_max_distance, settings.pdq_min_quality) == (31, 50)
    genitalia = next(rule for rule in settings.classifier_labels if rule.label == "FEMALE_GENITALIA_EXPOSED")
    assert (genitalia.threshold, genitalia.policy_area, genitalia.severity) == (
        0.5,
        "sexual_content",
        Severity.HIGH,
    )


def test_it_is_a_registered_policy_kind():
    assert SIGNALS in [kind.name for kind in registered_kinds()]


def test_it_reads_a_directory_without_the_file_as_no_settings(tmp_path):
    assert load(tmp_path, None) is None


def test_it_reads_switches_and_thresholds(tmp_path):
    text = SHIPPED.replace("[md5]\nenabled = true", "[md5]\nenabled = false").replace(
        "max_distance = 31", "max_distance = 20"
    )
    settings = load(tmp_path, text)
    assert not settings.is_enabled("md5") and settings.is_enabled("sha256")
    assert settings.pdq_max_distance == 20


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "needle", "reason"),
    [
        (
            'label = "ANUS_EXPOSED"',
            'label = "ANUS_SHOWN"',
            "ANUS_SHOWN",
            "unknown classifier label 'ANUS_SHOWN'",
        ),
        ("threshold = 0.55", "threshold = 1.5", "threshold = 1.5", "must be between 0.2 and 1.0"),
        ("max_distance = 31", "max_distance = 99", "max_distance = 99", "must be between 0 and 64"),
        (
            'policy_area = "sexual_content"\nseverity = "low"',
            'policy_area = "nudity"\nseverity = "low"',
            '"nudity"',
            "unknown policy area 'nudity'",
        ),
        ('\nseverity = "low"', '\nseverity = "mild"', '"mild"', "unknown severity 'mild'"),
        ('min_severity = "low"', 'min_severity = "none"', '"none"', "unknown severity 'none'"),
        (
            "min_quality = 50",
            "min_quality = 50\nmax_quality = 90",
            "max_quality",
            "unknown key 'max_quality'",
        ),
        ("[md5]\nenabled = true", '[md5]\nenabled = "yes"', 'enabled = "yes"', "true or false"),
        (
            'label = "BUTTOCKS_EXPOSED"',
            'label = "ANUS_EXPOSED"',
            'label = "ANUS_EXPOSED"\nthreshold = 0.6',
            "listed twice",
        ),
    ],
)
def test_it_reports_a_mistake_with_file_line_and_field(tmp_path, old, new, needle, reason):
    assert old in SHIPPED
    text = SHIPPED.replace(old, new)
    with pytest.raises(InvalidPolicySet) as raised:
        load(tmp_path, text)
    (problem,) = raised.value.problems
    assert reason in str(problem)
    assert "signals.toml" in str(problem)
    assert problem.line == line_of(text, needle)


def test_it_reports_a_missing_signal_table_and_an_unknown_one(tmp_path):
    text = SHIPPED.replace("[sha256]\nenabled = true\n", "")
    with pytest.raises(InvalidPolicySet, match=r"missing table \[sha256\]"):
        load(tmp_path, text)
    with pytest.raises(InvalidPolicySet, match="unknown top-level key 'vpdq'") as raised:
        load(tmp_path, SHIPPED + "\n[vpdq]\nenabled = true\n")
    assert raised.value.problems[0].line == SHIPPED.count("\n") + 2
