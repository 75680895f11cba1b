"""shinsa.screening.hashing.pdq: the hex order pinned against python-threatexchange, images as seen."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from threatexchange.signal_type.pdq.pdq_hasher import pdq_from_file
from threatexchange.signal_type.pdq.signal import PdqSignal

from shinsa.media.synthetic import draw_poster
from shinsa.screening.hashing.pdq import bits_to_hex, pdq_distance, pdq_of_image_file, pdq_of_rgb


def textured(seed: int, height: int = 240, width: int = 320) -> np.ndarray:
    """A picture with structure at several scales (random noise alone hashes with low quality)."""
    rng = np.random.default_rng(seed)
    total = np.zeros((height, width, 3), np.float32)
    for cells in (4, 8, 16, 32):
        coarse = Image.fromarray((rng.random((cells, cells, 3)) * 255).astype(np.uint8))
        total += np.asarray(coarse.resize((width, height), Image.Resampling.BICUBIC), np.float32) / cells**0.3
    total = (total - total.min()) * 255 / (total.max() - total.min())
    return total.astype(np.uint8)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_writes_the_same_hex_and_quality_as_threatexchanges_pdq_signal(tmp_path, seed):
    path = tmp_path / f"picture{seed}.png"
    Image.fromarray(textured(seed)).save(path)

    ours = pdq_of_image_file(path)
    assert ours.hex == PdqSignal.hash_from_bytes(path.read_bytes())
    assert (ours.hex, ours.quality) == pdq_from_file(path)
    assert len(ours.hex) == 64 and ours.hex == ours.hex.lower() and ours.quality == 100


def test_it_matches_threatexchange_on_a_grey_poster_too(tmp_path):
    path = draw_poster(tmp_path / "poster.png", title="Quiet Harbour", hue=0.3)
    grey = tmp_path / "grey.png"
    Image.open(path).convert("L").save(grey)
    assert (pdq_of_image_file(grey).hex, pdq_of_image_file(grey).quality) == pdq_from_file(grey)


def test_it_writes_the_first_bit_as_the_most_significant_bit_of_the_first_digit():
    bits = np.zeros(256, np.uint8)
    bits[0] = 1
    bits[255] = 1
    assert bits_to_hex(bits) == "8" + "0" * 62 + "1"


def test_it_counts_differing_bits():
    assert pdq_distance("f" * 64, "f" * 64) == 0
    assert pdq_distance("f" * 64, "0" * 64) == 256
    assert pdq_distance("8" + "0" * 63, "0" * 64) == 1


def test_it_hashes_near_copies_close_and_different_pictures_far(tmp_path):
    original = textured(7)
    brighter = np.clip(original.astype(np.int16) + 12, 0, 255).astype(np.uint8)
    smaller = np.asarray(Image.fromarray(original).resize((160, 120), Image.Resampling.BOX))
    base = pdq_of_rgb(original)
    assert pdq_distance(base.hex, pdq_of_rgb(brighter).hex) <= 10
    assert pdq_distance(base.hex, pdq_of_rgb(smaller).hex) <= 31
    assert pdq_distance(base.hex, pdq_of_rgb(textured(8)).hex) > 70


def test_it_refuses_arrays_that_are_not_rgb_bytes():
    with pytest.raises(ValueError):
        pdq_of_rgb(np.zeros((10, 10), np.uint8))
    with pytest.raises(ValueError):
        pdq_of_rgb(np.zeros((10, 10, 3), np.float32))
