"""Every change to review work. Each runs in a transaction and is audited in it.

``actor`` is the signed-in User, or a non-empty string naming trusted server-side code ("system",
"screening", "worker"). Invalid input raises ``ReviewError`` (one sentence per problem) and stores
nothing; a missing permission raises ``MissingPermission``.
"""

from shinsa.review.actions.actors import Actor, max_escalation_tier
from shinsa.review.actions.claiming import (
    LEASE,
    _needs,
    do_claim_next_item,
    do_expire_leases,
    do_hand_on_item,
    do_heartbeat_claim,
    do_hold_item_for,
    do_keep_item_from,
    do_reassign_item,
    do_record_exposure,
    do_record_item_view,
    do_release_item,
    do_skip_item,
    exposure_budget_spent,
    routing_for,
)
from shinsa.review.actions.decisions import (
    ESCALATION_SLA,
    do_confirm_decision,
    do_decide,
    do_decide_appeal,
    do_intake_legal_order,
    do_open_appeal,
    do_reject_decision,
)
from shinsa.review.actions.items import IncomingReport, IncomingSignal, do_sync_queues, do_upsert_item

__all__ = [
    "ESCALATION_SLA",
    "LEASE",
    "Actor",
    "IncomingReport",
    "IncomingSignal",
    "_needs",
    "do_claim_next_item",
    "do_confirm_decision",
    "do_decide",
    "do_decide_appeal",
    "do_expire_leases",
    "do_hand_on_item",
    "do_heartbeat_claim",
    "do_hold_item_for",
    "do_intake_legal_order",
    "do_keep_item_from",
    "do_open_appeal",
    "do_reassign_item",
    "do_record_exposure",
    "do_record_item_view",
    "do_reject_decision",
    "do_release_item",
    "do_skip_item",
    "do_sync_queues",
    "do_upsert_item",
    "exposure_budget_spent",
    "max_escalation_tier",
    "routing_for",
]
