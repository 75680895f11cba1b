"""Each validation rule of Shinsa's own policy kinds, shown failing on a broken copy of the shipped files."""

from __future__ import annotations


def test_it_rejects_an_unknown_key_with_its_line(policy_copy):
    policy_copy.replace(
        "policy_areas.toml", 'clause_prefix = "VIO"\n', 'clause_prefix = "VIO"\ncolour = "red"\n'
    )
    problem = policy_copy.only_problem()
    assert problem.path == "policies/policy_areas.toml"
    assert problem.line == policy_copy.line_of("policy_areas.toml", "colour")
    assert problem.field == "colour"
    assert problem.reason.startswith("unknown key 'colour'; expected one of: clause_prefix, description,")


def test_it_rejects_an_unknown_top_level_key(policy_copy):
    policy_copy.replace(
        "slas.toml", '[[slas]]\nid = "critical_harm"', 'version = 2\n\n[[slas]]\nid = "critical_harm"'
    )
    line = policy_copy.line_of("slas.toml", "version = 2")
    assert str(policy_copy.only_problem()) == (
        f"policies/slas.toml:{line} [version]: unknown top-level key 'version'; expected: slas"
    )


def test_it_rejects_a_missing_required_key(policy_copy):
    policy_copy.replace("report_reasons.toml", 'area = "violent_extremism"\n', "")
    problem = policy_copy.only_problem()
    assert (problem.field, problem.reason) == ("area", "missing required key")
    header_line = policy_copy.line_of("report_reasons.toml", 'id = "terrorism"') - 1
    assert problem.line == header_line  # a missing key is placed at its [[reasons]] header


def test_it_rejects_wrong_types(policy_copy):
    policy_copy.replace("wellness_presets.toml", "reveal_steps = 4", 'reveal_steps = "4"')
    policy_copy.replace("wellness_presets.toml", "greyscale = false", "greyscale = 0")
    policy_copy.replace(
        "policy_areas.toml", 'severity = "low"\nclause_prefix = "SUB"', 'severity = 4\nclause_prefix = "SUB"'
    )
    reasons = sorted((p.field, p.reason) for p in policy_copy.problems())
    assert reasons == [
        ("greyscale", "must be true or false, not a whole number"),
        ("reveal_steps", "must be a whole number, not a string"),
        ("severity", "must be a string, not a whole number"),
    ]


def test_it_does_not_take_true_for_a_number_or_a_date_time_for_a_date(policy_copy):
    policy_copy.replace("wellness_presets.toml", "reveal_steps = 4", "reveal_steps = true")
    policy_copy.replace(
        "clauses/commerce.toml",
        'id = "FRD-1"\narea = "spam_fraud"\neffective = 2026-04-01',
        'id = "FRD-1"\narea = "spam_fraud"\neffective = 2026-04-01T09:00:00',
    )
    reasons = sorted((p.field, p.reason) for p in policy_copy.problems())
    assert reasons == [
        ("effective", "must be a date (YYYY-MM-DD), not a date-time"),
        ("reveal_steps", "must be a whole number, not true or false"),
    ]


def test_it_rejects_values_out_of_range(policy_copy):
    policy_copy.replace("wellness_presets.toml", "exposure_weight = 3.0", "exposure_weight = 12.5")
    problem = policy_copy.only_problem()
    assert problem.reason == "must be between 0.0 and 10.0, not 12.5"
    assert problem.line == policy_copy.line_of("wellness_presets.toml", "exposure_weight = 12.5")


def test_it_rejects_a_duplicate_id_across_files(policy_copy):
    policy_copy.append(
        "clauses/violence.toml",
        '\n[[clauses]]\nid = "CSA-1"\narea = "child_safety"\neffective = 2026-04-01\n'
        'title = { ja = "重複", en = "Duplicate" }\n'
        'text = { ja = "重複した条項。", en = "A duplicate clause." }\n',
    )
    problem = policy_copy.only_problem()
    first_line = policy_copy.line_of("clauses/child_safety.toml", 'id = "CSA-1"')
    assert problem.path == "policies/clauses/violence.toml"
    assert problem.field == "id"
    assert (
        problem.reason
        == f"duplicate clause id 'CSA-1'; first defined in policies/clauses/child_safety.toml:{first_line}"
    )


