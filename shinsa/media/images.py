"""Still images as people see them: EXIF orientation applied, transparency on white, a GIF's first frame.

Memory is bounded: the pixel count is checked from the header before anything is decoded, and images
above ``REDUCE_ABOVE_PIXELS`` are decoded at a reduced scale (JPEG) or box-reduced by a whole factor,
which PDQ's own first step (box filters down to 64 x 64) barely notices.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.paths import check_regular_file

STILL_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # JPEG includes MPO (phone photos)
MAX_PIXELS = 64_000_000  # 8000 x 8000; more is refused before decoding
REDUCE_ABOVE_PIXELS = 16_000_000  # decoded at a reduced scale above this (about 4000 x 4000)


@dataclass(frozen=True, kw_only=True, eq=False)
class StillImage:
    format: str  # Pillow's name: PNG, JPEG, WEBP, GIF, ...
    width: int  # as stored, before orientation
    height: int
    rgb: np.ndarray  # (height, width, 3) uint8, upright, on white where it was transparent


def still_image_format(path: Path) -> str | None:
    """The still-image format of ``path`` from its header, or None when it is not one we read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=STILL_FORMATS) as image:
                return image.format
    except Image.DecompressionBombError:
        return "oversized"  # an image, but one we refuse: load_still_image says so
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def load_still_image(path: Path | str) -> StillImage:
    """Decode a still image to upright RGB; ``MediaError`` when it is not one, too large, cut or broken."""
    path = Path(path)
    check_regular_file(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's own warnings (EXIF, palette) must not reach stderr
        try:
            with Image.open(path, formats=STILL_FORMATS) as image:
                return _decode(path, image)
        except Image.DecompressionBombError as error:
            declared = re.search(r"\((\d+) pixels\)", str(error))
            size = f"{int(declared.group(1)):,} pixels" if declared else "far more pixels"
            raise MediaError(path, MediaProblem.TOO_LARGE, f"{size}; the limit is {MAX_PIXELS:,}") from None
        except UnidentifiedImageError:
            raise MediaError(
                path, MediaProblem.NOT_MEDIA, "not a PNG, JPEG, WebP, GIF, BMP or TIFF image"
            ) from None
        except MemoryError:
            raise MediaError(path, MediaProblem.TOO_LARGE, "not enough memory to decode it") from None
        except (OSError, ValueError, SyntaxError, EOFError) as error:
            raise _decode_problem(path, error) from None


def _decode(path: Path, image: Image.Image) -> StillImage:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise MediaError(
            path, MediaProblem.TOO_LARGE, f"{width} x {height} pixels; the limit is {MAX_PIXELS:,}"
        )
    stored_format = image.format or "unknown"
    turn = _ORIENTATION_TRANSPOSE.get(image.getexif().get(_EXIF_ORIENTATION, 1))
    if width * height > REDUCE_ABOVE_PIXELS and image.format == "JPEG":
        factor = math.ceil(math.sqrt(width * height / REDUCE_ABOVE_PIXELS))
        image.draft("RGB", (width // factor, height // factor))  # the decoder scales by 1/2, 1/4 or 1/8
    image = _on_white(image)
    if image.width * image.height > REDUCE_ABOVE_PIXELS:
        image = image.reduce(math.ceil(math.sqrt(image.width * image.height / REDUCE_ABOVE_PIXELS)))
    if turn is not None:
        image = image.transpose(turn)
    return StillImage(format=stored_format, width=width, height=height, rgb=np.asarray(image))


# EXIF orientation (tag 0x0112) -> the transpose that shows the picture upright, as ImageOps.exif_transpose.
_EXIF_ORIENTATION = 0x0112
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _on_white(image: Image.Image) -> Image.Image:
    """Decode and flatten to RGB, compositing any transparency over white."""
    if image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    return image if image.mode == "RGB" else image.convert("RGB")


def _decode_problem(path: Path, error: Exception) -> MediaError:
    reason = str(error) or type(error).__name__
    if "truncated" in reason.lower() or isinstance(error, EOFError):
        return MediaError(path, MediaProblem.TRUNCATED, "the image data stops early")
    return MediaError(path, MediaProblem.CORRUPT, reason)
