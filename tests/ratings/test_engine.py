"""Engine properties over every shipped scheme, plus certificates, mappings and bad findings."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from shinsa.ratings.engine import (
    BASIS_CERTIFICATE,
    BASIS_COMPUTED,
    BASIS_MAPPING,
    evaluate_rating,
    rate_title,
)
from shinsa.ratings.findings import Certificate, Finding, RatingInputError
from tests.ratings.conftest import REPO

TITLES_PER_SCHEME = 150


def random_findings(policies, rng: random.Random, count: int) -> list[Finding]:
    descriptors = list(policies.vocabulary.descriptors)
    contexts = [tag for tag in policies.vocabulary.contexts if tag != "minor_involved"]
    findings = []
    for _ in range(count):
        start = rng.randrange(0, 3_600_000)
        findings.append(
            Finding(
                descriptor=rng.choice(descriptors),
                intensity=rng.randint(0, 4),
                start_ms=start if rng.random() > 0.1 else None,
                end_ms=start + rng.randrange(0, 60_000),
                context=frozenset(rng.sample(contexts, rng.choice((0, 1, 1, 2, 3)))),
            )
        )
    return findings


def titles(policies, seed: int):
    rng = random.Random(seed)
    for scheme in policies.schemes.values():
        for _ in range(TITLES_PER_SCHEME):
            yield scheme, random_findings(policies, rng, rng.randint(0, 8)), rng


def test_it_never_lowers_the_level_when_a_finding_is_added(policies):
    for scheme, findings, rng in titles(policies, seed=1):
        before = evaluate_rating(findings, scheme).level_index
        after = evaluate_rating([*findings, *random_findings(policies, rng, 1)], scheme).level_index
        assert after >= before, (scheme.id, findings)


def test_it_never_lowers_the_level_when_an_intensity_rises(policies):
    for scheme, findings, rng in titles(policies, seed=2):
        if not findings:
            continue
        index = rng.randrange(len(findings))
        finding = findings[index]
        if finding.intensity == 4:
            continue
        raised = Finding(
            descriptor=finding.descriptor,
            intensity=finding.intensity + 1,
            start_ms=finding.start_ms,
            end_ms=finding.end_ms,
            context=finding.context,
        )
        before = evaluate_rating(findings, scheme).level_index
        after = evaluate_rating([*findings[:index], raised, *findings[index + 1 :]], scheme).level_index
        assert after >= before, (scheme.id, finding)


def test_it_has_no_reasons_exactly_at_the_lowest_level(policies):
    for scheme, findings, _ in titles(policies, seed=3):
        rating = evaluate_rating(findings, scheme)
        assert (rating.level_index == 0) == (rating.because == ()), (scheme.id, findings)


def test_it_lists_only_findings_that_set_the_level(policies):
    count_rule_ids = {
        scheme.id: {rule.id for rule in scheme.plan.count_rules} for scheme in policies.schemes.values()
    }
    for scheme, findings, _ in titles(policies, seed=4):
        rating = evaluate_rating(findings, scheme)
        by_count_rule: dict[str, list[Finding]] = {}
        for item in rating.because:
            (finding,) = {
                f for f in findings if (f.descriptor, f.intensity, f.start_ms, f.end_ms) == item[:4]
            } or {None}
            assert finding is not None
            if item.rule in count_rule_ids[scheme.id]:
                by_count_rule.setdefault(item.rule, []).append(finding)
            else:
                assert evaluate_rating([finding], scheme).level == rating.level, (scheme.id, item)
        for rule_id, group in by_count_rule.items():
            # A count rule's findings set the level together, not one by one.
            assert evaluate_rating(group, scheme).level == rating.level, (scheme.id, rule_id)


def test_it_lists_every_finding_that_alone_sets_the_level(policies):
    for scheme, findings, _ in titles(policies, seed=5):
        rating = evaluate_rating(findings, scheme)
        if rating.level_index == 0:
            continue
        listed = {item[:4] for item in rating.because}
        for finding in findings:
            if evaluate_rating([finding], scheme).level == rating.level:
                assert (finding.descriptor, finding.intensity, finding.start_ms, finding.end_ms) in listed


def test_it_gives_the_same_rating_in_any_order(policies):
    for scheme, findings, rng in titles(policies, seed=6):
        shuffled = list(findings)
        rng.shuffle(shuffled)
        assert evaluate_rating(shuffled, scheme)[:7] == evaluate_rating(findings, scheme)[:7]


def test_it_lists_reasons_in_time_order_untimed_last(policies):
    scheme = policies.schemes["bbfc"]
    findings = [
        Finding(descriptor="violence", intensity=3, start_ms=None, end_ms=None),
        Finding(descriptor="violence", intensity=3, start_ms=90_000, end_ms=95_000),
        Finding(descriptor="language", intensity=4, start_ms=10_000, end_ms=10_500),
    ]
    rating = evaluate_rating(findings, scheme)
    assert rating.level == "15"
    assert [(item.descriptor, item.start_ms) for item in rating.because] == [
        ("language", 10_000),
        ("violence", 90_000),
        ("violence", None),
    ]
    assert rating.basis == BASIS_COMPUTED and rating.proposal is True
    assert rating.policy_version == scheme.content_hash


def test_it_names_the_rule_and_shift_behind_each_reason(policies):
    rating = evaluate_rating(
        [Finding(descriptor="violence", intensity=3, start_ms=0, end_ms=1, context=frozenset({"condemned"}))],
        policies.schemes["classind"],
    )
    assert rating.level == "14"
    assert rating.because[0].rule == "ladder+attenuating"


def test_it_refuses_findings_outside_the_vocabulary(policies):
    scheme = policies.schemes["eirin"]
    with pytest.raises(RatingInputError) as raised:
        evaluate_rating([Finding(descriptor="swearing", intensity=1)], scheme)
    assert raised.value.code == "unknown_descriptor"
    with pytest.raises(RatingInputError) as raised:
        evaluate_rating([Finding(descriptor="violence", intensity=5)], scheme)
    assert raised.value.code == "intensity_range"
    with pytest.raises(RatingInputError) as raised:
        evaluate_rating([Finding(descriptor="violence", intensity=1, context=frozenset({"gritty"}))], scheme)
    assert raised.value.code == "unknown_context"
    with pytest.raises(RatingInputError) as raised:
        evaluate_rating([Finding(descriptor="violence", intensity=True)], scheme)
    assert raised.value.code == "wrong_type"


def test_it_never_rates_sexual_content_involving_a_minor(policies):
    finding = Finding(descriptor="sexual_content", intensity=1, context=frozenset({"minor_involved"}))
    for scheme in policies.schemes.values():
        with pytest.raises(RatingInputError) as raised:
            evaluate_rating([finding], scheme)
        assert raised.value.code == "not_rateable"
        assert "legal" in str(raised.value)


def test_it_gives_an_issued_certificate_as_issued(policies):
    strong = [Finding(descriptor="violence", intensity=4, start_ms=0, end_ms=1000)]
    (rating,) = rate_title(
        policies.schemes, strong, certificates=[Certificate(scheme="bbfc", code="PG")], scheme_ids=["bbfc"]
    )
    assert (rating.level, rating.basis, rating.proposal, rating.because) == (
        "PG",
        BASIS_CERTIFICATE,
        False,
        (),
    )


def test_it_derives_the_bucket_from_a_mapped_certificate_and_computes_it_otherwise(policies):
    findings = [Finding(descriptor="violence", intensity=2, start_ms=0, end_ms=1000)]
    mapped, computed = rate_title(
        policies.schemes,
        findings,
        certificates=[Certificate(scheme="eirin", code="R15+")],
        scheme_ids=["prime"],
    ) + rate_title(
        policies.schemes, findings, certificates=[Certificate(scheme="acb", code="M")], scheme_ids=["prime"]
    )
    assert (mapped.level, mapped.basis, mapped.territory, mapped.source) == (
        "16+",
        BASIS_MAPPING,
        "JP",
        Certificate(scheme="eirin", code="R15+"),
    )
    assert (computed.level, computed.basis, computed.proposal) == ("13+", BASIS_COMPUTED, True)


def test_it_rates_every_scheme_in_id_order_by_default(policies):
    ratings = rate_title(policies.schemes, [])
    assert [rating.scheme for rating in ratings] == sorted(policies.schemes)
    assert all(rating.level_index == 0 and rating.advice == () for rating in ratings)


def test_it_ignores_tags_the_scheme_does_not_use(policies):
    scheme = policies.schemes["fsk"]
    plain = Finding(descriptor="drugs", intensity=2, start_ms=0, end_ms=1)
    tagged = Finding(descriptor="drugs", intensity=2, start_ms=0, end_ms=1, context=frozenset({"aggressive"}))
    assert evaluate_rating([tagged], scheme) == evaluate_rating([plain], scheme)


def test_it_gives_the_same_answer_after_its_memo_is_emptied(policies):
    scheme = policies.schemes["kijkwijzer"]
    findings = random_findings(policies, random.Random(7), 12)
    first = evaluate_rating(findings, scheme)
    scheme.plan.memo.clear()
    scheme.plan.by_relevant_tags.clear()
    assert evaluate_rating(findings, scheme) == first


def test_it_serialises_to_the_cli_shape_in_either_language(policies):
    rating = evaluate_rating(
        [Finding(descriptor="violence", intensity=3, start_ms=5, end_ms=9, context=frozenset({"realistic"}))],
        policies.schemes["bbfc"],
    )
    assert rating.to_json() == {
        "scheme": "bbfc",
        "territory": "GB",
        "level": "15",
        "advice": ["strong violence"],
        "because": [{"descriptor": "violence", "intensity": 3, "start_ms": 5, "end_ms": 9, "rule": "ladder"}],
    }
    assert rating.to_json("ja")["advice"] == ["強い暴力"]


def test_it_keeps_the_pure_modules_free_of_django():
    code = (
        "import sys\n"
        "import shinsa.ratings.engine, shinsa.ratings.golden, shinsa.ratings.policies\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'django')\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
