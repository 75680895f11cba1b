"""``shinsa hash FILE --json`` as other tools call it: a real process, its output and its exit code."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from threatexchange.signal_type.pdq.signal import PdqSignal

from shinsa.media.synthetic import draw_poster
from tests.media.conftest import cut_to, damaged
from tests.media.test_images import png_declaring

pytestmark = pytest.mark.media

SHINSA = Path(sys.executable).with_name("shinsa")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def run_hash(path: Path, tmp_path: Path, *extra: str, env: dict[str, str] | None = None):
    """Run the command; returns (exit code, stdout, stderr, peak memory of the child in MB)."""
    environment = {**os.environ, "SHINSA_VAR_DIR": str(tmp_path / "var"), "SHINSA_LANG": "en", **(env or {})}
    child = subprocess.Popen(
        [str(SHINSA), "hash", str(path), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    # Read both pipes, then reap the child ourselves: os.wait4 also reports its peak memory.
    # (The outputs are far smaller than a pipe's buffer, so reading one after the other cannot block.)
    stdout, stderr = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    child.stderr.close()
    return child.returncode, stdout.decode(), stderr.decode(), usage.ru_maxrss / 1024


def hash_json(path: Path, tmp_path: Path) -> dict:
    code, out, err, _ = run_hash(path, tmp_path, "--json")
    assert (code, err) == (0, ""), err
    assert out.count("\n") == 1
    return json.loads(out)


def test_it_prints_the_image_contract(tmp_path):
    pixels = (np.random.default_rng(4).random((90, 160, 3)) * 255).astype(np.uint8)
    path = tmp_path / "still.png"
    Image.fromarray(pixels).save(path)

    result = hash_json(path, tmp_path)
    assert list(result) == ["kind", "pdq", "quality", "md5"]
    assert result["kind"] == "image" and HEX64.match(result["pdq"])
    assert isinstance(result["quality"], int) and 0 <= result["quality"] <= 100
    assert result["md5"] == hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    assert result["pdq"] == PdqSignal.hash_from_bytes(path.read_bytes())


def test_it_prints_the_video_contract_one_frame_per_second(film_clip, tmp_path):
    result = hash_json(film_clip.path, tmp_path)
    assert list(result) == ["kind", "md5", "frames"]
    assert result["kind"] == "video"
    assert result["md5"] == hashlib.md5(film_clip.path.read_bytes(), usedforsecurity=False).hexdigest()
    # 24000/1001 fps: the first frames at or after 0, 1, 2 and 3 s are frames 0, 24, 48 and 72.
    assert [frame["t"] for frame in result["frames"]] == [0.0, 1.001, 2.002, 3.003]
    for frame in result["frames"]:
        assert list(frame) == ["t", "pdq", "quality"] and HEX64.match(frame["pdq"])
        assert isinstance(frame["quality"], int)


def test_it_hashes_an_exif_rotated_jpeg_like_the_upright_picture(tmp_path):
    # Sides that are multiples of 16 keep JPEG's 16 x 16 blocks aligned whichever way the pixels are stored.
    poster = draw_poster(tmp_path / "p.png", title="Night Train", hue=0.1, size=(240, 320))
    upright = Image.open(poster).convert("RGB")
    upright.save(tmp_path / "upright.jpg", quality=95)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to view"
    upright.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "tagged.jpg", quality=95, exif=exif)

    tagged = hash_json(tmp_path / "tagged.jpg", tmp_path)
    assert tagged["pdq"] == hash_json(tmp_path / "upright.jpg", tmp_path)["pdq"]
    # Without the tag the same pixels hash far away: the orientation really was applied.
    upright.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "untagged.jpg", quality=95)
    assert tagged["pdq"] != hash_json(tmp_path / "untagged.jpg", tmp_path)["pdq"]


def test_it_hashes_transparency_on_white_and_a_gifs_first_frame(tmp_path):
    rgba = np.zeros((64, 96, 4), np.uint8)
    rgba[8:56, 16:80] = (30, 90, 200, 255)
    rgba[20:40, 30:60, 3] = 0  # a transparent window in the shape
    Image.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    flattened = Image.alpha_composite(Image.new("RGBA", (96, 64), "white"), Image.fromarray(rgba, "RGBA"))
    flattened.convert("RGB").save(tmp_path / "flat.png")
    assert (
        hash_json(tmp_path / "alpha.png", tmp_path)["pdq"]
        == hash_json(tmp_path / "flat.png", tmp_path)["pdq"]
    )

    first = Image.open(draw_poster(tmp_path / "a.png", title="First", hue=0.2)).convert("RGB")
    second = Image.open(draw_poster(tmp_path / "b.png", title="Second", hue=0.7)).convert("RGB")
    first.save(tmp_path / "anim.gif", save_all=True, append_images=[second], duration=200)
    Image.open(tmp_path / "anim.gif").convert("RGB").save(tmp_path / "first.png")
    assert (
        hash_json(tmp_path / "anim.gif", tmp_path)["pdq"]
        == hash_json(tmp_path / "first.png", tmp_path)["pdq"]
    )


def bad_files(tmp_path: Path, film_clip, faststart_clip, audio_only) -> dict[str, tuple[Path, str]]:
    (tmp_path / "empty.mp4").touch()
    (tmp_path / "notes.mp4").write_text("Delivery notes, not a video.\n" * 20)
    (tmp_path / "noise.bin").write_bytes(bytes((i * 7919 + 3) % 251 for i in range(20_000)))
    (tmp_path / "bomb.png").write_bytes(png_declaring(100_000, 100_000))
    return {
        "empty": (tmp_path / "empty.mp4", "the file is empty"),
        "truncated": (cut_to(film_clip.path, tmp_path / "cut.mp4", 0.5), "the file is cut short"),
        "damaged": (damaged(faststart_clip, tmp_path / "damaged.mp4", at=0.5), "damaged"),
        "text": (tmp_path / "notes.mp4", "not an image or video file"),
        "noise": (tmp_path / "noise.bin", "not an image or video file"),
        "missing": (tmp_path / "nowhere.mp4", "no such file"),
        "bomb": (tmp_path / "bomb.png", "too large"),
        "audio": (audio_only, "not supported"),
    }


def test_it_prints_one_line_naming_the_file_for_every_bad_file(
    tmp_path, film_clip, faststart_clip, audio_only
):
    for name, (path, problem) in bad_files(tmp_path, film_clip, faststart_clip, audio_only).items():
        code, out, err, _ = run_hash(path, tmp_path, "--json")
        assert code == 1 and out == "", name
        assert err.count("\n") == 1 and err.startswith(f"{path}: ") and problem in err, (name, err)


def test_it_stays_silent_on_stderr_even_when_ffmpeg_logs_to_the_terminal(tmp_path, faststart_clip):
    # Turn FFmpeg's own logging back on in the child, straight to file descriptor 2, at every level.
    (tmp_path / "loud").mkdir()
    (tmp_path / "loud" / "sitecustomize.py").write_text(
        "import av.logging\n"
        "av.logging.restore_default_callback()\n"
        "av.logging.set_libav_level(av.logging.DEBUG)\n"
    )
    broken = damaged(faststart_clip, tmp_path / "damaged.mp4", at=0.5)
    loud = {"PYTHONPATH": str(tmp_path / "loud")}

    code, out, err, _ = run_hash(broken, tmp_path, "--json", env=loud)
    assert code == 1 and out == "" and err.count("\n") == 1, err
    code, out, err, _ = run_hash(faststart_clip, tmp_path, "--json", env=loud)
    assert code == 0 and err == "" and json.loads(out)["kind"] == "video"


def test_it_refuses_a_100000_by_100000_png_in_bounded_memory(tmp_path):
    (tmp_path / "bomb.png").write_bytes(png_declaring(100_000, 100_000))
    code, _, err, peak_mb = run_hash(tmp_path / "bomb.png", tmp_path, "--json")
    assert code == 1 and "too large" in err
    # Decoding it would need 30 GB; the bound leaves room for the interpreter and every app it imports.
    assert peak_mb < 1024


def test_it_speaks_japanese_when_asked(tmp_path):
    (tmp_path / "empty.mp4").touch()
    code, _, err, _ = run_hash(tmp_path / "empty.mp4", tmp_path, env={"SHINSA_LANG": "ja"})
    assert code == 1 and err == f"{tmp_path / 'empty.mp4'}: ファイルが空です\n"


def test_it_prints_a_readable_summary_without_json(film_clip, tmp_path):
    code, out, err, _ = run_hash(film_clip.path, tmp_path)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith("video  md5 ") and lines[0].endswith("4 frames") and len(lines) == 5
