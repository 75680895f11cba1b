"""The scheme loader refuses every kind of bad file with its path, line, field and reason."""

from __future__ import annotations

import shutil

import pytest

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.policies import load_rating_policies


def load_error(policy_copy) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as raised:
        load_rating_policies(policy_copy.root)
    return raised.value


def test_it_loads_every_shipped_scheme_with_its_facts(policies):
    eirin = policies.schemes["eirin"]
    assert eirin.authority.ja == "映画倫理機構（映倫）"
    assert eirin.self_classification is False
    assert [level.restriction for level in eirin.levels] == [
        "advisory",
        "advisory",
        "restrictive",
        "restrictive",
    ]
    assert policies.schemes["acb"].levels[-1].restriction == "refused"
    assert policies.schemes["bbfc"].levels[2].proposable is False  # 12A: cinema only
    assert policies.schemes["classind"].self_classification is True
    assert len(policies.version) == 64


def test_it_refuses_an_unknown_key_naming_file_line_and_field(policy_copy):
    line = policy_copy.replace("eirin.toml", 'code = "PG12"\n', 'code = "PG12"\ncolour = "red"\n') + 1
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("eirin.toml"))
    assert (error.line, error.field) == (line, "levels[1].colour")
    assert "unknown key 'colour'" in error.reason


def test_it_refuses_a_duplicate_scheme_id_across_files(policy_copy):
    shutil.copy(policy_copy.path("eirin.toml"), policy_copy.path("eirin_again.toml"))
    shutil.copy(policy_copy.path("eirin.golden.toml"), policy_copy.path("eirin_again.golden.toml"))
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("eirin_again.toml"))
    assert error.line == policy_copy.line_of("eirin_again.toml", 'id = "eirin"')
    assert error.reason == "scheme id 'eirin' is already used by eirin.toml"


def test_it_refuses_a_level_not_in_the_scheme(policy_copy):
    line = policy_copy.replace(
        "eirin.toml",
        'level = "R18+"\nbasis = "REFERENCE §2 EIRIN',
        'level = "R21+"\nbasis = "REFERENCE §2 EIRIN',
    )
    error = load_error(policy_copy)
    assert (error.line, error.field) == (line, "rules[6].level")
    assert "level 'R21+' is not in this scheme" in error.reason


def test_it_refuses_bad_toml_with_the_line(policy_copy):
    line = policy_copy.replace("mpa.toml", 'territory = "US"\n', 'territory = "US\n')
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("mpa.toml"))
    assert error.line == line
    assert error.reason.startswith("invalid TOML")


def test_it_refuses_a_rule_with_an_unknown_descriptor(policy_copy):
    line = policy_copy.replace(
        "fsk.toml", 'descriptors = ["language"]\nlevels', 'descriptors = ["swearing"]\nlevels'
    )
    error = load_error(policy_copy)
    assert (error.line, error.field) == (line, "rules[3].descriptors[0]")
    assert "unknown descriptor 'swearing'" in error.reason


def test_it_refuses_a_rule_with_an_unknown_context(policy_copy):
    policy_copy.replace("fsk.toml", 'contexts = ["resolved"]', 'contexts = ["reassuring"]')
    error = load_error(policy_copy)
    assert error.field == "rules[1].contexts[0]"
    assert "unknown context 'reassuring'" in error.reason


def test_it_refuses_a_ladder_that_goes_down(policy_copy):
    policy_copy.replace(
        "imda.toml",
        'levels = ["G", "G", "PG13", "NC16", "M18"]',
        'levels = ["G", "PG13", "G", "NC16", "M18"]',
    )
    error = load_error(policy_copy)
    assert error.field == "rules[3].levels[2]"
    assert "must not go down" in error.reason


def test_it_refuses_rules_that_are_not_monotonic_together(policy_copy):
    policy_copy.replace(
        "cbfc.toml",
        "max_intensity = 1\nsteps = -1\n",
        "max_intensity = 1\nsteps = 3\n",
    )
    error = load_error(policy_copy)
    assert error.field == "rules"
    assert "not monotonic" in error.reason and "violence at intensity 2" in error.reason


