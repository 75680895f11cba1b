from shinsa.accounts.roles import ROLE_PERMISSIONS, Perm, Role, permissions_for
from shinsa.web.sections import SECTION_PERMISSION, Section, sections_for


def test_it_gives_a_reviewer_only_their_queue():
    assert sections_for(ROLE_PERMISSIONS[Role.REVIEWER]) == [Section.MY_QUEUE]


def test_it_gives_a_senior_reviewer_their_queue_and_escalations():
    assert sections_for(ROLE_PERMISSIONS[Role.SENIOR_REVIEWER]) == [Section.MY_QUEUE, Section.ESCALATIONS]


def test_it_gives_an_ops_manager_operations_and_the_audit_log():
    assert sections_for(ROLE_PERMISSIONS[Role.OPS_MANAGER]) == [Section.OPERATIONS, Section.AUDIT_LOG]


def test_it_gives_an_admin_every_section_in_display_order():
    assert sections_for(ROLE_PERMISSIONS[Role.ADMIN]) == list(Section)


def test_it_gives_someone_without_a_role_nothing():
    assert sections_for(permissions_for(set())) == []


def test_it_shows_the_union_for_combined_roles():
    perms = permissions_for({Role.REVIEWER, Role.QA_AUDITOR})
    assert sections_for(perms) == [Section.MY_QUEUE, Section.AUDITS]


def test_it_maps_every_section_to_a_real_permission():
    assert set(SECTION_PERMISSION) == set(Section)
    assert all(isinstance(perm, Perm) for perm in SECTION_PERMISSION.values())
