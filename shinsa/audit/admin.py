from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shinsa.audit.models import AuditEvent, AuditSeal


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit rows can be looked at, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "occurred_at", "actor_label", "verb", "object_type", "object_id", "request_id")
    search_fields = ("verb", "object_type", "object_id", "actor_label", "request_id")
    show_full_result_count = False  # a COUNT(*) over the whole log on every page is wasted work


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdmin):
    list_display = ("position", "event_id", "hash", "sealed_at")
    search_fields = ("hash",)
    show_full_result_count = False
