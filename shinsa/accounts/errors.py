"""Typed errors of account actions: each carries sentences fit to show a person, one per problem."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from shinsa.accounts.roles import Perm


class AccountError(Exception):
    """A requested account change is invalid; nothing was stored."""

    def __init__(self, *messages: str) -> None:
        self.messages = tuple(str(message) for message in messages)
        super().__init__("\n".join(self.messages))


class MissingPermission(PermissionDenied):
    """The actor lacks a permission. A PermissionDenied, so a view that lets it through answers 403."""

    def __init__(self, perm: Perm) -> None:
        self.perm = perm
        super().__init__(gettext("You do not have the permission “%(perm)s”.") % {"perm": perm.value})
