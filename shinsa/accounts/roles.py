"""Roles and what each may do: the one place permissions are declared (pure, no Django models)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    QA_AUDITOR = "qa_auditor"
    CALIBRATION_LEAD = "calibration_lead"
    POLICY_OWNER = "policy_owner"
    OPS_MANAGER = "ops_manager"
    LEGAL = "legal"
    ADMIN = "admin"


class Perm(StrEnum):
    VIEW_CATALOG = "view_catalog"
    INGEST_MANIFESTS = "ingest_manifests"
    REVIEW_ITEMS = "review_items"
    CONFIRM_HIGH_IMPACT = "confirm_high_impact"
    HANDLE_ESCALATIONS = "handle_escalations"
    AUDIT_DECISIONS = "audit_decisions"
    RUN_CALIBRATION = "run_calibration"
    EDIT_POLICIES = "edit_policies"
    MANAGE_QUEUES = "manage_queues"
    VIEW_INSIGHTS = "view_insights"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_USERS = "manage_users"
    USE_API = "use_api"
    MANAGE_WEBHOOKS = "manage_webhooks"  # outgoing webhooks and their signing keys (admins only)
    MANAGE_DATASETS = "manage_datasets"
    TAKE_PAGES = "take_pages"
    MANAGE_ONCALL = "manage_oncall"
    # Legal and government orders, and media quarantined as illegal content (kept for a mandatory report).
    HANDLE_LEGAL = "handle_legal"
    MANAGE_BANKS = "manage_banks"  # hash banks: create, add entries, confirm others' entries (four-eyes)


_REVIEWER = {Perm.VIEW_CATALOG, Perm.REVIEW_ITEMS, Perm.USE_API}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.REVIEWER: frozenset(_REVIEWER),
    Role.SENIOR_REVIEWER: frozenset(
        _REVIEWER | {Perm.CONFIRM_HIGH_IMPACT, Perm.HANDLE_ESCALATIONS, Perm.TAKE_PAGES}
    ),
    Role.QA_AUDITOR: frozenset({Perm.VIEW_CATALOG, Perm.AUDIT_DECISIONS, Perm.VIEW_INSIGHTS, Perm.USE_API}),
    Role.CALIBRATION_LEAD: frozenset(
        {
            Perm.VIEW_CATALOG,
            Perm.RUN_CALIBRATION,
            Perm.AUDIT_DECISIONS,
            Perm.VIEW_INSIGHTS,
            Perm.USE_API,
            Perm.MANAGE_DATASETS,
        }
    ),
    Role.POLICY_OWNER: frozenset(
        {
            Perm.VIEW_CATALOG,
            Perm.EDIT_POLICIES,
            Perm.VIEW_INSIGHTS,
            Perm.VIEW_AUDIT_LOG,
            Perm.USE_API,
            Perm.MANAGE_BANKS,
        }
    ),
    Role.OPS_MANAGER: frozenset(
        {
            Perm.VIEW_CATALOG,
            Perm.INGEST_MANIFESTS,
            Perm.MANAGE_QUEUES,
            Perm.VIEW_INSIGHTS,
            Perm.VIEW_AUDIT_LOG,
            Perm.USE_API,
            Perm.MANAGE_DATASETS,
            Perm.TAKE_PAGES,
            Perm.MANAGE_ONCALL,
        }
    ),
    Role.LEGAL: frozenset(
        {Perm.VIEW_CATALOG, Perm.REVIEW_ITEMS, Perm.CONFIRM_HIGH_IMPACT, Perm.HANDLE_LEGAL, Perm.USE_API}
    ),
    # Administrators may do everything except see quarantined media and legal orders: that stays with
    # the legal role, which an administrator can grant (audited) but does not hold by default.
    Role.ADMIN: frozenset(Perm) - {Perm.HANDLE_LEGAL},
}


def permissions_for(roles: set[Role] | frozenset[Role]) -> frozenset[Perm]:
    """Union of the permissions of the given roles."""
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


# Whoever holds one of these must pass a second factor (TOTP) in the console: they can take titles
# down for good, change what the policies say, or change who may do what.
SECOND_FACTOR_PERMS = frozenset(
    {Perm.CONFIRM_HIGH_IMPACT, Perm.EDIT_POLICIES, Perm.MANAGE_USERS, Perm.MANAGE_WEBHOOKS}
)


def needs_second_factor(perms: frozenset[Perm] | set[Perm], *, superuser: bool = False) -> bool:
    return superuser or bool(SECOND_FACTOR_PERMS & set(perms))
