from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa.accounts.models import User
from shinsa.api.actions import TokenError, do_create_api_token, do_revoke_api_token
from shinsa.api.models import ApiToken
from shinsa.commands import ShinsaCommand


class Command(ShinsaCommand):
    help = (
        "Create, list or revoke personal API tokens.\n\n"
        "`shinsa token create USERNAME --name NAME [--days N] [--scope read --scope review ...]` prints "
        "the token once; only its hash is kept. "
        "`shinsa token list USERNAME`; `shinsa token revoke PREFIX`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for, e.g. ci-export")
        create.add_argument("--days", type=int, help="expire after this many days (default: never)")
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            help="read, review, ingest or admin; repeat for several (default: read)",
        )
        listing = verbs.add_parser("list", help="list a user's tokens (never the secrets)")
        listing.add_argument("username")
        revoke = verbs.add_parser("revoke", help="revoke a token by its prefix (the part after shn_)")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "create":
            self._create(options["username"], options["name"], options["days"], options["scopes"] or ["read"])
        elif verb == "list":
            for token in ApiToken.objects.filter(user=_user(options["username"])).order_by("created_at"):
                state = "revoked" if token.revoked_at else ("expired" if not token.is_usable() else "active")
                used = token.last_used_at.isoformat() if token.last_used_at else "-"
                scopes = ",".join(token.scopes) or "-"
                self.stdout.write(
                    f"shn_{token.prefix}_…  {token.name}  {state}  scopes {scopes}  last used {used}"
                )
        else:
            token = ApiToken.objects.filter(
                prefix=options["prefix"].removeprefix("shn_").split("_")[0]
            ).first()
            if token is None:
                raise CommandError(_("no token with that prefix"))
            do_revoke_api_token(actor="system", token=token)
            self.stdout.write(_("revoked shn_%(prefix)s_…") % {"prefix": token.prefix})

    def _create(self, username: str, name: str, days: int | None, scopes: list[str]) -> None:
        if days is not None and not 1 <= days <= 3650:
            raise CommandError(_("--days must be between 1 and 3650"))
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            _token, plaintext = do_create_api_token(
                actor="system", user=_user(username), name=name, expires_at=expires_at, scopes=scopes
            )
        except TokenError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(plaintext)


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("no user named %(username)s") % {"username": username})
    return user
