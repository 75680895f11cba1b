"""Subtitle documents the tests write to disk in every format and encoding, with the cues each must give."""

from __future__ import annotations

# A Japanese SRT as a Windows tool writes it: CRLF line ends, italics, a position tag borrowed from ASS,
# a reading inlined in parentheses (SRT has no ruby), and cues out of order.
JAPANESE_SRT = (
    "1\r\n"
    "00:00:01,000 --> 00:00:02,500\r\n"
    "星の海へ、出発だ。\r\n"
    "<i>待って！</i>\r\n"
    "\r\n"
    "2\r\n"
    "00:00:05,250 --> 00:00:07,000\r\n"
    '{\\an8}<font color="#ffff00">船長</font>、嵐が来ます。\r\n'
    "\r\n"
    "3\r\n"
    "00:00:03,000 --> 00:00:04,800\r\n"
    "漢字(かんじ)の読みは括弧の中。\r\n"
    "\r\n"
    "4\r\n"
    "01:02:03,004 --> 01:02:04,005\r\n"
    "――ここまでだな。\r\n"
    "\r\n"
)

JAPANESE_SRT_CUES = [
    {"start_ms": 1000, "end_ms": 2500, "text": "星の海へ、出発だ。\n待って！"},
    {"start_ms": 3000, "end_ms": 4800, "text": "漢字(かんじ)の読みは括弧の中。"},
    {"start_ms": 5250, "end_ms": 7000, "text": "船長、嵐が来ます。"},
    {"start_ms": 3723004, "end_ms": 3724005, "text": "――ここまでだな。"},
]

WEBVTT = """WEBVTT - 星の海 第1話

STYLE
::cue(.yellow) { color: yellow }

NOTE 翻訳メモ:
この行は表示されない

intro
00:01.000 --> 00:02.500 align:start line:0
<v 語り手><c.yellow>星の<ruby>海<rt>うみ</rt></ruby>へ</c> &amp; <i>出発</i>だ。
二行目の<00:02.000>カラオケ

1:00:00.000 --> 1:00:01.250 vertical:rl
<ruby>嵐<rp>(</rp><rt>あらし</rt><rp>)</rp></ruby>の前&lt;静けさ&gt;

00:00.500 --> 00:00.900
<lang en>Hello</lang>

NOTE 最後のメモ
"""

WEBVTT_CUES = [
    {"start_ms": 500, "end_ms": 900, "text": "Hello"},
    {"start_ms": 1000, "end_ms": 2500, "text": "星の海へ & 出発だ。\n二行目のカラオケ"},
    {"start_ms": 3600000, "end_ms": 3601250, "text": "嵐の前<静けさ>"},
]

_STYLE_TAIL = ",100,100,0,0,1,2,2,2,10,10,10,1\n"
_ASS_STYLES = (
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0"
    + _STYLE_TAIL
    # italic -1: the whole style is slanted
    + "Style: Slanted,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,-1,0,0"
    + _STYLE_TAIL
)

ASS = (
    "[Script Info]\n"
    "; Aegisub で作成\n"
    "Title: 星の海\n"
    "ScriptType: v4.00+\n"
    "\n"
    "[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
    "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
    "MarginL, MarginR, MarginV, Encoding\n" + _ASS_STYLES + "\n"
    "[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,"
    "{\\an8\\fad(200,200)}星の海へ、{\\i1}出発{\\i0}だ。\\N待って！\n"
    "Comment: 0,0:00:01.00,0:00:02.50,Default,,0,0,0,,翻訳者のコメント: 表示されない\n"
    "Dialogue: 0,0:00:00.12,0:00:00.57,Slanted,,0,0,0,,{\\k20}斜め{\\p1}m 0 0 l 100 0 100 100{\\p0}の字幕\n"
    "Dialogue: 1,1:00:00.00,1:00:01.99,Default,,0,0,0,,嵐の\\h前\n"
)

