"""Demo hash banks: a file bank whose entry is one demo video (so screening that video finds it), and an
image bank with an entry still waiting for a second person (the four-eyes queue on /banks/)."""

from __future__ import annotations

from pathlib import Path

from shinsa.accounts.models import User
from shinsa.banks.actions import do_add_bank_entry, do_confirm_bank_entry, do_create_bank
from shinsa.banks.models import Bank
from shinsa.screening.hashing.digests import file_digests

FILE_BANK = "demo-known-files"
IMAGE_BANK = "demo-known-images"
PENDING_PDQ = "f8f0e0c0c0e0f0f8" * 4


def do_load_demo_banks(*, owner: User, confirmer: User, known_video: Path | None) -> list[Bank]:
    """Create the demo banks once (a second demo load leaves them as they are)."""
    if Bank.objects.filter(name__in=[FILE_BANK, IMAGE_BANK]).exists():
        return list(Bank.objects.filter(name__in=[FILE_BANK, IMAGE_BANK]))
    files = do_create_bank(
        actor=owner,
        name=FILE_BANK,
        kind="md5",
        policy_area="violence",
        severity="high",
        source="demo: a known violent upload",
    )
    if known_video is not None:
        entry = do_add_bank_entry(
            actor=owner,
            bank=files,
            value=file_digests(known_video).md5,
            label="demo upload",
            source_ref="DEMO-1",
        )
        do_confirm_bank_entry(actor=confirmer, entry=entry)
    images = do_create_bank(
        actor=owner,
        name=IMAGE_BANK,
        kind="pdq",
        policy_area="violence",
        severity="medium",
        source="demo: a shared industry list",
    )
    do_add_bank_entry(actor=owner, bank=images, value=PENDING_PDQ, label="awaiting a second person")
    return [files, images]
