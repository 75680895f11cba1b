"""PDQ perceptual hashes (256 bits + quality 0-100) through the ``pdqhash`` bindings to Meta's C++ code.

The hex form is the one python-threatexchange's PDQ signal and the C++ ``Hash256::format`` write:
64 lower-case hex digits, the first bit of ``pdqhash.compute``'s vector the most significant bit of the
first digit. Two hashes are compared by Hamming distance (``pdq_distance``); REFERENCE.md section 5
gives the starting thresholds (match at 31 or less, ignore quality 49 or less).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash

from shinsa.media.images import load_still_image

PDQ_HEX_LENGTH = 64
MATCH_DISTANCE = 31
MIN_USEFUL_QUALITY = 50


@dataclass(frozen=True)
class PdqHash:
    hex: str
    quality: int


def pdq_of_rgb(pixels: np.ndarray) -> PdqHash:
    """PDQ of an RGB image given as a (height, width, 3) uint8 array."""
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"expected a (height, width, 3) uint8 array, got {pixels.shape} {pixels.dtype}")
    bits, quality = pdqhash.compute(np.ascontiguousarray(pixels))
    return PdqHash(hex=bits_to_hex(bits), quality=int(quality))


def pdq_of_image_file(path: Path | str) -> PdqHash:
    """PDQ of a still image as people see it (EXIF orientation applied, transparency on white)."""
    return pdq_of_rgb(load_still_image(path).rgb)


def bits_to_hex(bits: np.ndarray) -> str:
    """256 bits (most significant first) as 64 lower-case hex digits."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def pdq_distance(first: str, second: str) -> int:
    """Hamming distance between two PDQ hex strings."""
    return (int(first, 16) ^ int(second, 16)).bit_count()
