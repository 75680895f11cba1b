"""Personal API tokens: hashed at rest, refused when revoked or expired, managed by `shinsa token`."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shinsa.api.actions import TokenError, do_create_api_token, do_revoke_api_token
from shinsa.api.models import ApiToken
from shinsa.api.tokens import split_token
from shinsa.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_stores_only_a_hash_of_the_secret(cast):
    token, plaintext = do_create_api_token(actor=cast.ada, user=cast.rin, name="laptop")
    prefix, secret = split_token(plaintext)
    assert plaintext.startswith("shn_") and token.prefix == prefix
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(
        [list(ApiToken.objects.values()), list(AuditEvent.objects.values("before", "after", "reason"))],
        default=str,
    )
    assert secret not in stored and plaintext not in stored
    assert AuditEvent.objects.get(verb="api.token.created").after["prefix"] == prefix


def test_it_refuses_tokens_for_people_without_api_access_and_duplicate_names(cast):
    with pytest.raises(TokenError):
        do_create_api_token(actor="system", user=cast.olive, name="x")
    do_create_api_token(actor="system", user=cast.rin, name="x")
    with pytest.raises(TokenError):
        do_create_api_token(actor="system", user=cast.rin, name="x")


def test_a_revoked_expired_or_wrong_token_is_refused(client, cast):
    good, plaintext = do_create_api_token(actor="system", user=cast.rin, name="good")
    assert client.get("/api/v1/titles", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 200
    prefix, secret = split_token(plaintext)
    wrong = f"shn_{prefix}_{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}"
    expired, expired_plaintext = do_create_api_token(
        actor="system", user=cast.rin, name="short", expires_at=timezone.now() + timedelta(seconds=5)
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(days=1)
    )
    do_revoke_api_token(actor="system", token=good)
    for presented in (plaintext, wrong, expired_plaintext, "shn_nothing", "not-a-token"):
        response = client.get("/api/v1/titles", headers={"Authorization": f"Bearer {presented}"})
        assert response.status_code == 401, presented
        assert response.json()["error"]["code"] == "unauthenticated"


def test_it_notes_when_a_token_was_last_used(client, cast):
    token, plaintext = do_create_api_token(actor="system", user=cast.rin, name="t")
    assert token.last_used_at is None
    client.get("/api/v1/titles", headers={"Authorization": f"Bearer {plaintext}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoking_twice_audits_once(cast):
    token, _ = do_create_api_token(actor="system", user=cast.rin, name="t")
    do_revoke_api_token(actor=cast.ada, token=token)
    do_revoke_api_token(actor=cast.ada, token=token)
    assert AuditEvent.objects.filter(verb="api.token.revoked").count() == 1


def test_the_command_creates_lists_and_revokes(cast):
    out = StringIO()
    call_command("token", "create", "rin", "--name", "ci", "--days", "30", stdout=out)
    plaintext = out.getvalue().strip()
    prefix, _ = split_token(plaintext)
    token = ApiToken.objects.get(prefix=prefix)
    assert token.expires_at is not None and token.user == cast.rin
    listing = StringIO()
    call_command("token", "list", "rin", stdout=listing)
    assert (
        f"shn_{prefix}_…  ci  active  scopes read" in listing.getvalue()
        and plaintext not in listing.getvalue()
    )
    call_command("token", "revoke", f"shn_{prefix}", stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="may not use the API"):
        call_command("token", "create", "olive", "--name", "x")
    with pytest.raises(CommandError, match="no user named"):
        call_command("token", "create", "nobody", "--name", "x")


def test_scopes_are_chosen_at_creation_and_checked(client, cast):
    out = StringIO()
    call_command(
        "token", "create", "mei", "--name", "ingest", "--scope", "read", "--scope", "ingest", stdout=out
    )
    token = ApiToken.objects.get(prefix=split_token(out.getvalue().strip())[0])
    assert token.scopes == ["ingest", "read"]
    assert AuditEvent.objects.filter(verb="api.token.created").last().after["scopes"] == ["ingest", "read"]
    with pytest.raises(CommandError, match="unknown scope everything"):
        call_command("token", "create", "mei", "--name", "x", "--scope", "everything")
    with pytest.raises(TokenError, match="at least one scope"):
        do_create_api_token(actor="system", user=cast.mei, name="none", scopes=())
    # A scope never widens the owner's roles: rin's admin-scoped token still may not ingest.
    _token, plaintext = do_create_api_token(
        actor="system", user=cast.rin, name="wide", scopes=("admin", "ingest")
    )
    refused = client.post("/api/v1/manifests", {}, headers={"Authorization": f"Bearer {plaintext}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


@pytest.mark.db_sensitive
def test_an_active_token_name_is_unique_per_user_in_the_database(cast):
    from django.db import IntegrityError, transaction

    ApiToken.objects.create(user=cast.rin, name="x", prefix="a" * 12, secret_hash="b" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=cast.rin, name="x", prefix="c" * 12, secret_hash="d" * 64)
    ApiToken.objects.filter(prefix="a" * 12).update(revoked_at=timezone.now())
    ApiToken.objects.create(user=cast.rin, name="x", prefix="e" * 12, secret_hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=cast.rin, name="y", prefix="g" * 12, secret_hash="not a hash")


def test_every_permission_belongs_to_a_scope():
    from shinsa.accounts.roles import Perm
    from shinsa.api.scopes import WRITE_SCOPE

    assert set(WRITE_SCOPE) == set(Perm), "give a new permission its scope in shinsa.api.scopes"
