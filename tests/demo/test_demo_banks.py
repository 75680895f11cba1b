"""The demo's hash banks: one confirmed entry that a demo video matches, one waiting for confirmation."""

from __future__ import annotations

from shinsa.banks.matching import bank_hits, forget_matcher
from shinsa.banks.models import Bank, BankEntry
from shinsa.demo.actions import do_load_demo_people
from shinsa.demo.banks import FILE_BANK, IMAGE_BANK, do_load_demo_banks
from shinsa.screening.hashing.digests import file_digests


def test_it_loads_the_demo_banks_once(db, tmp_path):
    people = {a.person.username: a.user for a in do_load_demo_people()}
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not really a video, but bytes with an md5")
    do_load_demo_banks(owner=people["daniel"], confirmer=people["admin"], known_video=video)
    do_load_demo_banks(owner=people["daniel"], confirmer=people["admin"], known_video=video)

    assert sorted(Bank.objects.values_list("name", flat=True)) == [FILE_BANK, IMAGE_BANK]
    assert dict(BankEntry.objects.values_list("bank__name", "status")) == {
        FILE_BANK: "active",
        IMAGE_BANK: "pending",
    }
    forget_matcher()
    md5 = file_digests(video).md5
    (hit,) = bank_hits({"kind": "video", "md5": md5, "frames": []})
    assert (hit.signal, hit.detail["bank"]) == ("md5", FILE_BANK)
    forget_matcher()
