"""Every route of the project, walked from the URL resolver and the API's OpenAPI schema.

Django admin's own pages are represented by the admin root (they share one access rule: staff only).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from shinsa.api.api import api

API_PREFIX = "api/v1/"
ADMIN_PREFIX = "admin/"


def _walk(patterns: list, prefix: str) -> list[str]:
    routes: list[str] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(API_PREFIX) or route == ADMIN_PREFIX:
                continue
            routes += _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def page_routes() -> list[str]:
    """Route strings of every page (web, ratings, i18n...), plus the admin root."""
    return [*_walk(get_resolver().url_patterns, ""), ADMIN_PREFIX]


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the OpenAPI schema, e.g. ("GET", "/api/v1/titles")."""
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, operations in schema["paths"].items() for method in operations]
