"""The rating policies in force: the ``ratings`` kind of the policy set of ``settings.POLICY_DIR``."""

from __future__ import annotations

from shinsa.policy.current import current_policies
from shinsa.policy.errors import InvalidPolicySet
from shinsa.ratings.policies import RATINGS_KIND, RatingPolicies


def active_rating_policies() -> RatingPolicies:
    """The loaded rating policies; raises the first PolicyFileError when the policy set is invalid."""
    try:
        return current_policies().kind(RATINGS_KIND)
    except InvalidPolicySet as invalid:
        raise invalid.problems[0] from None