ASS_CUES = [
    {"start_ms": 120, "end_ms": 570, "text": "斜めの字幕"},
    {"start_ms": 1000, "end_ms": 2500, "text": "星の海へ、出発だ。\n待って！"},
    {"start_ms": 3600000, "end_ms": 3601990, "text": "嵐の 前"},
]

SSA = (
    "[Script Info]\n"
    "ScriptType: v4.00\n"
    "\n"
    "[V4 Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, TertiaryColour, BackColour, Bold, "
    "Italic, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, AlphaLevel, Encoding\n"
    "Style: Default,Arial,20,16777215,65535,65535,-2147483640,-1,0,1,3,0,2,30,30,30,0,128\n"
    "\n"
    "[Events]\n"
    "Format: Marked, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: Marked=0,0:00:02.00,0:00:03.50,Default,,0000,0000,0000,,待って！\\N置いていかないで\n"
    "Dialogue: Marked=0,0:00:00.50,0:00:01.00,Default,,0000,0000,0000,,はじめに\n"
)

SSA_CUES = [
    {"start_ms": 500, "end_ms": 1000, "text": "はじめに"},
    {"start_ms": 2000, "end_ms": 3500, "text": "待って！\n置いていかないで"},
]


def ttml(body: str, *, parameters: str = "", head: str = "") -> str:
    """An IMSC document with the usual namespaces around ``body`` (the content of <body>)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttp="http://www.w3.org/ns/ttml#parameter"\n'
        '    xmlns:tts="http://www.w3.org/ns/ttml#styling" xml:lang="ja" ' + parameters + ">\n"
        "<head>" + head + "</head>\n"
        "<body>" + body + "</body>\n"
        "</tt>\n"
    )


# Frame-based times at 23.976 fps (24 × 1000/1001), as Japanese IMSC deliveries use them, with ruby,
# a line break, an italic (tts:shear) style and a reference to it.
TTML_FRAMES = ttml(
    '<div><p begin="00:00:01:00" end="00:00:02:12">'
    '星の<span tts:ruby="container"><span tts:ruby="base">海</span>'
    '<span tts:ruby="delimiter">(</span><span tts:ruby="text">うみ</span>'
    '<span tts:ruby="delimiter">)</span></span>へ、出発だ。<br/>待って！</p>'
    '<p begin="240f" end="312f" style="slant">嵐の前</p></div>',
    parameters='ttp:frameRate="24" ttp:frameRateMultiplier="1000 1001"',
    head='<styling><style xml:id="slant" tts:shear="16.6667%"/></styling>',
)

TTML_FRAMES_CUES = [
    # 2 s + 12 frames at 24000/1001 fps = 2.5005 s -> 2501 ms (halves round up)
    {"start_ms": 1000, "end_ms": 2501, "text": "星の海へ、出発だ。\n待って！"},
    # 240 frames = 10.01 s; 312 frames = 13.013 s
    {"start_ms": 10010, "end_ms": 13013, "text": "嵐の前"},
]

# Tick-based times (10 MHz ticks, as many TTML exporters write), a timed <div>, dur and offsets in ms.
TTML_TICKS = ttml(
    '<div begin="10s">'
    '<p begin="5000000t" end="25000000t">十秒後の<span tts:fontStyle="italic">半秒</span>から</p>'
    '<p begin="3500ms" dur="1.25s">ミリ秒とdur</p>'
    "</div>"
    '<div><p begin="0.1s" end="0.2s">最初</p></div>',
    parameters='ttp:tickRate="10000000"',
)

TTML_TICKS_CUES = [
    {"start_ms": 100, "end_ms": 200, "text": "最初"},
    {"start_ms": 10500, "end_ms": 12500, "text": "十秒後の半秒から"},
    {"start_ms": 13500, "end_ms": 14750, "text": "ミリ秒とdur"},
]

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    "<!DOCTYPE tt [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">\n'
        for level in range(1, 10)
    )
    + "]>\n"
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&lol9;</p></div></body></tt>\n'
)

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE tt [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&secret;</p></div></body></tt>\n'
)

EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE tt SYSTEM "http://example.invalid/ttml.dtd">\n'
    '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">x</p></div></body></tt>\n'
)