def test_it_rejects_a_duplicate_id_in_one_file(policy_copy):
    policy_copy.replace("queues.toml", 'id = "hate_global"', 'id = "hate_ja"')
    problem = policy_copy.only_problem()
    assert problem.reason.startswith("duplicate queue id 'hate_ja'; first defined in policies/queues.toml:")


def test_it_rejects_an_unknown_policy_area_reference(policy_copy):
    policy_copy.replace("clauses/hate_privacy.toml", 'area = "privacy"', 'area = "privcy"')
    problem = policy_copy.only_problem()
    assert str(problem) == (
        f"policies/clauses/hate_privacy.toml:{policy_copy.line_of('clauses/hate_privacy.toml', 'privcy')}"
        " [area]: unknown policy area 'privcy'"
    )


def test_it_rejects_a_clause_whose_id_does_not_carry_its_area_prefix(policy_copy):
    policy_copy.replace("clauses/commerce.toml", 'id = "FRD-1"', 'id = "FR-1"')
    assert policy_copy.only_problem().reason == "clause ids of area 'spam_fraud' start with FRD-, not 'FR-1'"


def test_it_rejects_a_malformed_clause_id(policy_copy):
    policy_copy.replace("clauses/commerce.toml", 'id = "FRD-1"', 'id = "frd-one"')
    assert "does not match the pattern" in policy_copy.only_problem().reason


def test_it_rejects_missing_japanese_or_english_text(policy_copy):
    policy_copy.replace(
        "report_reasons.toml",
        'label = { ja = "詐欺・スパム", en = "Scam or spam" }',
        'label = { en = "Scam or spam" }',
    )
    policy_copy.replace(
        "clauses/catalog_quality.toml", 'text.en = "Each territory', 'text.fr = "Each territory'
    )
    problems = sorted((p.path, p.field, p.reason) for p in policy_copy.problems())
    assert problems == [
        ("policies/clauses/catalog_quality.toml", "text.fr", "unknown key 'fr'; expected one of: en, ja"),
        ("policies/report_reasons.toml", "label.ja", "missing Japanese text"),
    ]
    policy_copy.replace(
        "clauses/catalog_quality.toml", 'text.fr = "Each territory', '# text.en = "Each territory'
    )
    missing_en = [p for p in policy_copy.problems() if p.path.endswith("catalog_quality.toml")][0]
    assert (missing_en.field, missing_en.reason) == ("text.en", "missing English text")
    assert missing_en.line == policy_copy.line_of(
        "clauses/catalog_quality.toml", 'text.ja = "各地域の年齢区分は'
    )


def test_it_rejects_empty_text_and_japanese_text_without_japanese(policy_copy):
    policy_copy.replace(
        "slas.toml", 'name = { ja = "標準", en = "Standard" }', 'name = { ja = "Standard", en = "  " }'
    )
    assert (policy_copy.only_problem().field, policy_copy.only_problem().reason) == (
        "name.en",
        "must not be empty",
    )
    policy_copy.replace(
        "slas.toml", 'name = { ja = "Standard", en = "  " }', 'name = { ja = "Standard", en = "Standard" }'
    )
    assert policy_copy.only_problem().reason == "the Japanese text contains no Japanese characters"


def test_it_reports_bad_toml_syntax_with_the_line(policy_copy):
    policy_copy.replace("queues.toml", 'id = "metadata"', 'id = "metadata\nsla = ')
    problem = policy_copy.only_problem()
    assert problem.path == "policies/queues.toml"
    assert problem.line == policy_copy.line_of("queues.toml", 'id = "metadata')
    assert problem.reason.startswith("invalid TOML: ")
    assert "(at line" not in problem.reason


def test_it_rejects_a_file_that_is_not_utf8(policy_copy):
    policy_copy.path("slas.toml").write_bytes("name = '標準'".encode("shift_jis"))
    problem = policy_copy.problems()[0]
    assert (problem.path, problem.reason) == ("policies/slas.toml", "not UTF-8 text (byte 8)")


