"""Encodings of real Japanese (and English) subtitle files, detected from their bytes."""

from __future__ import annotations

import codecs
import random

import pytest

from shinsa.screening.subtitles import Reason, SubtitleError, decode_subtitle_bytes, read_subtitle_file
from tests.screening.subtitles.samples import JAPANESE_SRT, JAPANESE_SRT_CUES


@pytest.mark.parametrize(
    ("codec", "bom", "reported"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("cp932", b"", "cp932"),
        ("shift_jis", b"", "cp932"),
        ("euc_jp", b"", "euc_jp"),
    ],
)
def test_it_reads_a_japanese_srt_in_every_encoding(write_subtitle, codec, bom, reported):
    path = write_subtitle("episode.srt", JAPANESE_SRT, codec, bom)
    track = read_subtitle_file(path)
    assert track.as_json() == {"format": "srt", "encoding": reported, "cues": JAPANESE_SRT_CUES}


def test_it_keeps_the_cp932_characters_shift_jis_lacks():
    # 0x8160 is ～ (U+FF5E) in CP932 and 〜 (U+301C) in Shift_JIS; ① and ㈱ exist only in CP932.
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n3～5話は㈱星の海の提供①です。\r\n"
    data = text.encode("cp932")
    assert decode_subtitle_bytes(data) == (text, "cp932")


def test_it_reads_a_windows_english_file_as_cp1252_not_latin_1():
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n\u201cDon\u2019t go,\u201d she said \u2014 caf\u00e9.\r\n"
    decoded, codec = decode_subtitle_bytes(text.encode("cp1252"))
    assert (decoded, codec) == (text, "cp1252")


def test_it_reports_the_canonical_codec_name():
    for data in (b"1\n", codecs.BOM_UTF8 + b"1\n", JAPANESE_SRT.encode("euc_jp")):
        _text, codec = decode_subtitle_bytes(data)
        assert codec == codecs.lookup(codec).name


def test_it_refuses_binary_garbage():
    garbage = random.Random(3).randbytes(64 * 1024)
    with pytest.raises(SubtitleError) as refused:
        decode_subtitle_bytes(garbage)
    assert refused.value.reason is Reason.BINARY


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "字幕のテスト".encode("utf-16-le") + b"\x41", "UTF-16-LE"),
        ("字幕のテスト".encode()[:-1], "UTF-8"),
        (codecs.BOM_UTF8 + "字幕のテスト".encode()[:-2], "UTF-8"),
    ],
)
def test_it_reports_a_file_cut_in_the_middle_of_a_character(data, encoding):
    with pytest.raises(SubtitleError) as refused:
        decode_subtitle_bytes(data)
    assert str(refused.value) == f"the file ends in the middle of a {encoding} character (is it cut short?)"
