"""The descriptor vocabulary: what it holds, and how the loader refuses a bad file."""

from __future__ import annotations

import pytest

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.vocabulary import load_vocabulary


def test_it_defines_twelve_to_eighteen_bilingual_descriptors(policies):
    descriptors = policies.vocabulary.descriptors
    assert 12 <= len(descriptors) <= 18
    required = {
        "violence",
        "gore",
        "sexual_content",
        "nudity",
        "language",
        "drugs",
        "alcohol_tobacco",
        "threat_horror",
        "self_harm",
        "discrimination",
        "dangerous_behaviour",
        "gambling",
    }
    assert required <= set(descriptors)
    for descriptor in descriptors.values():
        assert descriptor.name.en and descriptor.name.ja and descriptor.definition.ja
        assert descriptor.max_intensity == 4
        for level in descriptor.levels:
            assert level.meaning.en and level.meaning.ja
            assert level.examples_en and level.examples_ja


def test_it_defines_the_context_tags_the_schemes_rely_on(policies):
    assert {"frequent", "realistic", "fantasy", "comedic", "glamorised", "sexualised", "condemned"} <= set(
        policies.vocabulary.contexts
    )
    assert len(policies.vocabulary.scale) == 5


def test_it_refuses_a_descriptor_defined_twice(policy_copy):
    policy_copy.replace("descriptors.toml", 'id = "gore"', 'id = "violence"')
    line = policy_copy.line_of("descriptors.toml", 'name = { en = "Blood and gore"') - 1
    with pytest.raises(PolicyFileError) as raised:
        load_vocabulary(policy_copy.path("descriptors.toml"))
    assert raised.value.line == line
    assert raised.value.field == "descriptors[1].id"
    assert "defined twice" in raised.value.reason


def test_it_refuses_intensities_out_of_order(policy_copy):
    line = policy_copy.replace(
        "descriptors.toml",
        'intensity = 2\nmeaning = { en = "Clear fights',
        'intensity = 3\nmeaning = { en = "Clear fights',
    )
    with pytest.raises(PolicyFileError) as raised:
        load_vocabulary(policy_copy.path("descriptors.toml").resolve())
    assert raised.value.line == line
    assert "expected 2" in raised.value.reason


def test_it_refuses_an_unknown_key_in_a_context(policy_copy):
    line = (
        policy_copy.replace("descriptors.toml", 'id = "fantasy"\n', 'id = "fantasy"\ncolour = "blue"\n') + 1
    )
    with pytest.raises(PolicyFileError) as raised:
        load_vocabulary(policy_copy.path("descriptors.toml"))
    assert raised.value.line == line
    assert "unknown key 'colour'" in raised.value.reason
    assert str(raised.value).startswith(f"{policy_copy.path('descriptors.toml')}:{line} [contexts[3].colour]")


def test_it_refuses_a_not_rateable_rule_naming_an_unknown_descriptor(policy_copy):
    policy_copy.replace("descriptors.toml", 'descriptors = ["nudity"]', 'descriptors = ["nudes"]')
    with pytest.raises(PolicyFileError, match="unknown descriptor 'nudes'"):
        load_vocabulary(policy_copy.path("descriptors.toml"))
