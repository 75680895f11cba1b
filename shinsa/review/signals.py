"""Signals review sends for other apps to follow (shinsa.quality scores gold answers from them).

``decision_made(decision=…)`` is sent inside ``do_decide``'s transaction, after the decision and its
evidence are stored: a receiver's writes commit or roll back with the decision.
"""

from django.dispatch import Signal

decision_made = Signal()
