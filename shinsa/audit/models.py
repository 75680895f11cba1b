from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from shinsa.audit.chain import EventFields


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row through the ORM."""


def _refuse(model: type[models.Model], what: str) -> NoReturn:
    raise AppendOnlyError(f"{model._meta.label} rows are append-only: {what} is refused")


class AppendOnlyQuerySet(models.QuerySet):
    """Reads and inserts only. PostgreSQL enforces the same with a trigger (migration 0003)."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "update()")

    def delete(self) -> NoReturn:
        _refuse(self.model, "delete()")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse(self.model, "bulk_update()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(self.model, "update_or_create()")

    def _raw_delete(self, using: str) -> NoReturn:
        _refuse(self.model, "delete()")

    def _update(self, values: Any, returning_fields: Any = None) -> Any:
        # Model.save() first tries an UPDATE of the row's pk. Let that find nothing for a new row
        # (loaddata restoring a dump), so the INSERT follows; refuse it for a row that exists.
        if self.exists():
            _refuse(self.model, "update")
        return 0 if returning_fields is None else []


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A guard, not a side effect: a row is written once, when it is created.
        if not self._state.adding:
            _refuse(type(self), "save() of an existing row")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse(type(self), "delete()")


class AuditEvent(AppendOnlyModel):
    """One action, written in the same transaction as the change it records. Append-only."""

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)  # "system", "worker", or the username at the time
    verb = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        base_manager_name = "objects"  # Model.save() and related lookups go through the guard too
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M:%S}"
        return f"{when} {self.actor_label} {self.verb} {self.object_type}:{self.object_id}"

    def chain_fields(self) -> EventFields:
        return EventFields(
            event_id=self.pk,
            occurred_at=self.occurred_at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            verb=self.verb,
            object_type=self.object_type,
            object_id=self.object_id,
            before=self.before,
            after=self.after,
            reason=self.reason,
            request_id=self.request_id,
        )


class AuditSeal(AppendOnlyModel):
    """Links one committed event into the hash chain. Written by the sealer only, after commit, so
    writers never contend for the chain head; chain order is seal order."""

    position = models.BigIntegerField(unique=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(db_index=True)

    class Meta:
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(condition=models.Q(position__gte=1), name="audit_seal_position_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.hash[:12]}"
