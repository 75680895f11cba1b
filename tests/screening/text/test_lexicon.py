"""Lexicon files: the shipped set loads; every kind of mistake is one problem with file, line and field."""

from __future__ import annotations

import shutil

import pytest

from shinsa.policy.checks import check_policy_files
from shinsa.policy.current import current_policies, reload_policies
from shinsa.policy.errors import InvalidPolicySet
from shinsa.screening.text import LEXICONS, Lexicons, MatchMode, load_lexicon_directory
from tests.screening.text.conftest import SHIPPED_POLICIES, toml_terms

GOOD = {"id": "x_ok", "term": "殺す", "area": "violence", "severity": "high", "match": "normalized"}


def test_it_loads_the_shipped_lexicons_in_both_languages(shipped_lexicons):
    for language in ("ja", "en"):
        lexicon = shipped_lexicons.for_language(language)
        assert lexicon.language == language and len(lexicon.terms) >= 15
        assert {term.match for term in lexicon.terms} == set(MatchMode)
        assert all(term.id.startswith(f"{language}_") for term in lexicon.terms)


def test_it_is_loaded_with_the_policy_set_django_starts_with(settings):
    settings.POLICY_DIR = SHIPPED_POLICIES
    reload_policies()
    try:
        lexicons = current_policies().kind(LEXICONS)
    finally:
        reload_policies()
    assert isinstance(lexicons, Lexicons)
    assert (
        lexicons.for_language("ja-JP").version
        == load_lexicon_directory(SHIPPED_POLICIES).by_language["ja"].version
    )


def test_it_gives_an_empty_lexicon_for_other_languages(shipped_lexicons):
    assert shipped_lexicons.for_language("fr").terms == ()


def test_it_versions_each_language_by_its_content(tmp_path):
    directory = tmp_path / "policies"
    shutil.copytree(SHIPPED_POLICIES, directory)
    before = load_lexicon_directory(directory)
    violence = directory / "lexicons" / "en" / "violence.toml"
    violence.write_text(
        violence.read_text(encoding="utf-8") + "\n# a comment changes nothing\n", encoding="utf-8"
    )
    assert load_lexicon_directory(directory).by_language["en"].version == before.by_language["en"].version
    violence.write_text(
        violence.read_text(encoding="utf-8").replace('severity = "high"', 'severity = "critical"', 1)
    )
    after = load_lexicon_directory(directory)
    assert after.by_language["en"].version != before.by_language["en"].version
    assert after.by_language["ja"].version == before.by_language["ja"].version


def _problems(tmp_path, files: dict[str, str]) -> list[str]:
    directory = tmp_path / "policies"
    (directory / "lexicons").mkdir(parents=True)
    shutil.copy(SHIPPED_POLICIES / "policy_areas.toml", directory / "policy_areas.toml")
    for name, text in files.items():
        path = directory / "lexicons" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidPolicySet) as invalid:
        load_lexicon_directory(directory)
    return [str(problem) for problem in invalid.value.problems]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"area": "violense"}, "policies/lexicons/ja/a.toml:4 [area]: unknown policy area 'violense'"),
        (
            {"severity": "severe"},
            "policies/lexicons/ja/a.toml:5 [severity]: unknown severity 'severe'; "
            "expected one of: critical, high, low, medium",
        ),
        (
            {"match": "fuzzy"},
            "policies/lexicons/ja/a.toml:6 [match]: unknown match mode 'fuzzy'; "
            "expected one of: exact, normalized, substring",
        ),
        (
            {"term": " \u200b\u202e "},
            "policies/lexicons/ja/a.toml:3 [term]: ' \\u200b\\u202e ' is nothing but spaces, symbols or "
            "invisible characters",
        ),
        (
            {"variants": ["ころす", ""]},
            "policies/lexicons/ja/a.toml:7 [variants[2]]: must be 1 to 100 characters",
        ),
        (
            {"colour": "red"},
            "policies/lexicons/ja/a.toml:7 [colour]: unknown key 'colour'; "
            "expected one of: area, id, match, note, severity, term, variants",
        ),
    ],
)
def test_it_reports_a_bad_term_with_file_line_and_field(tmp_path, change, problem):
    assert _problems(tmp_path, {"ja/a.toml": toml_terms([{**GOOD, **change}])}) == [problem]


def test_it_refuses_a_duplicate_id_across_languages(tmp_path):
    problems = _problems(
        tmp_path,
        {
            "ja/a.toml": toml_terms([GOOD]),
            "en/b.toml": toml_terms([{**GOOD, "term": "kill"}]),
        },
    )
    assert problems == [
        "policies/lexicons/ja/a.toml:2 [id]: duplicate lexicon term id 'x_ok'; first defined in "
        "policies/lexicons/en/b.toml:2"
    ]


def test_it_refuses_two_terms_that_match_the_same_text(tmp_path):
    # コロス and ころす are one key once kana is folded.
    first = {**GOOD, "term": "ころす", "match": "substring"}
    problems = _problems(
        tmp_path, {"ja/a.toml": toml_terms([first, {**first, "id": "x_two", "term": "コロス"}])}
    )
    assert problems == [
        "policies/lexicons/ja/a.toml:10 [term]: 'コロス' matches the same text as term 'x_ok' "
        "(policies/lexicons/ja/a.toml)"
    ]


def test_it_refuses_a_lexicon_outside_the_language_folders(tmp_path):
    problems = _problems(tmp_path, {"fr/a.toml": toml_terms([GOOD])})
    assert problems == [
        "policies/lexicons/fr/a.toml: lexicons live in lexicons/ja/ or lexicons/en/, not lexicons/fr/a.toml"
    ]


def test_the_start_up_check_reports_lexicon_problems(tmp_path, settings):
    directory = tmp_path / "policies"
    shutil.copytree(SHIPPED_POLICIES, directory)
    drugs = directory / "lexicons" / "en" / "drugs.toml"
    drugs.write_text(
        drugs.read_text(encoding="utf-8").replace('area = "illegal_goods"', 'area = "contraband"')
    )
    settings.POLICY_DIR = directory
    reload_policies()
    try:
        messages = check_policy_files()
    finally:
        reload_policies()
    assert [(message.id, message.msg.split(":")[0]) for message in messages] == [
        ("shinsa.policy.E001", "policies/lexicons/en/drugs.toml")
    ]
    assert messages[0].msg.endswith("[area]: unknown policy area 'contraband'")
