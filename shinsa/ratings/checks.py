"""System check: an invalid rating policy file, or a failing golden case, stops start-up."""

from __future__ import annotations

from typing import Any

from django.core import checks

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.active import active_rating_policies
from shinsa.ratings.golden import golden_failures

FAILING_GOLDEN_CASE = "shinsa.ratings.E002"


@checks.register("policy")
def check_rating_policies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One Error per golden case the schemes do not pass. An invalid file is reported by the policy
    check (``shinsa.policy.E001``), which validates the rating files with every other policy file."""
    try:
        policies = active_rating_policies()
    except PolicyFileError:
        return []
    return [
        checks.Error(
            str(failure),
            hint="A scheme no longer gives what its authority's guidelines say: fix the rules or the case.",
            id=FAILING_GOLDEN_CASE,
        )
        for failure in golden_failures(policies.golden_cases, policies.schemes)
    ]
