from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from shinsa.policy import loader
from shinsa.policy.builtin_kinds import BUILTIN_KINDS
from shinsa.policy.errors import InvalidPolicySet
from shinsa.policy.kinds import LoadContext, read_entries
from shinsa.policy.loader import load_policy_set, register_policy_kind, registered_kinds
from shinsa.policy.reading import TableReader
from shinsa.policy.schemas import CLAUSES, POLICY_AREAS, QUEUES, REPORT_REASONS, SLAS, WELLNESS_PRESETS
from tests.policy.conftest import SHIPPED_POLICIES


def test_it_loads_every_shipped_file():
    policies = load_policy_set(SHIPPED_POLICIES)
    shipped = sorted(p.relative_to(SHIPPED_POLICIES).as_posix() for p in SHIPPED_POLICIES.rglob("*.toml"))
    assert [f.name for f in policies.files] == shipped
    assert policies.unclaimed == ()
    for kind in (POLICY_AREAS, WELLNESS_PRESETS, CLAUSES, REPORT_REASONS, SLAS, QUEUES):
        assert len(policies.kind(kind)) > 0, kind
    assert len(policies.version) == 64


def test_it_keeps_the_bilingual_texts_and_typed_values_of_the_shipped_files():
    policies = load_policy_set(SHIPPED_POLICIES)
    clause = policies.clauses["VIO-2.1"]
    assert clause.area == "violence"
    assert clause.title.en == "Graphic violence: rating and warning"
    assert clause.title.in_language("ja") == "残酷描写の年齢区分と注意表示"
    assert clause.source == "clauses/violence.toml"
    assert policies.clauses["SEX-1"].legal_basis is not None
    assert policies.report_reasons["child_exploitation"].area == "child_safety"
    assert policies.slas["standard"].target_ms("high") == 24 * 3_600_000
    queue = policies.queues["subtitles_ja_en"]
    assert [(r.language, r.min_level) for r in queue.languages] == [("ja", "N1"), ("en", "B2")]
    assert policies.queues["graphic_violence_ja"].required_clearance("violence_gore") == 2
    assert policies.queues["graphic_violence_ja"].required_clearance("sexual") == 0


def test_it_gives_every_clause_a_content_hash_version():
    policies = load_policy_set(SHIPPED_POLICIES)
    versions = [clause.version for clause in policies.clauses]
    assert all(len(v) == 64 for v in versions)
    assert len(set(versions)) == len(versions)


def test_it_keeps_the_version_when_only_comments_whitespace_or_key_order_change(policy_copy):
    before = load_policy_set(policy_copy.directory)
    policy_copy.replace(
        "clauses/violence.toml",
        'id = "VIO-1"\narea = "violence"\n',
        '# a reviewer asked for this note\n\narea    =    "violence"   # moved\nid = "VIO-1"\n',
    )
    after = load_policy_set(policy_copy.directory)
    assert after.version == before.version
    assert after.clauses["VIO-1"].version == before.clauses["VIO-1"].version


def test_it_changes_the_set_and_clause_versions_when_a_clause_changes(policy_copy):
    before = load_policy_set(policy_copy.directory)
    policy_copy.replace(
        "clauses/violence.toml", "execution or grave accidents", "execution or serious accidents"
    )
    after = load_policy_set(policy_copy.directory)
    assert after.version != before.version
    assert after.clauses["VIO-1"].version != before.clauses["VIO-1"].version
    assert after.clauses["VIO-2.1"].version == before.clauses["VIO-2.1"].version
    changed = {f.name for f in after.files} - {f.name for f in before.files} | {
        a.name for a, b in zip(after.files, before.files, strict=True) if a.sha256 != b.sha256
    }
    assert changed == {"clauses/violence.toml"}


def test_it_changes_the_version_when_a_file_is_renamed(policy_copy):
    before = load_policy_set(policy_copy.directory)
    policy_copy.path("clauses/commerce.toml").rename(policy_copy.path("clauses/trade.toml"))
    assert load_policy_set(policy_copy.directory).version != before.version


def test_it_reports_a_missing_required_file(policy_copy):
    policy_copy.path("slas.toml").unlink()
    problems = policy_copy.problems()
    assert str(problems[0]) == "policies/slas.toml: missing: no such file"
    # queues refer to SLAs, so they are not checked while the SLAs are missing
    assert len(problems) == 1


def test_it_rejects_a_missing_directory(tmp_path):
    with pytest.raises(InvalidPolicySet, match="policy directory does not exist"):
        load_policy_set(tmp_path / "nowhere")


def test_it_lists_toml_files_that_no_kind_reads(policy_copy):
    policy_copy.path("polcy_areas.toml").write_text("[[areas]]\n", encoding="utf-8")
    policy_copy.path(".drafts").mkdir()
    policy_copy.path(".drafts/queues.toml").write_text("not read", encoding="utf-8")
    assert load_policy_set(policy_copy.directory).unclaimed == ("polcy_areas.toml",)


