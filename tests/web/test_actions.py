import pytest
from django.core.exceptions import ValidationError

from shinsa.accounts.models import User
from shinsa.audit.models import AuditEvent
from shinsa.web.actions import do_set_preferred_language


def test_it_stores_the_language_and_writes_one_audit_event(cast):
    assert do_set_preferred_language(actor=cast.kai, language="ja") is True
    assert User.objects.get(pk=cast.kai.pk).preferred_language == "ja"
    assert cast.kai.preferred_language == "ja"
    event = AuditEvent.objects.get()
    assert event.actor_label == "kai"
    assert event.object_type == "accounts.user"


def test_it_changes_nothing_when_the_language_is_already_set(cast):
    assert do_set_preferred_language(actor=cast.kai, language="en") is False
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_unsupported_language_and_stores_nothing(cast):
    with pytest.raises(ValidationError, match="Unsupported language: xx"):
        do_set_preferred_language(actor=cast.kai, language="xx")
    assert User.objects.get(pk=cast.kai.pk).preferred_language == "en"
    assert not AuditEvent.objects.exists()
