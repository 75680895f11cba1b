"""The signal registry: plain data, one instance per signal type, names checked unique.

To add a signal: write a ``Signal`` subclass, add it to ``SIGNAL_TYPES``, give it a table in
``policies/signals.toml`` (and in ``settings.SIGNAL_NAMES``); the contract test then runs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from shinsa.screening.signals.base import Signal
from shinsa.screening.signals.classifier import ClassifierSignal
from shinsa.screening.signals.hashes import Md5Signal, PdqSignal, Sha256Signal
from shinsa.screening.signals.settings import SIGNAL_NAMES
from shinsa.screening.signals.text_lexicon import TextLexiconSignal

SIGNAL_TYPES: tuple[type[Signal], ...] = (
    TextLexiconSignal,
    PdqSignal,
    Md5Signal,
    Sha256Signal,
    ClassifierSignal,
)


def build_registry(types: Iterable[type[Signal]]) -> Mapping[str, Signal]:
    """One instance per type, by name; ``ValueError`` when two types share a name."""
    registry: dict[str, Signal] = {}
    for signal_type in types:
        if signal_type.name in registry:
            raise ValueError(f"two signal types are named {signal_type.name!r}")
        if not signal_type.accepts:
            raise ValueError(f"signal type {signal_type.name!r} accepts no input")
        registry[signal_type.name] = signal_type()
    return MappingProxyType(registry)


SIGNALS: Mapping[str, Signal] = build_registry(SIGNAL_TYPES)
if tuple(SIGNALS) != SIGNAL_NAMES:  # signals.toml is validated against SIGNAL_NAMES
    raise ValueError(f"settings.SIGNAL_NAMES {SIGNAL_NAMES} differ from the registry {tuple(SIGNALS)}")
