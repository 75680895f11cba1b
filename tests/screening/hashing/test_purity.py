"""The hashing and media modules import no Django, and images hash without PyAV (an optional extra)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from PIL import Image

PURE_WITHOUT_PYAV = [
    "shinsa.media.errors",
    "shinsa.media.paths",
    "shinsa.media.images",
    "shinsa.media.scenes",
    "shinsa.screening.hashing.pdq",
    "shinsa.screening.hashing.digests",
    "shinsa.screening.hashing.vpdq",
    "shinsa.screening.hashing.files",
]
PURE_WITH_PYAV = ["shinsa.media.container", "shinsa.media.probe", "shinsa.media.frames", "shinsa.media.quiet"]


def run_blocking(blocked: list[str], code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter where importing any of ``blocked`` fails."""
    prelude = "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in blocked)
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True, check=False
    )


def test_it_imports_the_pure_modules_without_django_or_pyav():
    imports = "\n".join(f"import {module}" for module in PURE_WITHOUT_PYAV)
    result = run_blocking(["django", "av"], imports)
    assert result.returncode == 0, result.stderr


def test_it_imports_the_decoding_modules_without_django():
    result = run_blocking(["django"], "\n".join(f"import {module}" for module in PURE_WITH_PYAV))
    assert result.returncode == 0, result.stderr


def test_it_hashes_an_image_without_pyav_and_says_what_video_needs(tmp_path):
    Image.new("RGB", (64, 48), (10, 120, 200)).save(tmp_path / "still.png")
    (tmp_path / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64)
    result = run_blocking(
        ["av"],
        f"""
        from shinsa.media.errors import MediaError
        from shinsa.screening.hashing.files import hash_file
        print(hash_file({str(tmp_path / "still.png")!r}).to_json()["kind"])
        try:
            hash_file({str(tmp_path / "clip.mp4")!r})
        except MediaError as error:
            print(error.kind.value, error.detail)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["image", "unsupported decoding video needs PyAV (the media extra)"]
