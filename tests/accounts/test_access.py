from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from shinsa.accounts.access import access_user_for_manager, perm_required, require_perm, user_can
from shinsa.accounts.actions import do_update_user
from shinsa.accounts.errors import MissingPermission
from shinsa.accounts.roles import Perm


@perm_required(Perm.REVIEW_ITEMS)
def review_view(request, item_id):
    return HttpResponse(f"item {item_id}")


def _request(user):
    request = RequestFactory().get("/review/7?tab=media")
    request.user = user
    return request


def test_it_answers_from_roles(cast):
    assert user_can(cast.rin, Perm.REVIEW_ITEMS)
    assert not user_can(cast.rin, Perm.MANAGE_USERS)
    assert user_can(cast.ada, Perm.MANAGE_USERS)
    assert not user_can(cast.kai, Perm.REVIEW_ITEMS)


def test_it_refuses_the_outsider_the_anonymous_and_nobody(cast):
    for perm in Perm:
        assert not user_can(cast.olive, perm)
        assert not user_can(AnonymousUser(), perm)
        assert not user_can(None, perm)


def test_it_refuses_a_deactivated_account(cast):
    do_update_user(actor=cast.ada, user=cast.rin, is_active=False)
    assert not user_can(cast.rin, Perm.REVIEW_ITEMS)


def test_it_raises_a_permission_denied_naming_the_permission(cast):
    require_perm(cast.rin, Perm.REVIEW_ITEMS)
    with pytest.raises(MissingPermission) as denied:
        require_perm(cast.olive, Perm.REVIEW_ITEMS)
    assert isinstance(denied.value, PermissionDenied)
    assert "review_items" in str(denied.value)


def test_it_sends_anonymous_visitors_to_the_login_page(db, settings):
    settings.LOGIN_URL = "/login/"
    response = review_view(_request(AnonymousUser()), item_id=7)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/review/7%3Ftab%3Dmedia"


def test_it_forbids_signed_in_people_without_the_permission(cast):
    with pytest.raises(PermissionDenied):
        review_view(_request(cast.olive), item_id=7)
    with pytest.raises(PermissionDenied):
        review_view(_request(cast.kai), item_id=7)


def test_it_runs_the_view_for_people_with_the_permission(cast):
    response = review_view(_request(cast.rin), item_id=7)
    assert response.content == b"item 7"
    assert review_view.__name__ == "review_view"


def test_it_gives_user_managers_an_account_and_others_a_refusal(cast):
    assert access_user_for_manager(cast.ada, cast.rin.pk) == cast.rin
    with pytest.raises(Http404):
        access_user_for_manager(cast.ada, 999_999)
    with pytest.raises(MissingPermission):
        access_user_for_manager(cast.olive, cast.rin.pk)
    with pytest.raises(MissingPermission):  # refused before revealing whether the id exists
        access_user_for_manager(cast.olive, 999_999)
