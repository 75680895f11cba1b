"""The registry is plain data: one instance per type, names unique, the same names signals.toml knows."""

from __future__ import annotations

import pytest

from shinsa.screening.signals import SIGNAL_TYPES, SIGNALS, build_registry
from shinsa.screening.signals.hashes import Md5Signal
from shinsa.screening.signals.settings import SIGNAL_NAMES


def test_it_lists_every_signal_type_by_name_in_order():
    assert tuple(SIGNALS) == SIGNAL_NAMES == ("text_lexicon", "pdq", "md5", "sha256", "classifier")
    assert [type(signal) for signal in SIGNALS.values()] == list(SIGNAL_TYPES)


def test_it_refuses_two_types_with_one_name():
    class OtherMd5(Md5Signal):
        pass

    with pytest.raises(ValueError, match="two signal types are named 'md5'"):
        build_registry([Md5Signal, OtherMd5])


def test_it_refuses_a_type_that_accepts_nothing():
    class Deaf(Md5Signal):
        name = "deaf"
        accepts = frozenset()

    with pytest.raises(ValueError, match="accepts no input"):
        build_registry([Deaf])


def test_it_cannot_be_changed():
    with pytest.raises(TypeError):
        SIGNALS["md5"] = Md5Signal()  # type: ignore[index]
