from shinsa.accounts.roles import ROLE_PERMISSIONS, Perm, Role, permissions_for


def test_it_declares_permissions_for_every_role():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_it_gives_each_role_what_its_work_needs():
    table = {role.value: sorted(p.value for p in perms) for role, perms in ROLE_PERMISSIONS.items()}
    assert table == {
        "reviewer": ["review_items", "use_api", "view_catalog"],
        "senior_reviewer": [
            "confirm_high_impact",
            "handle_escalations",
            "review_items",
            "take_pages",
            "use_api",
            "view_catalog",
        ],
        "qa_auditor": ["audit_decisions", "use_api", "view_catalog", "view_insights"],
        "calibration_lead": [
            "audit_decisions",
            "manage_datasets",
            "run_calibration",
            "use_api",
            "view_catalog",
            "view_insights",
        ],
        "policy_owner": [
            "edit_policies",
            "manage_banks",
            "use_api",
            "view_audit_log",
            "view_catalog",
            "view_insights",
        ],
        "ops_manager": [
            "ingest_manifests",
            "manage_datasets",
            "manage_oncall",
            "manage_queues",
            "take_pages",
            "use_api",
            "view_audit_log",
            "view_catalog",
            "view_insights",
        ],
        "legal": ["confirm_high_impact", "handle_legal", "review_items", "use_api", "view_catalog"],
        "admin": sorted(p.value for p in Perm if p != Perm.HANDLE_LEGAL),
    }


def test_it_keeps_legal_matters_to_the_legal_role_alone():
    assert [role for role in Role if Perm.HANDLE_LEGAL in ROLE_PERMISSIONS[role]] == [Role.LEGAL]


def test_it_lets_policy_owners_and_admins_manage_hash_banks():
    assert [role for role in Role if Perm.MANAGE_BANKS in ROLE_PERMISSIONS[role]] == [
        Role.POLICY_OWNER,
        Role.ADMIN,
    ]


def test_it_keeps_user_management_to_admins():
    assert [role for role in Role if Perm.MANAGE_USERS in ROLE_PERMISSIONS[role]] == [Role.ADMIN]


def test_it_unites_the_permissions_of_several_roles():
    combined = permissions_for({Role.REVIEWER, Role.QA_AUDITOR})
    assert combined == ROLE_PERMISSIONS[Role.REVIEWER] | ROLE_PERMISSIONS[Role.QA_AUDITOR]
    assert permissions_for(set()) == frozenset()
