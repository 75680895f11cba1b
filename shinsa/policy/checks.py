"""System check: ``manage.py check``, runserver and migrate stop on an invalid policy file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from shinsa.policy.current import current_policies
from shinsa.policy.errors import InvalidPolicySet

INVALID_POLICY_FILE = "shinsa.policy.E001"
UNREAD_POLICY_FILE = "shinsa.policy.W001"


@checks.register("policy")
def check_policy_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """One Error per problem ("file:line [field]: reason"); a Warning per TOML file no kind reads."""
    try:
        policies = current_policies()
    except InvalidPolicySet as invalid:
        hint = f"Fix the file under the policy directory {settings.POLICY_DIR} (SHINSA_POLICY_DIR)."
        return [checks.Error(str(problem), hint=hint, id=INVALID_POLICY_FILE) for problem in invalid.problems]
    return [
        checks.Warning(
            f"{name}: no policy kind reads this file, so it has no effect",
            hint="Check the file name, or register the kind that reads it.",
            id=UNREAD_POLICY_FILE,
        )
        for name in policies.unclaimed
    ]
