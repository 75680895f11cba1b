"""shinsa.screening.hashing.digests: MD5 and SHA-256 of a file's bytes, read in chunks."""

from __future__ import annotations

import hashlib

import pytest

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.screening.hashing.digests import CHUNK_BYTES, file_digests


def test_it_hashes_the_bytes_across_chunk_boundaries(tmp_path):
    data = bytes(range(256)) * (CHUNK_BYTES // 256 * 2 + 3)  # two chunks and a bit
    (tmp_path / "f.bin").write_bytes(data)
    digests = file_digests(tmp_path / "f.bin")
    assert digests.md5 == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert digests.sha256 == hashlib.sha256(data).hexdigest()
    assert digests.size_bytes == len(data)


def test_it_refuses_an_empty_file(tmp_path):
    (tmp_path / "empty").touch()
    with pytest.raises(MediaError) as caught:
        file_digests(tmp_path / "empty")
    assert caught.value.kind is MediaProblem.EMPTY
