"""Queue gates: other apps may close queues to a person until they qualify (shinsa.quality's onboarding
sets). ``routing_for`` takes the closed queues out of the person's routing, so the claim never offers
their items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

QueueGate = Callable[[Any], frozenset[str]]

_GATES: list[QueueGate] = []


def register_queue_gate(gate: QueueGate) -> None:
    """``gate(user)`` returns the ids of the queues closed to ``user``. Registered once, at app start."""
    if gate not in _GATES:
        _GATES.append(gate)


def closed_queues(user: Any) -> frozenset[str]:
    closed: frozenset[str] = frozenset()
    for gate in _GATES:
        closed |= gate(user)
    return closed