def test_it_reports_every_problem_not_only_the_first(policy_copy):
    policy_copy.replace(
        "report_reasons.toml",
        'priority = "urgent"\n\n[[reasons]]\nid = "terrorism"',
        'priority = "soon"\n\n[[reasons]]\nid = "terrorism"',
    )
    policy_copy.replace("slas.toml", "urgent = 1,", "urgent = 0,")
    problems = policy_copy.problems()
    assert [(p.path, p.field) for p in problems] == [
        ("policies/report_reasons.toml", "priority"),
        ("policies/slas.toml", "hours.urgent"),
    ]


def test_it_does_not_cascade_from_a_broken_area_into_the_kinds_that_refer_to_it(policy_copy):
    policy_copy.replace(
        "policy_areas.toml",
        'severity = "critical"\nclause_prefix = "CSA"',
        'severity = "dire"\nclause_prefix = "CSA"',
    )
    problem = policy_copy.only_problem()
    assert problem.path == "policies/policy_areas.toml"
    assert "unknown severity 'dire'" in problem.reason


def _load_ratings(context: LoadContext):
    areas = context.loaded[POLICY_AREAS]

    def build(document, table, keypath):
        reader = TableReader(document, table, keypath, required=("id", "area"))
        return _Scheme(id=reader.identifier("id"), area=reader.reference("area", areas, what="policy area"))

    return read_entries(context, "schemes", build, what="rating scheme")


class _Scheme:
    def __init__(self, *, id: str, area: str) -> None:
        self.id = id
        self.area = area


def test_it_loads_a_kind_registered_by_another_app(policy_copy, monkeypatch):
    monkeypatch.setattr(loader, "_KINDS", dict(loader._KINDS))
    register_policy_kind(
        "signal_thresholds", _load_ratings, patterns=["signal_thresholds/*.toml"], requires=[POLICY_AREAS]
    )
    (policy_copy.directory / "signal_thresholds").mkdir()
    policy_copy.path("signal_thresholds/eirin.toml").write_text(
        '[[schemes]]\nid = "eirin"\narea = "maturity_rating"\n', encoding="utf-8"
    )
    policies = load_policy_set(policy_copy.directory)
    assert policies.kind("signal_thresholds")["eirin"].area == "maturity_rating"
    assert "signal_thresholds/eirin.toml" in {f.name for f in policies.files}

    policy_copy.path("signal_thresholds/eirin.toml").write_text(
        '[[schemes]]\nid = "eirin"\narea = "ratings"\n', encoding="utf-8"
    )
    problem = policy_copy.only_problem()
    assert str(problem) == "policies/signal_thresholds/eirin.toml:3 [area]: unknown policy area 'ratings'"


def test_it_refuses_a_duplicate_kind_or_one_that_requires_an_unknown_kind(monkeypatch):
    monkeypatch.setattr(loader, "_KINDS", dict(loader._KINDS))
    with pytest.raises(ValueError, match="already registered"):
        register_policy_kind(CLAUSES, _load_ratings, patterns=["x/*.toml"])
    with pytest.raises(ValueError, match="requires kinds registered before it: descriptors"):
        register_policy_kind("rating_schemes", _load_ratings, patterns=["r/*.toml"], requires=["descriptors"])
    assert [k.name for k in registered_kinds()] == [k.name for k in loader._KINDS.values()]
    assert "rating_schemes" not in loader._KINDS


def test_it_rejects_a_file_claimed_by_two_kinds(policy_copy, monkeypatch):
    monkeypatch.setattr(loader, "_KINDS", dict(loader._KINDS))
    register_policy_kind(
        "greedy", _load_ratings, patterns=["*.toml"], requires=[POLICY_AREAS], required=False
    )
    problems = policy_copy.problems()
    assert "policies/queues.toml: read by both the queues and greedy kinds" in [str(p) for p in problems]


def test_it_reads_text_kinds_with_a_hash_of_their_text(tmp_path):
    shutil.copytree(SHIPPED_POLICIES, tmp_path / "policies")
    (tmp_path / "policies" / "notes").mkdir()
    (tmp_path / "policies" / "notes" / "a.txt").write_text("一行目\r\n", encoding="utf-8")

    def load_lines(context: LoadContext):
        return tuple(line for document in context.documents for line in document.text.splitlines())

    text_kind = loader.PolicyKind(name="notes", patterns=("notes/*.txt",), load=load_lines, parse="text")
    policies = load_policy_set(tmp_path / "policies", kinds=[*registered_kinds(), text_kind])
    assert policies.kind("notes") == ("一行目",)


def test_it_loads_in_a_process_without_django():
    code = (
        "import sys\n"
        "from shinsa.policy.loader import load_policy_set\n"
        "import shinsa.accounts.skills, shinsa.accounts.wellness\n"
        "print(load_policy_set(sys.argv[1]).version)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(SHIPPED_POLICIES)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    version, django_modules = result.stdout.splitlines()
    # Without Django no app has registered its kinds: compare with the built-in kinds alone.
    assert version == load_policy_set(SHIPPED_POLICIES, kinds=BUILTIN_KINDS).version
    assert django_modules == "[]"
