"""Bank changes through the real actions: four-eyes, audit, CSV import and export through the CLI."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from shinsa.accounts.errors import MissingPermission
from shinsa.audit.models import AuditEvent
from shinsa.banks.actions import (
    BankError,
    do_add_bank_entry,
    do_confirm_bank_entry,
    do_create_bank,
    do_remove_bank_entry,
    do_update_bank,
)
from shinsa.banks.matching import bank_hits, current_matcher, index_status
from shinsa.banks.models import Bank, BankEntry

PDQ_A = "f" * 16 + "0" * 48
PDQ_B = "0123456789abcdef" * 4


def make_bank(actor, name="known-violence", **settings) -> Bank:
    return do_create_bank(
        actor=actor,
        name=name,
        kind=settings.pop("kind", "pdq"),
        policy_area="violence",
        severity="high",
        **settings,
    )


def test_it_keeps_an_entry_pending_until_another_person_confirms_it(owners):
    bank = make_bank(owners.pia)
    entry = do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ_A.upper(), label="case 17")
    assert (entry.status, entry.value) == ("pending", PDQ_A)
    query = {"kind": "image", "pdq": PDQ_A, "quality": 100, "md5": "0" * 32}
    assert bank_hits(query) == []  # pending entries match nothing

    with pytest.raises(BankError, match="Another person"):
        do_confirm_bank_entry(actor=owners.pia, entry=entry)
    entry.refresh_from_db()
    assert entry.status == "pending"

    do_confirm_bank_entry(actor=owners.paul, entry=entry)
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by) == ("active", owners.paul)
    (hit,) = bank_hits(query)
    assert (hit.signal, hit.policy_area, hit.severity, hit.score) == ("pdq", "violence", "high", 1.0)
    assert hit.detail["bank"] == "known-violence" and hit.detail["entry_id"] == entry.pk
    assert hit.detail["action"] == "enqueue" and hit.detail["variant"] == "original"

    with pytest.raises(BankError, match="pending"):
        do_confirm_bank_entry(actor=owners.paul, entry=entry)
    verbs = list(AuditEvent.objects.filter(verb__startswith="banks.").values_list("verb", flat=True))
    assert verbs == ["banks.bank.created", "banks.entry.added", "banks.entry.confirmed"]


@pytest.mark.db_sensitive
def test_the_database_refuses_a_confirmation_by_the_same_person(owners):
    entry = do_add_bank_entry(actor=owners.pia, bank=make_bank(owners.pia), value=PDQ_A)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankEntry.objects.filter(pk=entry.pk).update(status="active", confirmed_by=owners.pia)


def test_only_people_who_manage_banks_may_change_them(owners, cast):
    with pytest.raises(MissingPermission):
        make_bank(cast.rin)
    bank = make_bank(owners.pia)
    entry = do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ_A)
    with pytest.raises(MissingPermission):
        do_confirm_bank_entry(actor=cast.sora, entry=entry)
    do_confirm_bank_entry(actor=cast.ada, entry=entry)  # admin holds every permission


def test_it_refuses_bad_values_duplicates_formulas_and_bad_settings(owners):
    bank = make_bank(owners.pia)
    with pytest.raises(BankError, match="not a valid hash"):
        do_add_bank_entry(actor=owners.pia, bank=bank, value="xyz")
    with pytest.raises(BankError, match="start with"):
        do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ_A, label="=HYPERLINK(1)")
    do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ_A)
    with pytest.raises(BankError, match="in the bank already"):
        do_add_bank_entry(actor=owners.paul, bank=bank, value=PDQ_A.upper())
    with pytest.raises(BankError, match="policy area"):
        do_create_bank(actor=owners.pia, name="other", kind="pdq", policy_area="nope", severity="high")
    with pytest.raises(BankError, match="negative"):
        make_bank(owners.pia, name="both", illegal=True, negative=True)
    illegal = make_bank(owners.pia, name="csam-hashes", illegal=True)
    assert illegal.action == "quarantine"  # an illegal bank always quarantines
    assert BankEntry.objects.count() == 1


def test_a_removed_entry_and_a_disabled_bank_stop_matching_and_the_index_shows_staleness(owners):
    bank = make_bank(owners.pia, illegal=True)
    entry = do_confirm_bank_entry(
        actor=owners.paul, entry=do_add_bank_entry(actor=owners.pia, bank=bank, value=PDQ_A)
    )
    query = {"kind": "image", "pdq": PDQ_A, "quality": 100, "md5": "0" * 32}
    assert index_status().ready is False
    (hit,) = bank_hits(query)
    assert hit.detail["action"] == "quarantine"
    for _again in range(3):  # refreshes within the overlap do not re-add the same entry
        assert len(bank_hits(query)) == 1
    assert current_matcher().index_stats["pdq"]["tombstones"] == 0
    status = index_status()
    assert (status.ready, status.indexed, status.stale) == (True, 1, 0)

    do_update_bank(actor=owners.paul, bank=bank, enabled=False)
    assert index_status().stale == 1  # the in-memory index has not seen the change yet
    assert bank_hits(query) == []
    assert index_status().stale == 0
    do_update_bank(actor=owners.paul, bank=bank, enabled=True)
    assert len(bank_hits(query)) == 1
    do_remove_bank_entry(actor=owners.paul, entry=entry, reason="false positive")
    assert bank_hits(query) == [] and len(current_matcher()) == 0


def test_negative_banks_suppress_and_md5_banks_match_exactly(owners):
    md5 = make_bank(owners.pia, name="files", kind="md5")
    benign = make_bank(owners.pia, name="benign", negative=True)
    known = make_bank(owners.pia, name="known")
    for bank, value in ((md5, "d41d8cd98f00b204e9800998ecf8427e"), (known, PDQ_B)):
        do_confirm_bank_entry(
            actor=owners.paul, entry=do_add_bank_entry(actor=owners.pia, bank=bank, value=value)
        )
    query = {"kind": "image", "pdq": PDQ_B, "quality": 100, "md5": "d41d8cd98f00b204e9800998ecf8427e"}
    assert sorted(hit.signal for hit in bank_hits(query)) == ["md5", "pdq"]
    do_confirm_bank_entry(
        actor=owners.paul, entry=do_add_bank_entry(actor=owners.pia, bank=benign, value=PDQ_B)
    )
    assert [hit.signal for hit in bank_hits(query)] == ["md5"]


# -- the CLI: import, export, list, confirm -------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("banks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def create_known_bank() -> None:
    run(
        "create",
        "known",
        "--kind",
        "pdq",
        "--policy-area",
        "violence",
        "--severity",
        "high",
        "--actor",
        "pia",
    )


def test_csv_round_trip_through_the_cli(owners, tmp_path):
    create_known_bank()
    codes = np.random.default_rng(1).integers(0, 256, (50, 32), dtype=np.uint8)
    source = tmp_path / "in.csv"
    lines = ["value,label,source_ref"] + [
        f"{c.tobytes().hex().upper()},item {i},ref-{i}" for i, c in enumerate(codes)
    ]
    source.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    out, _err = run("import", "known", str(source), "--actor", "pia")
    assert "50 entries added" in out
    assert set(BankEntry.objects.values_list("status", flat=True)) == {"pending"}
    out, _err = run("import", "known", str(source), "--actor", "pia")
    assert "0 entries added" in out and "50 already" in out

    with pytest.raises(CommandError, match="name the entries"):
        run("confirm", "known", "--actor", "paul")
    assert "0 entries confirmed" in run("confirm", "known", "--all", "--actor", "pia")[0]  # four-eyes
    assert "50 entries confirmed" in run("confirm", "known", "--all", "--actor", "paul")[0]

    listing = json.loads(run("list", "--json")[0])
    assert [(b["name"], b["active"], b["pending"], b["kind"]) for b in listing["banks"]] == [
        ("known", 50, 0, "pdq")
    ]

    exported = tmp_path / "out.csv"
    run("export", "known", "--out", str(exported))
    text = exported.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "value,label,source_ref,status,added_by,confirmed_by,added_at"
    # The export imports into another bank as the same entries.
    run(
        "create", "copy", "--kind", "pdq", "--policy-area", "violence", "--severity", "low", "--actor", "paul"
    )
    run("import", "copy", str(exported), "--actor", "paul")
    copied = Bank.objects.get(name="copy").entries.values_list("value", "label", "source_ref")
    original = Bank.objects.get(name="known").entries.values_list("value", "label", "source_ref")
    assert sorted(copied) == sorted(original) and len(copied) == 50
    assert AuditEvent.objects.filter(verb="banks.bank.exported").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("value,label\n".encode("utf-16"), "not UTF-8"),
        (("value,label\n" + "ab" * 32 + ",ラベル\n").encode("cp932"), "not UTF-8"),
        (
            b"value,label\n" + b"ab" * 32 + b",=cmd|' /C calc'!A0\n",
            "row 2: the label cell starts like a spreadsheet formula",
        ),
        (b"value,label\n" + b"ab" * 32 + b",fine\nnot-hex,bad\n", "row 3: the value is not a valid hash"),
        (
            b"value,label\n" + b"ab" * 32 + b",x\n" + b"AB" * 32 + b",y\n",
            "row 3: the same value appears earlier",
        ),
        (b"hash,label\n" + b"ab" * 32 + b",x\n", "unknown column"),
        (b"value\n", "header but no rows"),
        (b"", "the file is empty"),
        (b"value\n\x00\x01\x02", "not readable as CSV"),
        (b'value,label\n"abc\n', "not readable as CSV"),
    ],
)
def test_hostile_csv_is_refused_in_one_line_per_problem_and_nothing_is_stored(
    owners, tmp_path, content, message
):
    create_known_bank()
    path = tmp_path / "hostile.csv"
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "banks", "import", "known", str(path), "--actor", "pia", stdout=io.StringIO(), stderr=err
        )
    assert message in err.getvalue()
    assert all(line.startswith("hostile.csv: ") for line in err.getvalue().splitlines())
    assert BankEntry.objects.count() == 0


def test_the_cli_names_an_unknown_bank_and_an_actor_without_the_permission(owners, cast):
    with pytest.raises(CommandError, match="no bank named nope"):
        run("export", "nope", "--out", "x.csv")
    with pytest.raises(CommandError, match="rin may not manage hash banks"):
        run(
            "create",
            "b",
            "--kind",
            "md5",
            "--policy-area",
            "violence",
            "--severity",
            "high",
            "--actor",
            "rin",
        )
