import pytest

from shinsa.accounts.skills import (
    SkillProfile,
    is_valid_level,
    language_problem,
    levels_for_language,
    meets_language_requirement,
)


@pytest.mark.parametrize(
    ("level", "required", "meets"),
    [
        ("N1", "N2", True),
        ("N2", "N2", True),
        ("N3", "N2", False),
        ("N5", "N1", False),
        ("N1", "N5", True),
        ("C2", "C1", True),
        ("C1", "C1", True),
        ("B2", "C1", False),
        ("A1", "A2", False),
        ("A2", "A1", True),
        (None, "A1", False),
    ],
)
def test_it_orders_levels_best_first(level, required, meets):
    assert meets_language_requirement(level, required) is meets


def test_it_refuses_to_compare_jlpt_with_cefr_or_unknown_levels():
    with pytest.raises(ValueError, match="cannot compare"):
        meets_language_requirement("C2", "N3")
    with pytest.raises(ValueError, match="unknown language level 'Z9'"):
        meets_language_requirement("N1", "Z9")


def test_it_uses_jlpt_for_japanese_and_cefr_for_other_languages():
    assert levels_for_language("ja") == ("N1", "N2", "N3", "N4", "N5")
    assert levels_for_language("ko") == ("C2", "C1", "B2", "B1", "A2", "A1")
    assert is_valid_level("ja", "N3") and not is_valid_level("ja", "B2")
    assert is_valid_level("en", "B2") and not is_valid_level("en", "N1")
    assert not is_valid_level("xx", "B2")


def test_it_explains_an_invalid_language_and_level():
    assert language_problem("ja", "N1") is None
    assert language_problem("jp", "N1") == "unknown language code 'jp' (use ISO 639-1, e.g. ja, en)"
    assert (
        language_problem("en", "N1")
        == "language level for 'en' must be a CEFR level (C2, C1, B2, B1, A2, A1), not 'N1'"
    )


def test_it_answers_routing_questions_from_a_profile():
    profile = SkillProfile(
        languages=(("en", "B2"), ("ja", "N1")),
        policy_areas=frozenset({"hate"}),
        clearances=(("violence_gore", 2),),
        territories=frozenset({"JP"}),
    )
    assert profile.meets_language("ja", "N2")
    assert not profile.meets_language("en", "C1")
    assert not profile.meets_language("ko", "A1")
    assert profile.clearance_for("violence_gore") == 2
    assert profile.clearance_for("sexual") == 0
