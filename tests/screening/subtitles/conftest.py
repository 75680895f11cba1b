"""Fixtures for the subtitle reader: files written by the tests in a given encoding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteSubtitle = Callable[..., Path]


@pytest.fixture
def write_subtitle(tmp_path: Path) -> WriteSubtitle:
    """``write_subtitle(name, text, encoding="utf-8", bom=b"")`` writes the file and returns its path."""

    def write(name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
        path = tmp_path / name
        path.write_bytes(bom + text.encode(encoding))
        return path

    return write
