"""Every change to quality work. Each runs in a transaction and is audited in it. Invalid input raises
``QualityError`` (one sentence per problem) and stores nothing; a missing permission raises
``MissingPermission``."""

from shinsa.quality.actions.audits import (
    do_adjudicate_audit,
    do_answer_audit,
    do_claim_audit_item,
    do_classify_audit,
    do_create_audit_plan,
    do_dispute_audit,
    operational_decisions,
)
from shinsa.quality.actions.calibration import (
    do_answer_calibration,
    do_close_calibration,
    do_consensus_to_gold,
    do_consensus_to_guideline,
    do_create_calibration,
    do_open_discussion,
    do_record_consensus,
    do_reveal_calibration,
)
from shinsa.quality.actions.gold import (
    do_answer_onboarding,
    do_create_gold,
    do_create_onboarding_set,
    do_place_gold,
    score_gold_decision,
)

__all__ = [
    "do_adjudicate_audit",
    "do_answer_audit",
    "do_answer_calibration",
    "do_answer_onboarding",
    "do_claim_audit_item",
    "do_classify_audit",
    "do_close_calibration",
    "do_consensus_to_gold",
    "do_consensus_to_guideline",
    "do_create_audit_plan",
    "do_create_calibration",
    "do_create_gold",
    "do_create_onboarding_set",
    "do_dispute_audit",
    "do_open_discussion",
    "do_place_gold",
    "do_record_consensus",
    "do_reveal_calibration",
    "operational_decisions",
    "score_gold_decision",
]
