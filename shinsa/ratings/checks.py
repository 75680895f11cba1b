"""System check: an invalid rating policy file, or a failing golden case, stops start-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.golden import golden_failures

INVALID_RATING_POLICY = "shinsa.ratings.E001"
FAILING_GOLDEN_CASE = "shinsa.ratings.E002"


@checks.register("policy")
def check_rating_policies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One Error naming file, line and reason; or one Error per golden case the schemes do not pass."""
    try:
        policies = active_rating_policies()
    except PolicyFileError as error:
        return [
            checks.Error(
                str(error),
                hint=f"Fix the file under the policy directory {settings.POLICY_DIR} (SHINSA_POLICY_DIR).",
                id=INVALID_RATING_POLICY,
            )
        ]
    return [
        checks.Error(
            str(failure),
            hint="A scheme no longer gives what its authority's guidelines say: fix the rules or the case.",
            id=FAILING_GOLDEN_CASE,
        )
        for failure in golden_failures(policies.golden_cases, policies.schemes)
    ]
