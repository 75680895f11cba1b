"""``shinsa screen`` with banks in the configured database: the same pass finds banked media."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from PIL import Image
from scipy.ndimage import gaussian_filter

from shinsa.banks.actions import do_add_bank_entry, do_confirm_bank_entry, do_create_bank
from shinsa.media.synthetic import ClipSpec, Scene, encode_clip
from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.hashing.pdq import pdq_of_image_file
from shinsa.screening.hashing.vpdq import vpdq_of_video_file


def picture(seed: int) -> np.ndarray:
    noise = gaussian_filter(np.random.default_rng(seed).random((240, 320, 3)), (9, 9, 0))
    return ((noise - noise.min()) / (noise.max() - noise.min()) * 255).astype(np.uint8)


def screen(path) -> dict:
    out = io.StringIO()
    call_command("screen", str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


def banked(owners, value: str, *, kind: str = "pdq", **settings) -> None:
    bank = do_create_bank(
        actor=owners.pia,
        name=settings.pop("name", "known"),
        kind=kind,
        policy_area="violence",
        severity="critical",
        **settings,
    )
    entry = do_add_bank_entry(actor=owners.pia, bank=bank, value=value, label="planted")
    do_confirm_bank_entry(actor=owners.paul, entry=entry)


def test_without_banks_screening_is_unchanged(db, tmp_path):
    path = tmp_path / "still.png"
    Image.fromarray(picture(1)).save(path)
    assert screen(path)["hits"] == []


def test_it_finds_a_planted_image_even_mirrored_and_an_illegal_bank_proposes_quarantine(owners, tmp_path):
    original = tmp_path / "original.png"
    Image.fromarray(picture(2)).save(original)
    banked(owners, pdq_of_image_file(original).hex, illegal=True)
    mirrored = tmp_path / "upload.jpg"
    Image.fromarray(picture(2)[:, ::-1]).save(mirrored, quality=85)
    other = tmp_path / "other.png"
    Image.fromarray(picture(3)).save(other)

    (hit,) = screen(mirrored)["hits"]
    assert (hit["signal"], hit["policy_area"], hit["severity"]) == ("pdq", "violence", "critical")
    assert hit["start_ms"] is None and hit["detail"]["variant"] == "flip_horizontal"
    assert hit["detail"]["action"] == "quarantine" and hit["detail"]["entry_label"] == "planted"
    assert hit["detail"]["distance"] <= 31
    assert screen(other)["hits"] == []


def test_it_finds_a_file_by_md5(owners, tmp_path):
    path = tmp_path / "still.png"
    Image.fromarray(picture(4)).save(path)
    banked(owners, file_digests(path).md5, kind="md5")
    (hit,) = screen(path)["hits"]
    assert (hit["signal"], hit["score"], hit["detail"]["action"]) == ("md5", 1.0, "enqueue")


@pytest.mark.media
def test_it_finds_a_banked_clip_inside_a_longer_video_with_its_segment(owners, tmp_path):
    scenes = tuple(Scene(frames=72, hue=h, texture=t) for h, t in ((0.8, 21), (0.1, 3), (0.55, 8), (0.3, 22)))
    upload = encode_clip(ClipSpec(scenes=scenes), tmp_path / "upload.mp4")
    # The bank holds seconds 4 to 9 of it: a known clip that someone cut into a longer video.
    clip = [f for f in vpdq_of_video_file(upload.path) if 4 <= f.time < 10]
    banked(owners, json.dumps([f"{f.pdq},{f.quality},{f.time - 4:.3f}" for f in clip]), kind="video")

    document = screen(upload.path)
    (hit,) = [hit for hit in document["hits"] if hit["signal"] == "vpdq"]
    assert hit["detail"]["compared_percent"] == 100.0  # every frame of the banked clip is in the upload
    assert 30 < hit["detail"]["query_percent"] < 60  # 6 of the upload's 12 s are the clip
    assert (hit["detail"]["entry_start_ms"], hit["detail"]["entry_end_ms"]) == (
        4,
        5009,
    )  # times as the bank entry gives them
    assert 3900 <= hit["start_ms"] <= 4100 and 9900 <= hit["end_ms"] <= 11100
    assert hit["detail"]["action"] == "enqueue" and hit["severity"] == "critical"
