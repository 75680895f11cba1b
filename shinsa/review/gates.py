"""Queue gates: other apps may close queues to a person until they qualify (shinsa.quality's onboarding
sets). A gate is SQL, so the claim statement applies it itself (no extra round trip, never stale), and
``routing_for`` runs the same SQL to take the closed queues out of the routing it returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

# gate(user_id) -> (SQL selecting the ids of the queues closed to that person, its parameters)
QueueGate = Callable[[int], tuple[str, tuple[Any, ...]]]

_GATES: list[QueueGate] = []


def register_queue_gate(gate: QueueGate) -> None:
    """Register ``gate`` once, at app start."""
    if gate not in _GATES:
        _GATES.append(gate)


def closed_queues_sql(user_id: int) -> tuple[str, tuple[Any, ...]] | None:
    """One SELECT of the ids of every queue closed to the person (None: no gate is registered)."""
    if not _GATES:
        return None
    parts = [gate(user_id) for gate in _GATES]
    sql = " UNION ".join(f"SELECT * FROM ({part}) AS gate{n}" for n, (part, _) in enumerate(parts))  # noqa: S608
    return sql, tuple(param for _, params in parts for param in params)


def closed_queues(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "pk", None):
        return frozenset()
    query = closed_queues_sql(user.pk)
    if query is None:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return frozenset(row[0] for row in cursor.fetchall())
