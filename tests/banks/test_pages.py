"""The bank pages as policy owners use them: create, add, confirm (four-eyes), import, export."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinsa.audit.models import AuditEvent
from shinsa.banks.matching import bank_hits
from shinsa.banks.models import Bank, BankEntry

PDQ = "0123456789abcdef" * 4


def client_for(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_a_policy_owner_creates_a_bank_adds_an_entry_and_a_second_one_confirms_it(owners):
    pia, paul = client_for(owners.pia), client_for(owners.paul)
    response = pia.post(
        "/banks/new",
        {
            "name": "known",
            "kind": "pdq",
            "policy_area": "violence",
            "severity": "high",
            "threshold": "31",
            "video_min_percent": "80",
            "action": "enqueue",
        },
    )
    bank = Bank.objects.get(name="known")
    assert response.status_code == 302 and response["Location"] == f"/banks/{bank.pk}/"

    response = pia.post(f"/banks/{bank.pk}/entries", {"value": PDQ, "label": "case 9"}, follow=True)
    assert "until another person confirms it" in response.content.decode()
    entry = BankEntry.objects.get()
    page = pia.get(f"/banks/{bank.pk}/").content.decode()
    assert f"/banks/entries/{entry.pk}/confirm" not in page  # no confirm button for the one who added it
    assert f"/banks/entries/{entry.pk}/confirm" in paul.get(f"/banks/{bank.pk}/").content.decode()

    response = pia.post(f"/banks/entries/{entry.pk}/confirm", follow=True)
    assert "Another person must confirm" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "pending"
    paul.post(f"/banks/entries/{entry.pk}/confirm")
    entry.refresh_from_db()
    assert (entry.status, entry.confirmed_by) == ("active", owners.paul)

    assert bank_hits({"kind": "image", "pdq": PDQ, "quality": 100, "md5": "0" * 32})
    listing = pia.get("/banks/").content.decode()
    assert "known" in listing and "ready" in listing  # the index of this process is built and current


def test_import_and_export_through_the_pages(owners):
    pia = client_for(owners.pia)
    pia.post(
        "/banks/new",
        {
            "name": "files",
            "kind": "md5",
            "policy_area": "violence",
            "severity": "low",
            "threshold": "0",
            "video_min_percent": "80",
            "action": "enqueue",
        },
    )
    bank = Bank.objects.get()
    bad = SimpleUploadedFile("bad.csv", b"value,label\nnot-a-hash,x\n", content_type="text/csv")
    page = pia.post(f"/banks/{bank.pk}/import", {"file": bad}, follow=True).content.decode()
    assert "row 2: the value is not a valid hash" in page and "Nothing was imported." in page
    assert not BankEntry.objects.exists()

    good = SimpleUploadedFile("good.csv", b"value,label\n" + b"d41d8cd98f00b204e9800998ecf8427e,empty\n")
    page = pia.post(f"/banks/{bank.pk}/import", {"file": good}, follow=True).content.decode()
    assert "1 entry imported, pending confirmation" in page
    response = pia.get(f"/banks/{bank.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[1].startswith("d41d8cd98f00b204e9800998ecf8427e,empty,,pending,pia,,")
    assert AuditEvent.objects.filter(verb="banks.bank.exported").count() == 1


def test_the_pages_speak_japanese(owners):
    page = client_for(owners.pia, "ja").get("/banks/").content.decode()
    assert "ハッシュバンク" in page and "新しいバンク" in page
