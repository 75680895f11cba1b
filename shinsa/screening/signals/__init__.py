"""Signals: small, pure detectors over screening inputs, behind one interface and an explicit registry.

``Signal.run(input, context)`` yields ``SignalHit``s; ``SIGNALS`` is the registry;
``screen_file(path, context)`` runs them all on one file (``shinsa screen``). See docs/signals.md.
"""

from shinsa.screening.signals.base import (
    FileInput,
    HashFeature,
    ImageInput,
    InputKind,
    KnownHash,
    MetadataInput,
    Signal,
    SignalContext,
    SignalHit,
    SignalInput,
    SubtitleInput,
    VideoFrameInput,
)
from shinsa.screening.signals.merge import merge_frame_hits
from shinsa.screening.signals.registry import SIGNAL_TYPES, SIGNALS, build_registry
from shinsa.screening.signals.settings import SIGNALS_KIND, SignalsSettings

__all__ = [
    "SIGNALS",
    "SIGNALS_KIND",
    "SIGNAL_TYPES",
    "FileInput",
    "HashFeature",
    "ImageInput",
    "InputKind",
    "KnownHash",
    "MetadataInput",
    "Signal",
    "SignalContext",
    "SignalHit",
    "SignalInput",
    "SignalsSettings",
    "SubtitleInput",
    "VideoFrameInput",
    "build_registry",
    "merge_frame_hits",
]
