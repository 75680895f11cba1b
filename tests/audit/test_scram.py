from __future__ import annotations

import base64

import pytest
from django.db import connection

from shinsa.audit.scram import scram_sha256_verifier
from tests.audit.writes import postgres_only


def test_it_formats_a_verifier_the_way_postgresql_stores_it():
    verifier = scram_sha256_verifier("pencil", salt=b"0123456789abcdef")
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    iterations_salt, keys = rest.split("$")
    assert iterations_salt == f"4096:{base64.b64encode(b'0123456789abcdef').decode()}"
    stored_key, server_key = keys.split(":")
    assert len(base64.b64decode(stored_key)) == len(base64.b64decode(server_key)) == 32


def test_it_salts_each_verifier_freshly():
    assert scram_sha256_verifier("pencil") != scram_sha256_verifier("pencil")


@pytest.mark.parametrize("password", ["", "パスワード"])
def test_it_refuses_empty_and_non_ascii_passwords(password):
    with pytest.raises(ValueError, match="ASCII"):
        scram_sha256_verifier(password)


@postgres_only
@pytest.mark.db_sensitive
def test_it_matches_the_verifier_postgresql_computes(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL password_encryption = 'scram-sha-256'")
        cursor.execute("CREATE ROLE shinsa_scram_probe PASSWORD 'pencil-42'")
        cursor.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'shinsa_scram_probe'")
        stored = cursor.fetchone()[0]
    iterations, salt = stored.split("$")[1].split(":")
    assert (
        scram_sha256_verifier("pencil-42", salt=base64.b64decode(salt), iterations=int(iterations)) == stored
    )
