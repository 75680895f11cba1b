"""Text encoding detection for CSV manifests (subtitle files use ``shinsa.screening.subtitles.encoding``).

Order (see REFERENCE §4): byte-order mark, then BOM-less UTF-16 by its zero bytes, then strict UTF-8,
then charset-normalizer limited to the Japanese legacy encodings (CP932, EUC-JP). Shift_JIS is read as
CP932, its Windows superset, which is what Japanese tools write. Anything else is refused rather than
guessed, because a wrong guess silently changes characters.
"""

from __future__ import annotations

import codecs

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's names for the Japanese families -> the codec we decode with.
_JAPANESE = {
    "cp932": "cp932",
    "shift_jis": "cp932",
    "shift_jis_2004": "cp932",
    "shift_jisx0213": "cp932",
    "euc_jp": "euc_jp",
    "euc_jis_2004": "euc_jp",
    "euc_jisx0213": "euc_jp",
}


class BinaryData(Exception):
    """The bytes are not text at all."""


def _bomless_utf16(data: bytes) -> str | None:
    # Mostly-ASCII text in UTF-16 has a zero in every other byte; binary files have zeros anywhere.
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > half * 0.3 and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > half * 0.3 and odd_zeros == 0:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str | None:
    """The codec that decodes ``data`` (strictly), or None when it cannot be told.

    Raises ``BinaryData`` for bytes that are clearly not text (zero bytes outside UTF-16).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise BinaryData
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=["cp932", "euc_jp"]).best()
    if best is None:
        return None
    codec = _JAPANESE.get(best.encoding)
    if codec is None:
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def decode(data: bytes, codec: str) -> str:
    """Strict decoding; raises UnicodeDecodeError rather than replacing characters."""
    return data.decode(codec, errors="strict")
