"""Hostile files for every parser and upload path: built by code (seeded), written into a tmp folder.

Each builder returns bytes; ``CASES`` names them per family. Nothing here is a fixture of a valid
file except as the base a truncation starts from (made by Shinsa's own synthetic media code).
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

BIDI = "\u202e\u2066\u2067\u2069\u200f"  # RLO, LRI, RLI, PDI, RLM
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int, *, idat: bytes | None = None) -> bytes:
    """A PNG whose header declares ``width``×``height`` RGB (valid CRCs); the pixel data is tiny or a bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = idat if idat is not None else zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def png_decompression_bomb() -> bytes:
    """20000×20000 RGB of zeros: 1.2 GB once inflated, about 1.2 MB compressed."""
    side = 20_000
    row = b"\x00" + b"\x00" * (side * 3)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(side)]
    parts.append(compressor.flush())
    return png_declaring(side, side, idat=b"".join(parts))


def small_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def small_video(folder: Path) -> bytes:
    from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

    path = folder / "base.mp4"
    if not path.exists():
        encode_clip(ClipSpec(scenes=(Scene(frames=24, hue=0.1), Scene(frames=24, hue=0.6))), path)
    return path.read_bytes()


def truncated(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def xlsx_zip_bomb() -> bytes:
    """An .xlsx whose sheet XML inflates to 1 GB of spaces (about 1 MB zipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * 1_048_576
            for _ in range(1024):
                sheet.write(block)
    return buffer.getvalue()


def deep_json(depth: int = 100_000) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def deep_json_object(depth: int = 50_000) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def srt(text: str) -> bytes:
    return f"1\n00:00:01,000 --> 00:00:02,000\n{text}\n\n".encode()


def srt_huge_line(size: int = 1_048_576) -> bytes:
    return srt("a" * size)


def srt_bidi() -> bytes:
    return srt(f"damn{ZERO_WIDTH}it {BIDI}reversed{BIDI}")


def utf16_without_bom() -> bytes:
    return srt("Hello there").decode().encode("utf-16-le")


def invalid_utf8() -> bytes:
    return srt("ok") + b"\xff\xfe\xc3\x28 \xe2\x82 invalid\n"


def manifest_json(titles: list[dict]) -> bytes:
    return json.dumps({"titles": titles}, ensure_ascii=False).encode()


def film(external_id: str, **fields: object) -> dict:
    entry = {
        "id": external_id,
        "kind": "film",
        "original_title": "Film",
        "original_language": "en",
        "year": 2020,
    }
    entry.update(fields)
    return entry


def manifest_bidi_id() -> bytes:
    return manifest_json([film(f"film{BIDI}1")])


def manifest_zero_width_id() -> bytes:
    return manifest_json([film("film\u200b-1")])


def manifest_huge_title() -> bytes:
    return manifest_json([film("film-1", original_title="x" * 1_048_576)])


def manifest_huge_csv_line() -> bytes:
    return b"id,kind,original_title\n" + b"film-1,film," + b"x" * 1_048_576 + b"\n"


def manifest_csv_nul() -> bytes:
    return b"id,kind,original_title\nfilm\x00-1,film,A\n"


def manifest_utf16_csv() -> bytes:
    return "id,kind,original_title,original_language,year\nfilm-1,film,A,en,2020\n".encode("utf-16")


def agreement_csv(rows: str) -> bytes:
    return ("unit,rater,label\n" + rows).encode()


def agreement_huge_line() -> bytes:
    return agreement_csv("u1,r1," + "x" * 1_048_576 + "\nu1,r2,b\n")


def agreement_bidi() -> bytes:
    return agreement_csv(f"u1,r1,a{BIDI}\nu1,r2,a\n")


def findings_deep() -> bytes:
    return deep_json_object(50_000)


Builder = Callable[[Path], bytes]

# family -> list of (case name, file suffix, builder)
MEDIA_CASES: list[tuple[str, str, Builder]] = [
    ("random-bytes.mp4", ".mp4", lambda d: random_bytes()),
    ("random-bytes.png", ".png", lambda d: random_bytes(seed=8)),
    ("empty.mp4", ".mp4", lambda d: b""),
    ("truncated-video", ".mp4", lambda d: truncated(small_video(d), 0.4)),
    ("video-header-only", ".mp4", lambda d: truncated(small_video(d), 0.02)),
    ("truncated-png", ".png", lambda d: truncated(small_png(), 0.5)),
    ("png-named-mp4", ".mp4", lambda d: truncated(small_png(), 0.6)),
    ("subtitle-named-png", ".png", lambda d: srt("hello")),
    ("image-bomb-100000x100000", ".png", lambda d: png_declaring(100_000, 100_000)),
    ("decompression-bomb-png", ".png", lambda d: png_decompression_bomb()),
    ("zero-size-png", ".png", lambda d: png_declaring(0, 0)),
]

SUBTITLE_CASES: list[tuple[str, str, Builder]] = [
    ("random-bytes", ".srt", lambda d: random_bytes(seed=9)),
    ("empty", ".srt", lambda d: b""),
    ("truncated-srt", ".srt", lambda d: srt("hello")[:20]),
    ("png-named-srt", ".srt", lambda d: small_png()),
    ("video-named-vtt", ".vtt", lambda d: truncated(small_video(d), 0.3)),
    ("invalid-utf8", ".srt", lambda d: invalid_utf8()),
    ("huge-line-1mb", ".srt", lambda d: srt_huge_line()),
    ("nul-bytes", ".srt", lambda d: srt("a\x00b") * 3),
    ("ttml-entity-bomb", ".ttml", lambda d: ttml_billion_laughs()),
    ("ttml-deep", ".ttml", lambda d: ttml_deep()),
]

# Inputs that are odd but legitimate: they must read (no error) and keep their text.
SUBTITLE_ODD_BUT_VALID: list[tuple[str, str, Builder]] = [
    ("bidi-zero-width", ".srt", lambda d: srt_bidi()),
    ("utf16-no-bom", ".srt", lambda d: utf16_without_bom()),
]


def ttml_billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE tt [{entities}]>'
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="00:00:01.000" end="00:00:02.000">'
        "&lol9;</p></div></body></tt>"
    ).encode()


def ttml_deep(depth: int = 100_000) -> bytes:
    return (
        '<?xml version="1.0"?><tt xmlns="http://www.w3.org/ns/ttml"><body><div>'
        + "<span>" * depth
        + "x"
        + "</span>" * depth
        + "</div></body></tt>"
    ).encode()


MANIFEST_CASES: list[tuple[str, str, Builder]] = [
    ("random-bytes.json", ".json", lambda d: random_bytes(seed=10)),
    ("random-bytes.csv", ".csv", lambda d: random_bytes(seed=11)),
    ("random-bytes.xlsx", ".xlsx", lambda d: random_bytes(seed=12)),
    ("empty.json", ".json", lambda d: b""),
    ("truncated.json", ".json", lambda d: manifest_json([film("film-1")])[:40]),
    ("deep-array.json", ".json", lambda d: deep_json()),
    ("deep-object.json", ".json", lambda d: deep_json_object()),
    ("bidi-id.json", ".json", lambda d: manifest_bidi_id()),
    ("zero-width-id.json", ".json", lambda d: manifest_zero_width_id()),
    ("huge-title.json", ".json", lambda d: manifest_huge_title()),
    ("huge-line.csv", ".csv", lambda d: manifest_huge_csv_line()),
    ("nul.csv", ".csv", lambda d: manifest_csv_nul()),
    ("utf16.csv", ".csv", lambda d: manifest_utf16_csv()),
    ("png-named.json", ".json", lambda d: small_png()),
    ("xlsx-named.csv", ".csv", lambda d: xlsx_zip_bomb()[:2048]),
    ("csv-named.xlsx", ".xlsx", lambda d: manifest_huge_csv_line()[:200]),
    ("zip-bomb.xlsx", ".xlsx", lambda d: xlsx_zip_bomb()),
    ("truncated.xlsx", ".xlsx", lambda d: truncated(_example_xlsx(), 0.5)),
]

AGREEMENT_CASES: list[tuple[str, str, Builder]] = [
    ("random-bytes", ".csv", lambda d: random_bytes(seed=13)),
    ("empty", ".csv", lambda d: b""),
    ("huge-line", ".csv", lambda d: agreement_huge_line()),
    ("bidi-label", ".csv", lambda d: agreement_bidi()),
    ("png-named-csv", ".csv", lambda d: small_png()),
    ("utf16", ".csv", lambda d: agreement_csv("u1,r1,a\nu1,r2,a\n").decode().encode("utf-16-le")),
    ("nul", ".csv", lambda d: agreement_csv("u1,r1,a\x00\nu1,r2,a\n")),
]

RATE_CASES: list[tuple[str, str, Builder]] = [
    ("random-bytes", ".json", lambda d: random_bytes(seed=14)),
    ("empty", ".json", lambda d: b""),
    ("deep-object", ".json", lambda d: findings_deep()),
    ("deep-array", ".json", lambda d: deep_json()),
    ("truncated", ".json", lambda d: b'{"findings": [{"descriptor": "violence'),
    ("png-named-json", ".json", lambda d: small_png()),
    ("huge-string", ".json", lambda d: json.dumps({"findings": [{"descriptor": "x" * 1_048_576}]}).encode()),
]


def _example_xlsx() -> bytes:
    return (Path(__file__).resolve().parents[2] / "docs" / "examples" / "manifest.xlsx").read_bytes()


def write_case(folder: Path, name: str, suffix: str, builder: Builder) -> Path:
    safe = name.replace("/", "_").rsplit(".", 1)[0] if name.endswith(suffix) else name
    path = folder / f"{safe}{suffix}"
    path.write_bytes(builder(folder))
    return path
