"""``shinsa oncall``: create a rotation, override, swap, list; bad input is one clear line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shinsa.oncall.models import Rotation, ShiftOverride


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("oncall", *args, stdout=out)
    return out.getvalue()


def test_it_creates_overrides_swaps_and_lists_rotations(cast):
    run(
        "create", "weekend", "--name-en", "Weekend", "--name-ja", "週末", "--pattern", "weekend",
        "--zone", "America/Costa_Rica", "--first-day", "2026-11-07", "--handoff-hour", "9",
        "--member", "sora", "--member", "mei",
    )  # fmt: skip
    assert Rotation.objects.get().plan().members == (cast.sora.pk, cast.mei.pk)
    run(
        "override",
        "weekend",
        "ada",
        "--from",
        "2026-11-28T09:00-06:00",
        "--to",
        "2026-11-30T09:00-06:00",
        "--reason",
        "sora away",
    )
    run("swap", "weekend", "3", "4", "--reason", "family visit")
    assert ShiftOverride.objects.count() == 3
    assert "weekend\tweekend\tAmerica/Costa_Rica" in run("rotations")


def test_it_refuses_bad_input_in_one_line(cast):
    with pytest.raises(CommandError, match="No account is called “nobody”"):
        run(
            "create", "x", "--name-en", "X", "--name-ja", "X", "--pattern", "weekly", "--zone", "UTC",
            "--first-day", "2026-11-02", "--handoff-hour", "0", "--member", "nobody",
        )  # fmt: skip
    with pytest.raises(CommandError, match="No rotation is called"):
        run("swap", "missing", "1", "2", "--reason", "x")
    assert not Rotation.objects.exists()