def test_it_rejects_a_file_without_entries(policy_copy):
    policy_copy.path("clauses/empty.toml").write_text("# nothing yet\n", encoding="utf-8")
    policy_copy.path("clauses/blank.toml").write_text("clauses = []\n", encoding="utf-8")
    assert sorted(str(p) for p in policy_copy.problems()) == [
        "policies/clauses/blank.toml:1 [clauses]: holds no [[clauses]] entries",
        "policies/clauses/empty.toml: holds no [[clauses]] entries",
    ]


def test_it_rejects_a_clause_prefix_used_by_two_areas(policy_copy):
    policy_copy.replace("policy_areas.toml", 'clause_prefix = "SUB"', 'clause_prefix = "MET"')
    assert policy_copy.only_problem().reason == "'MET' is already the prefix of area 'metadata_quality'"


def test_it_rejects_an_unknown_dsa_category(policy_copy):
    policy_copy.replace("policy_areas.toml", '"STATEMENT_CATEGORY_ANIMAL_WELFARE"', '"ANIMAL_WELFARE"')
    assert policy_copy.only_problem().reason.startswith(
        "unknown DSA category 'ANIMAL_WELFARE'; expected one of:"
    )


def test_it_rejects_sla_hours_that_give_urgent_work_more_time(policy_copy):
    policy_copy.replace("slas.toml", "hours = { urgent = 8, high = 48,", "hours = { urgent = 49, high = 48,")
    problem = policy_copy.only_problem()
    assert (problem.field, problem.reason) == ("hours.urgent", "urgent (49 h) must not exceed high (48 h)")
    assert problem.line == policy_copy.line_of("slas.toml", "urgent = 49")


def test_it_rejects_bad_queue_references(policy_copy):
    policy_copy.replace("queues.toml", 'sla = "legal_notice"', 'sla = "legal"')
    policy_copy.replace(
        "queues.toml",
        'territories = ["JP"]\nlanguages = [{ language = "ja", min_level = "N1" }]\nsla = "legal"',
        'territories = ["JP", "EU"]\nlanguages = [{ language = "ja", min_level = "N1" }]\nsla = "legal"',
    )
    policy_copy.replace("queues.toml", "clearance = { child_safety = 3 }", "clearance = { child_safety = 4 }")
    policy_copy.replace("queues.toml", "clearance = { self_harm = 2 }", "clearance = { selfharm = 2 }")
    policy_copy.replace("queues.toml", 'policy_areas = ["maturity_rating"]', 'policy_areas = ["ratings"]')
    problems = sorted((p.field, p.reason) for p in policy_copy.problems())
    assert problems == [
        ("clearance.child_safety", "must be between 1 and 3, not 4"),
        (
            "clearance.selfharm",
            "unknown key 'selfharm'; expected one of: "
            "child_safety, disturbing, self_harm, sexual, violence_gore",
        ),
        ("policy_areas[1]", "unknown policy area 'ratings'"),
        ("territories[2]", "unknown territory (ISO 3166-1 alpha-2) 'EU'"),
    ]


def test_it_rejects_a_language_level_from_the_wrong_scale(policy_copy):
    policy_copy.replace(
        "queues.toml", '{ language = "ja", min_level = "N3" }', '{ language = "ja", min_level = "B2" }'
    )
    problem = policy_copy.only_problem()
    assert problem.field == "languages[1].min_level"
    assert problem.reason == "language level for 'ja' must be a JLPT level (N1, N2, N3, N4, N5), not 'B2'"


def test_it_rejects_an_area_that_no_queue_serves(policy_copy):
    policy_copy.replace(
        "queues.toml", 'policy_areas = ["illegal_goods", "spam_fraud"]', 'policy_areas = ["spam_fraud"]'
    )
    assert (
        str(policy_copy.only_problem())
        == "policies/queues.toml [queues]: policy area 'illegal_goods' is served by no queue"
    )
