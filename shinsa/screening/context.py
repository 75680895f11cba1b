"""The signal context of this installation: lexicons and signal settings from ``settings.POLICY_DIR``."""

from __future__ import annotations

from shinsa.policy.current import current_policies
from shinsa.screening.signals import SignalContext, SignalsSettings
from shinsa.screening.signals.settings import SIGNALS
from shinsa.screening.text.lexicon import LEXICONS


def policy_signal_context() -> SignalContext:
    """Raises InvalidPolicySet when the policy directory is invalid. No known hashes until banks exist."""
    policies = current_policies()
    settings = policies.kinds.get(SIGNALS) or SignalsSettings.all_enabled()
    return SignalContext(settings=settings, lexicons=policies.kinds.get(LEXICONS), known={})