def test_it_refuses_a_rule_giving_a_level_that_is_never_proposed(policy_copy):
    policy_copy.replace(
        "bbfc.toml", 'levels = ["U", "U", "12", "15", "18"]', 'levels = ["U", "U", "12A", "15", "18"]'
    )
    error = load_error(policy_copy)
    assert "'12A' is marked not proposable" in error.reason


def test_it_refuses_levels_out_of_order(policy_copy):
    policy_copy.replace("fsk.toml", 'code = "FSK 16"\nage = 16', 'code = "FSK 16"\nage = 10')
    error = load_error(policy_copy)
    assert error.field == "levels[3].age"
    assert "least to most restrictive" in error.reason


def test_it_refuses_a_level_code_listed_twice(policy_copy):
    policy_copy.replace("kmrb.toml", 'code = "제한상영가"', 'code = "청소년관람불가"')
    error = load_error(policy_copy)
    assert error.field == "levels[4].code" and "listed twice" in error.reason


def test_it_refuses_a_rule_id_used_twice(policy_copy):
    policy_copy.replace("mpa.toml", 'id = "nudity-sexual"', 'id = "nudity-ladder"')
    error = load_error(policy_copy)
    assert "rule id 'nudity-ladder' is used twice" in error.reason


def test_it_refuses_two_plain_ladders_for_one_descriptor(policy_copy):
    policy_copy.replace(
        "acb.toml", 'descriptors = ["alcohol_tobacco", "gambling"]', 'descriptors = ["language", "gambling"]'
    )
    error = load_error(policy_copy)
    assert "'language' already has a plain ladder" in error.reason


def test_it_refuses_a_wrong_type(policy_copy):
    line = policy_copy.replace("prime.toml", "self_classification = true", 'self_classification = "yes"')
    error = load_error(policy_copy)
    assert (error.line, error.field) == (line, "self_classification")
    assert error.reason == "must be true or false, not a string"


def test_it_refuses_a_mapping_that_goes_down(policy_copy):
    policy_copy.replace("prime.toml", '"PG-13" = "13+", "R" = "18+"', '"PG-13" = "18+", "R" = "13+"')
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("prime.toml"))
    assert "must not go down" in error.reason


def test_it_refuses_a_mapping_from_an_unknown_scheme(policy_copy):
    policy_copy.replace("prime.toml", 'from = "fsk"', 'from = "usk"')
    error = load_error(policy_copy)
    assert error.field == "mappings[3].from" and "unknown scheme 'usk'" in error.reason


def test_it_refuses_a_mapping_code_the_source_does_not_have(policy_copy):
    policy_copy.replace("prime.toml", '"NC-17" = "18+"', '"NC17" = "18+"')
    error = load_error(policy_copy)
    assert "'NC17' is not a level of mpa" in error.reason


def test_it_refuses_a_scheme_without_golden_cases(policy_copy):
    policy_copy.path("kmrb.golden.toml").unlink()
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("kmrb.golden.toml"))
    assert "missing" in error.reason


def test_it_refuses_a_golden_case_expecting_a_level_the_scheme_lacks(policy_copy):
    line = policy_copy.replace("mpa.golden.toml", 'level = "NC-17"', 'level = "X"')
    error = load_error(policy_copy)
    assert error.path == str(policy_copy.path("mpa.golden.toml"))
    assert error.line == line
    assert "'X' is not a level of mpa" in error.reason


def test_it_refuses_a_golden_finding_outside_the_vocabulary(policy_copy):
    policy_copy.replace(
        "fsk.golden.toml", '{ descriptor = "drugs", intensity = 2', '{ descriptor = "drugs", intensity = 7'
    )
    error = load_error(policy_copy)
    assert "intensity 7 is out of range 0-4 for drugs" in error.reason


def test_it_refuses_a_territory_that_is_not_an_iso_code(policy_copy):
    policy_copy.replace("kijkwijzer.toml", 'territory = "NL"', 'territory = "NLD"')
    error = load_error(policy_copy)
    assert error.field == "territory"
