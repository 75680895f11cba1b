"""Language tags as containers write them (ISO 639-2, ``jpn``) to the BCP 47 primary subtags Shinsa
uses everywhere else (``ja``): review routing asks for a reviewer reading the item's language."""

from __future__ import annotations

# ISO 639-2 (bibliographic and terminology codes) -> ISO 639-1, for the languages a catalog meets
# most; other three-letter codes stay as they are (BCP 47 allows them where no two-letter code exists).
_TWO_LETTER = {
    "jpn": "ja", "eng": "en", "kor": "ko", "chi": "zh", "zho": "zh", "fre": "fr", "fra": "fr",
    "ger": "de", "deu": "de", "spa": "es", "ita": "it", "por": "pt", "rus": "ru", "ara": "ar",
    "hin": "hi", "tha": "th", "vie": "vi", "ind": "id", "may": "ms", "msa": "ms", "fil": "tl",
    "tgl": "tl", "dut": "nl", "nld": "nl", "swe": "sv", "nor": "no", "nob": "nb", "nno": "nn",
    "dan": "da", "fin": "fi", "pol": "pl", "cze": "cs", "ces": "cs", "slo": "sk", "slk": "sk",
    "hun": "hu", "rum": "ro", "ron": "ro", "gre": "el", "ell": "el", "tur": "tr", "heb": "he",
    "ukr": "uk", "bul": "bg", "hrv": "hr", "srp": "sr", "slv": "sl", "cat": "ca", "baq": "eu",
    "eus": "eu", "glg": "gl", "per": "fa", "fas": "fa", "urd": "ur", "ben": "bn", "tam": "ta",
    "tel": "te", "mal": "ml", "kan": "kn", "mar": "mr", "guj": "gu", "pan": "pa", "ice": "is",
    "isl": "is", "est": "et", "lav": "lv", "lit": "lt", "khm": "km", "lao": "lo", "bur": "my",
    "mya": "my", "mon": "mn",
}  # fmt: skip
# "undetermined", "uncoded", "no linguistic content", "multiple": no language to route by
_NO_LANGUAGE = {"und", "mis", "zxx", "mul", "qaa"}


def primary_language(tag: str | None) -> str | None:
    """``jpn`` -> ``ja``, ``ja-JP`` -> ``ja``, ``ain`` -> ``ain``; None for no usable language."""
    primary = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    if not primary.isascii() or not primary.isalpha() or primary in _NO_LANGUAGE:
        return None
    if len(primary) == 2:
        return primary
    if len(primary) == 3:
        return _TWO_LETTER.get(primary, primary)
    return None
