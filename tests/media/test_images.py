"""shinsa.media.images: still images upright, on white, first GIF frame, bounded memory, typed errors."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.images import MAX_PIXELS, load_still_image, still_image_format
from shinsa.media.synthetic import draw_poster

# What each EXIF orientation asks a viewer to do, undone to make the stored pixels of an upright picture.
STORED_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.fixture
def upright(tmp_path) -> Image.Image:
    return Image.open(draw_poster(tmp_path / "poster.png", title="The Iron Castle", hue=0.6)).convert("RGB")


@pytest.mark.parametrize("orientation", sorted(STORED_FOR_ORIENTATION))
def test_it_applies_the_exif_orientation(tmp_path, upright, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = upright.transpose(STORED_FOR_ORIENTATION[orientation])
    stored.save(tmp_path / "tagged.png", exif=exif)

    image = load_still_image(tmp_path / "tagged.png")
    assert (image.format, image.width, image.height) == ("PNG", stored.width, stored.height)
    assert np.array_equal(image.rgb, np.asarray(upright))


def test_it_composites_transparency_on_white(tmp_path):
    pixels = np.zeros((40, 60, 4), np.uint8)  # fully transparent black
    pixels[10:30, 20:40] = (255, 0, 0, 255)  # an opaque red square
    pixels[0:10, 0:10] = (0, 0, 255, 128)  # half-transparent blue
    Image.fromarray(pixels, "RGBA").save(tmp_path / "alpha.png")

    rgb = load_still_image(tmp_path / "alpha.png").rgb
    assert rgb.shape == (40, 60, 3)
    assert tuple(rgb[39, 59]) == (255, 255, 255)
    assert tuple(rgb[20, 30]) == (255, 0, 0)
    assert tuple(rgb[5, 5]) == (127, 127, 255)


def test_it_puts_a_palette_images_transparent_colour_on_white(tmp_path):
    image = Image.new("P", (20, 20), 0)
    image.putpalette([0, 0, 0, 10, 200, 10] + [0] * 762)
    image.paste(1, (0, 0, 10, 20))
    image.save(tmp_path / "keyed.gif", transparency=0)
    rgb = load_still_image(tmp_path / "keyed.gif").rgb
    assert tuple(rgb[5, 2]) == (10, 200, 10) and tuple(rgb[5, 15]) == (255, 255, 255)


def test_it_takes_the_first_frame_of_an_animated_gif(tmp_path):
    frames = [Image.new("RGB", (32, 24), colour) for colour in [(200, 0, 0), (0, 200, 0), (0, 0, 200)]]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = load_still_image(tmp_path / "anim.gif")
    assert image.format == "GIF" and tuple(image.rgb[10, 10]) == (200, 0, 0)


def test_it_reads_grey_and_sixteen_bit_images_as_rgb(tmp_path):
    Image.new("L", (16, 8), 90).save(tmp_path / "grey.png")
    assert tuple(load_still_image(tmp_path / "grey.png").rgb[0, 0]) == (90, 90, 90)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels but holds almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_it_refuses_a_png_declaring_100000_by_100000_pixels_before_decoding(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(100_000, 100_000))
    with pytest.raises(MediaError) as caught:
        load_still_image(bomb)
    assert caught.value.kind is MediaProblem.TOO_LARGE
    assert caught.value.detail == "10,000,000,000 pixels; the limit is 64,000,000"


def test_it_refuses_more_than_its_own_limit_even_below_pillows(tmp_path):
    big = tmp_path / "big.png"
    big.write_bytes(png_declaring(8_001, 8_000))
    assert 8_001 * 8_000 > MAX_PIXELS
    with pytest.raises(MediaError) as caught:
        load_still_image(big)
    assert caught.value.kind is MediaProblem.TOO_LARGE and "8001 x 8000" in caught.value.detail


def test_it_decodes_a_large_jpeg_at_a_reduced_scale(tmp_path, upright):
    upright.resize((5200, 7800)).save(tmp_path / "large.jpg", quality=80)
    image = load_still_image(tmp_path / "large.jpg")
    assert (image.width, image.height) == (5200, 7800)
    assert image.rgb.shape[0] * image.rgb.shape[1] <= 16_000_000
    assert image.rgb.shape[1] * 7800 == pytest.approx(image.rgb.shape[0] * 5200, rel=0.01)


def test_it_calls_a_png_that_stops_early_truncated(tmp_path, upright):
    upright.save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError) as caught:
        load_still_image(tmp_path / "cut.png")
    assert caught.value.kind is MediaProblem.TRUNCATED


def test_it_knows_still_images_from_other_files(tmp_path, upright):
    upright.save(tmp_path / "a.webp")
    upright.save(tmp_path / "a.jpg")
    (tmp_path / "a.txt").write_text("not a picture")
    assert still_image_format(tmp_path / "a.webp") == "WEBP"
    assert still_image_format(tmp_path / "a.jpg") == "JPEG"
    assert still_image_format(tmp_path / "a.txt") is None


def test_it_calls_an_empty_or_missing_file_what_it_is(tmp_path: Path):
    (tmp_path / "empty.png").touch()
    with pytest.raises(MediaError) as caught:
        load_still_image(tmp_path / "empty.png")
    assert caught.value.kind is MediaProblem.EMPTY
    with pytest.raises(MediaError) as caught:
        load_still_image(tmp_path / "none.png")
    assert caught.value.kind is MediaProblem.MISSING
