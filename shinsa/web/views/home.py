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
from shinsa.web.labels import PLANNED_SECTIONS
from shinsa.web.sections import Section, sections_for


def _section(section: Section) -> dict[str, Any]:
    planned = PLANNED_SECTIONS.get(section)
    template = "planned" if planned else section.value
    return {"id": section.value, "template": f"web/partials/home/{template}.html", "planned": planned}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sections = sections_for(permissions_for(request.user.role_set()))
    context: dict[str, Any] = {"nav": "home", "sections": [_section(s) for s in sections]}
    # Only the sections on screen cost a query.
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
