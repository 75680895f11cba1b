"""State changes made from the web console that belong to no other app yet."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.models import User


def supported_language(code: str) -> bool:
    return code in dict(settings.LANGUAGES)


@transaction.atomic
def do_set_preferred_language(*, actor: User, language: str) -> bool:
    """Store the language the actor wants the console in. Returns False when it was already set."""
    if not supported_language(language):
        raise ValidationError(_("Unsupported language: %(code)s") % {"code": language})
    # Lock the row so two tabs switching at once write two honest audit rows, not a lost update.
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = user.preferred_language
    if before == language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    actor.preferred_language = language
    audit.record(
        actor=actor,
        verb="user.set_preferred_language",
        obj=user,
        before={"preferred_language": before},
        after={"preferred_language": language},
    )
    return True
