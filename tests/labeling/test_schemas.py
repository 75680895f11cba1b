"""Label schemas as policy data, checked with the other policy files; labels checked against them."""

from __future__ import annotations

import pytest

from shinsa.labeling.schemas import (
    LABEL_SCHEMAS,
    LabelInput,
    LabelProblem,
    SchemaKind,
    check_label,
    schema_from_json,
)
from shinsa.policy.loader import load_policy_set
from tests.policy.conftest import SHIPPED_POLICIES, policy_copy  # noqa: F401 - the policy fixture

FILE = "label_schemas/video.toml"


def test_it_loads_the_shipped_schemas_with_a_version_each():
    schemas = load_policy_set(SHIPPED_POLICIES).kinds[LABEL_SCHEMAS]
    assert schemas.ids == ("violence_segments", "signal_verdict", "frame_objects", "subtitle_language")
    segments = schemas["violence_segments"]
    assert segments.kind is SchemaKind.SEGMENTS and segments.class_ids == ("violence", "gore")
    assert schema_from_json(segments.as_json()).version == segments.version


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            'descriptor = "gore"\n\n[[schemas.attributes]]',
            'descriptor = "blood"\n\n[[schemas.attributes]]',
            "unknown descriptor 'blood'",
        ),
        ('kind = "segments"', 'kind = "boxes"', "unknown schema kind 'boxes'"),
        ('policy_area = "hate"', 'policy_area = "nonsense"', "unknown policy area 'nonsense'"),
    ],
)
def test_it_names_file_line_and_field_of_a_bad_schema(policy_copy, old, new, reason):  # noqa: F811
    policy_copy.replace(FILE, old, new)
    problem = policy_copy.only_problem()
    assert problem.path.endswith(FILE) and reason in problem.reason
    assert problem.line == policy_copy.line_of(FILE, new.splitlines()[0])


def test_it_changes_the_version_when_a_value_changes(policy_copy):  # noqa: F811
    before = load_policy_set(policy_copy.directory).kinds[LABEL_SCHEMAS]["violence_segments"].version
    policy_copy.replace(
        FILE, 'values = ["mild", "moderate", "strong", "very_strong"]', 'values = ["mild", "strong"]'
    )
    after = load_policy_set(policy_copy.directory).kinds[LABEL_SCHEMAS]["violence_segments"].version
    assert before != after


@pytest.mark.parametrize(
    ("mark", "code"),
    [
        (LabelInput(label="violence", start_ms=10, end_ms=5), "bad_range"),
        (
            LabelInput(label="violence", start_ms=0, end_ms=5, attributes={"intensity": "huge"}),
            "bad_attribute",
        ),
        (
            LabelInput(label="violence", start_ms=0, end_ms=5, attributes={"colour": "red"}),
            "unknown_attribute",
        ),
        (LabelInput(label="cat", start_ms=0, end_ms=5), "unknown_class"),
    ],
)
def test_it_refuses_a_label_that_does_not_fit(mark, code):
    schema = load_policy_set(SHIPPED_POLICIES).kinds[LABEL_SCHEMAS]["violence_segments"]
    with pytest.raises(LabelProblem) as refused:
        check_label(schema, mark)
    assert refused.value.code == code


def test_it_checks_boxes_and_cue_spans():
    schemas = load_policy_set(SHIPPED_POLICIES).kinds[LABEL_SCHEMAS]
    check_label(schemas["frame_objects"], LabelInput(label="weapon", frame_ms=0, box=(0.1, 0.1, 0.5, 0.5)))
    with pytest.raises(LabelProblem):
        check_label(
            schemas["frame_objects"], LabelInput(label="weapon", frame_ms=0, box=(0.8, 0.1, 0.5, 0.5))
        )
    check_label(schemas["subtitle_language"], LabelInput(label="slur", cue_index=3, text_start=0, text_end=4))
    with pytest.raises(LabelProblem):
        check_label(
            schemas["subtitle_language"], LabelInput(label="slur", cue_index=3, text_start=4, text_end=4)
        )
