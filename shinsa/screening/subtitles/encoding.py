"""Text encoding of a subtitle file, found from its bytes (REFERENCE §4), never guessed silently.

The order, and why:

1. Byte-order mark: UTF-8 (``utf-8-sig``), UTF-16 LE/BE. A BOM is the writer's own statement.
2. BOM-less UTF-16 by its zero bytes: timecodes and digits are ASCII, so UTF-16 text has a zero in
   (nearly) every other byte, which no 8-bit encoding of text has.
3. Any other zero byte: binary data, refused.
4. Strict UTF-8: a legacy Japanese or Latin file almost never decodes as valid UTF-8 by accident, so
   success settles it (and pure ASCII is reported as ``utf-8``).
5. charset-normalizer, limited to what Japanese and English subtitles are written in: CP932 (Windows
   Shift_JIS; reported as ``cp932`` because Japanese tools write its extensions such as ① and ～),
   EUC-JP (older Unix sources), Windows-1252 and Latin-1 (English files from Windows tools: cp1252 is
   listed before Latin-1 so that its curly quotes do not become invisible C1 control characters).
   The winner must then decode the whole file strictly, or the file is refused.

The reported name is Python's canonical codec name (``codecs.lookup(name).name``).
"""

from __future__ import annotations

import codecs

import charset_normalizer

from shinsa.screening.subtitles.errors import Reason, SubtitleError

# (BOM, codec for the bytes after it, name reported)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# charset-normalizer's answers -> the codec we decode with. Shift_JIS variants are read as CP932, its
# Windows superset; anything else it might answer is refused.
_LEGACY = {
    "cp932": "cp932",
    "shift_jis": "cp932",
    "euc_jp": "euc_jp",
    "cp1252": "cp1252",
    "latin_1": "latin-1",
}
_CANDIDATES = ["cp932", "euc_jp", "cp1252", "latin_1"]
_UTF16_SAMPLE = 4096


def decode_subtitle_bytes(data: bytes) -> tuple[str, str]:
    """``(text, codec name)`` for the bytes of a subtitle file; raises ``SubtitleError`` (no path).

    A leading BOM is not part of the text. Decoding is strict: a byte that does not belong to the
    detected encoding refuses the file rather than turning into a replacement character.
    """
    for bom, codec, reported in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec), reported
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return _strict(data, utf16), _canonical(utf16)
    if b"\x00" in data:
        raise SubtitleError(None, Reason.BINARY)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason == "unexpected end of data":
            # Valid UTF-8 up to a last character cut in half: a truncated file, not a legacy one.
            raise SubtitleError(None, Reason.TRUNCATED_CHARACTER, encoding="UTF-8") from None
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    codec = _LEGACY.get(best.encoding) if best is not None else None
    if codec is None:
        raise SubtitleError(None, Reason.ENCODING_UNKNOWN)
    return _strict(data, codec), _canonical(codec)


def _strict(data: bytes, codec: str) -> str:
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason in ("truncated data", "unexpected end of data"):
            raise SubtitleError(None, Reason.TRUNCATED_CHARACTER, encoding=codec.upper()) from None
        raise SubtitleError(None, Reason.ENCODING_UNKNOWN) from None
    if "\x00" in text:
        raise SubtitleError(None, Reason.BINARY)
    return text


def _canonical(codec: str) -> str:
    return codecs.lookup(codec).name


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:_UTF16_SAMPLE]
    if len(sample) % 2:
        sample = sample[:-1]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    # Japanese characters have no zero byte, ASCII has one: allow a few U+xx00 characters on the
    # other side (U+3000, U+4E00 ...), but ask for many zeros on the ASCII side.
    if odd_zeros > half * 0.3 and even_zeros <= half * 0.02:
        return "utf-16-le"
    if even_zeros > half * 0.3 and odd_zeros <= half * 0.02:
        return "utf-16-be"
    return None
