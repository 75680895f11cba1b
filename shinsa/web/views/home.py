"""The home page: one section per kind of work the signed-in person may do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from shinsa.accounts.roles import permissions_for
from shinsa.policy.errors import InvalidPolicySet
from shinsa.web import queries
from shinsa.web.sections import Section, sections_for


def _section(section: Section) -> dict[str, Any]:
    return {"id": section.value, "template": f"web/partials/home/{section.value}.html"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sections = sections_for(permissions_for(request.user.role_set()))
    context: dict[str, Any] = {"nav": "home", "sections": [_section(s) for s in sections]}
    # Only the sections on screen cost a query.
    if Section.MY_QUEUE in sections:
        context["review"] = queries.review_summary(request.user)
    if Section.ESCALATIONS in sections:
        context["escalations"] = queries.escalation_summary(request.user)
    if Section.AUDITS in sections or Section.CALIBRATION in sections:
        context["quality"] = queries.quality_summary(request.user)
    if Section.OPERATIONS in sections:
        context["tasks"] = queries.task_counts()
        context["catalog"] = queries.catalog_counts()
    if Section.AUDIT_LOG in sections:
        context["audit_events"] = queries.recent_audit_events()
    if Section.POLICIES in sections:
        try:
            context["policies"] = queries.policy_overview(language=get_language())
        except InvalidPolicySet as error:
            context["policy_problems"] = len(error.problems)
    if Section.ADMINISTRATION in sections:
        context["users"] = queries.user_counts()
    return render(request, "web/pages/home.html", context)
