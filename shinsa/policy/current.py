"""The policy set in force for this process: loaded once from ``settings.POLICY_DIR``.

Policy files change by deployment, so the set is cached per directory for the life of the process;
``reload_policies()`` drops the cache (tests, or a policy owner's reload after editing files).
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings

from shinsa.policy.loader import load_policy_set
from shinsa.policy.schemas import PolicySet


def current_policies() -> PolicySet:
    """The validated PolicySet of ``settings.POLICY_DIR``; raises InvalidPolicySet when it is invalid."""
    return _policy_set_in(_resolved(str(settings.POLICY_DIR)))


@functools.cache
def _resolved(directory: str) -> str:
    # Resolving touches the file system; every claim and decision asks for the policies.
    return str(Path(directory).resolve())


@functools.cache
def _policy_set_in(directory: str) -> PolicySet:
    return load_policy_set(directory)


def reload_policies() -> None:
    _resolved.cache_clear()
    _policy_set_in.cache_clear()
