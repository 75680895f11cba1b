"""Parsing HTTP Range headers for the media view."""

from __future__ import annotations

import pytest

from shinsa.lib.byte_ranges import UnsatisfiableRange, parse_range


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("bytes=5-1", None),
        ("bytes=-", None),
    ],
)
def test_it_parses_a_single_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=-0", "bytes=2000-3000"])
def test_it_refuses_a_range_outside_the_file(header):
    with pytest.raises(UnsatisfiableRange):
        parse_range(header, 1000)
