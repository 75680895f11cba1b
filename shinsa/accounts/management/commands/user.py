"""``shinsa user``: create accounts, grant and revoke roles, list accounts with their skills."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from shinsa.accounts import actions
from shinsa.accounts.errors import AccountError
from shinsa.accounts.models import User
from shinsa.accounts.queries import skill_profile_for, users_with_profiles
from shinsa.accounts.roles import Role
from shinsa.commands import ShinsaCommand

ROLE_NAMES = ", ".join(role.value for role in Role)


def cli_actor() -> str:
    """Audit label for changes made from the command line: who ran it, as far as the OS says."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        return "cli"


class Command(ShinsaCommand):
    help = (
        "Create accounts, grant and revoke roles, list accounts.\n\n"
        "  shinsa user create USERNAME --role reviewer [--role ...] [--password-env VAR]\n"
        "  shinsa user grant USERNAME ROLE\n"
        "  shinsa user revoke USERNAME ROLE\n"
        "  shinsa user list\n\n"
        f"Roles: {ROLE_NAMES}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{create,grant,revoke,list}"
        )
        create = subcommands.add_parser("create", help="create an account")
        create.add_argument("username")
        create.add_argument(
            "--role", action="append", default=[], help=f"a role to grant (repeatable): {ROLE_NAMES}"
        )
        create.add_argument(
            "--password-env",
            metavar="VAR",
            help="read the password from this environment variable (without it the account cannot sign in)",
        )
        create.add_argument("--display-name", default="")
        create.add_argument("--email", default="")
        create.add_argument("--language", default="en", help="preferred language: en or ja")
        create.add_argument("--staff", action="store_true", help="may open the Django admin site")
        for name, text in (("grant", "grant a role"), ("revoke", "revoke a role")):
            change = subcommands.add_parser(name, help=text)
            change.add_argument("username")
            change.add_argument("role", help=ROLE_NAMES)
            change.add_argument("--reason", default="", help="why, for the audit log")
        subcommands.add_parser("list", help="list accounts with roles and skills")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        try:
            if subcommand == "create":
                self._create(options)
            elif subcommand in ("grant", "revoke"):
                user = _user(options["username"])
                if subcommand == "grant":
                    change, done = actions.do_grant_role, _("Granted %(role)s to %(user)s.")
                else:
                    change, done = actions.do_revoke_role, _("Revoked %(role)s from %(user)s.")
                change(actor=cli_actor(), user=user, role=options["role"], reason=options["reason"])
                self.stdout.write(done % {"role": options["role"], "user": user.username})
            else:
                self._list()
        except AccountError as error:
            raise CommandError("\n".join(error.messages)) from None

    def _create(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(
                    _("The environment variable %(var)s is not set or empty.")
                    % {"var": options["password_env"]}
                )
        if options["language"] not in {"en", "ja"}:
            raise CommandError(_("The preferred language must be en or ja, not “%(language)s”.") % options)
        user = actions.do_create_user(
            actor=cli_actor(),
            username=options["username"],
            roles=options["role"],
            password=password,
            display_name=options["display_name"],
            email=options["email"],
            preferred_language=options["language"],
            is_staff=options["staff"],
        )
        roles = ", ".join(sorted(set(options["role"]))) or _("no role")
        self.stdout.write(_("Created %(user)s (%(roles)s).") % {"user": user.username, "roles": roles})
        if password is None:
            self.stdout.write(_("It has no password, so it cannot sign in until one is set."))

    def _list(self) -> None:
        rows = [("USERNAME", "ACTIVE", "ROLES", "LANGUAGES", "POLICY AREAS", "CLEARANCE", "TERRITORIES")]
        for user in users_with_profiles():
            profile = skill_profile_for(user)
            rows.append(
                (
                    user.username,
                    "yes" if user.is_active else "no",
                    ",".join(g.role for g in user.role_grants.all()) or "-",
                    ",".join(f"{language}:{level}" for language, level in profile.languages) or "-",
                    ",".join(sorted(profile.policy_areas)) or "-",
                    ",".join(f"{category}:{level}" for category, level in profile.clearances) or "-",
                    ",".join(sorted(profile.territories)) or "-",
                )
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(_("There is no account named “%(username)s”.") % {"username": username}) from None
