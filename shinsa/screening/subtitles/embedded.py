"""Text subtitle streams inside a video container, read into the same cues as subtitle files.

MP4 ``mov_text`` (3GPP timed text, tx3g) and Matroska SRT, ASS/SSA and WebVTT streams: each packet is
one cue. Only the subtitle streams are demuxed: every other stream is set to be discarded by the
demuxer and nothing is decoded, so reading them costs one pass over the container's packet headers
(an MP4 skips the other samples without reading them). Pure: PyAV, no Django.

- **Time**: the packet's pts × the stream's time base, relative to the main video stream's start (as
  sampled frames are), rounded to the nearest millisecond; the end is pts + duration (a packet without
  a duration ends where the stream's next cue starts).
- **Text**: mov_text is a 16-bit big-endian length, the text, then style boxes (ignored); Matroska ASS
  blocks are ``ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text``, styled from the
  track's script header. Markup and ruby are read by the subtitle file readers' code: stripped in
  ``Cue.text``, kept in ``Cue.markup``.
- **Encoding**: containers say UTF-8, but legacy tools write CP932. A packet that is valid UTF-8 is
  read as UTF-8; the packets of a stream that are not are detected together the way a subtitle file's
  bytes are (``decode_subtitle_bytes``) and read with what that finds. A packet no encoding reads
  (garbage) is not a cue: it is counted in ``unreadable`` and the rest of the stream is still read.
- **Bitmap streams** (PGS, DVB, VobSub) are pictures of text: listed with a note, not read.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container

from shinsa.media.container import decode_failure, open_container
from shinsa.media.probe import (
    BITMAP,
    TEXT,
    check_complete,
    main_video_streams,
    subtitle_tracks_of,
)
from shinsa.media.probe import (
    SubtitleTrack as StreamInfo,
)
from shinsa.screening.subtitles.cues import CueTextBuilder, SubtitleTrack
from shinsa.screening.subtitles.detect import ASS, SRT, VTT
from shinsa.screening.subtitles.encoding import decode_subtitle_bytes
from shinsa.screening.subtitles.errors import Reason, StreamNote, SubtitleError
from shinsa.screening.subtitles.inline import AssStyle, read_ass_markup, read_html_markup
from shinsa.screening.subtitles.pysubs2_reader import RawCue, read_ass_header_styles
from shinsa.screening.subtitles.reader import MAX_SUBTITLE_BYTES, cues_of

MOV_TEXT, PLAIN = "mov_text", "text"
# FFmpeg decoder name -> how its packets are read (and the track's ``format``)
READABLE_CODECS = {
    "srt": SRT,
    "subrip": SRT,
    "ass": ASS,
    "ssa": ASS,
    "webvtt": VTT,
    "mov_text": MOV_TEXT,
    "text": PLAIN,
}
# All streams of one file together: bounds the memory a file with many huge streams can take.
MAX_TOTAL_BYTES = 3 * MAX_SUBTITLE_BYTES
# Packets whose encodings are detected one by one when detecting them together fails (bounds the time).
_VOTING_PACKETS = 500


@dataclass(frozen=True, kw_only=True)
class EmbeddedSubtitles:
    stream: StreamInfo
    track: SubtitleTrack | None  # None when the stream was not read (see ``note``)
    note: StreamNote | None = None
    unreadable: int = 0  # packets whose bytes no encoding reads: skipped, the rest of the stream read


def read_embedded_subtitles(
    path: Path | str, *, max_bytes: int = MAX_SUBTITLE_BYTES, max_total_bytes: int = MAX_TOTAL_BYTES
) -> tuple[EmbeddedSubtitles, ...]:
    """Every subtitle stream of the container at ``path``, text streams read into cues.

    Raises ``MediaError`` when the container cannot be opened or demuxed; a problem of one stream is
    that stream's ``note``.
    """
    path = Path(path)
    with open_container(path) as container:
        check_complete(path, container, path.stat().st_size)
        infos = subtitle_tracks_of(container)
        readable = {
            info.index: _Collected(info, max_bytes)
            for info in infos
            if info.kind == TEXT and info.codec in READABLE_CODECS
        }
        if readable:
            _demux(path, container, readable, max_total_bytes)
    results = []
    for info in infos:
        collected = readable.get(info.index)
        if collected is None:
            note = StreamNote.BITMAP if info.kind == BITMAP else StreamNote.CODEC_NOT_READ
            results.append(EmbeddedSubtitles(stream=info, track=None, note=note))
        else:
            results.append(collected.finish())
    return tuple(results)


@dataclass
class _Packet:
    start_ms: int
    end_ms: int | None
    data: bytes


class _Collected:
    """One text stream's packets as they are demuxed, then its cues."""

    def __init__(self, info: StreamInfo, max_bytes: int) -> None:
        self.info, self.max_bytes = info, max_bytes
        self.format = READABLE_CODECS[info.codec]
        self.packets: list[_Packet] = []
        self.size = 0
        self.unreadable = 0
        self.too_large = False
        self.header = ""

    def add(self, packet: av.Packet, offset: Fraction) -> None:
        if self.too_large or packet.size == 0:
            return  # flush packets at the end of the stream carry nothing
        data = bytes(packet)
        if packet.pts is None:
            self.unreadable += 1
            return
        if self.format == MOV_TEXT:
            length = int.from_bytes(data[:2], "big")
            if len(data) < 2 or 2 + length > len(data):
                self.unreadable += 1
                return
            data = data[2 : 2 + length]
            if not data:
                return  # an empty sample: the gap between two cues
        self.size += len(data)
        if self.size > self.max_bytes:
            self.too_large, self.packets = True, []
            return
        time_base = Fraction(packet.time_base)
        start = _ms(packet.pts * time_base - offset)
        end = _ms((packet.pts + packet.duration) * time_base - offset) if packet.duration else None
        self.packets.append(_Packet(start, end, data))

    def finish(self) -> EmbeddedSubtitles:
        if self.too_large:
            return EmbeddedSubtitles(stream=self.info, track=None, note=StreamNote.TOO_LARGE)
        legacy = _legacy_codec([p.data for p in self.packets if not _is_utf8(p.data)])
        styles = read_ass_header_styles(self.header) if self.format == ASS and self.header else {}
        ordered = sorted(self.packets, key=lambda p: p.start_ms)
        raw: list[RawCue] = []
        used: Counter[str] = Counter()
        for number, packet in enumerate(ordered, 1):
            decoded = _decoded(packet.data, legacy)
            if decoded is None:
                self.unreadable += 1
                continue
            text, codec = decoded
            used[codec] += 1
            end = packet.end_ms
            if end is None:
                end = next((p.start_ms for p in ordered[number:] if p.start_ms > packet.start_ms), None)
            raw.append(
                (
                    packet.start_ms,
                    max(end or packet.start_ms, packet.start_ms),
                    self._cue(text, styles),
                    number,
                )
            )
        try:
            cues = cues_of(raw)
        except SubtitleError as error:
            if error.reason != Reason.NO_CUES:
                raise
            return EmbeddedSubtitles(
                stream=self.info, track=None, note=StreamNote.NO_CUES, unreadable=self.unreadable
            )
        # The encoding most cues were read in (a stray packet read as Latin-1 does not rename a stream).
        encoding = max(used, key=lambda codec: (used[codec], codec == "utf-8"))
        track = SubtitleTrack(format=self.format, encoding=encoding, cues=cues)
        return EmbeddedSubtitles(stream=self.info, track=track, unreadable=self.unreadable)

    def _cue(self, text: str, styles: dict[str, AssStyle]) -> CueTextBuilder:
        builder = CueTextBuilder()
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if self.format == SRT:
            read_html_markup(builder, text, entities=False)
        elif self.format == VTT:
            read_html_markup(builder, text, entities=True)
        elif self.format == ASS:
            fields = text.split(",", 8)
            style_name = fields[2] if len(fields) == 9 else ""
            body = fields[8] if len(fields) == 9 else text
            read_ass_markup(builder, body, style=styles.get(style_name, AssStyle()), styles=styles)
        else:  # mov_text and plain text: no markup in the text itself
            for number, line in enumerate(text.split("\n")):
                if number:
                    builder.line_break()
                builder.text(line)
        return builder


def _demux(
    path: Path, container: av.container.InputContainer, readable: dict[int, _Collected], max_total: int
) -> None:
    videos = main_video_streams(container)
    offset = Fraction(videos[0].start_time or 0) * Fraction(videos[0].time_base) if videos else Fraction(0)
    wanted = [stream for stream in container.streams if stream.index in readable]
    for stream in container.streams:
        if stream.index not in readable:
            stream.discard = av.stream.Discard.all
    for stream in wanted:
        extradata = stream.codec_context.extradata if stream.codec_context is not None else None
        if extradata:
            readable[stream.index].header = extradata[:65536].decode("utf-8", errors="replace")
    total, at_ms = 0, None
    try:
        for packet in container.demux(*wanted):
            collected = readable[packet.stream.index]
            before = collected.size
            collected.add(packet, offset)
            total += collected.size - before
            if collected.packets:
                at_ms = collected.packets[-1].start_ms
            if total > max_total:
                for other in readable.values():
                    other.too_large, other.packets = True, []
                return
    except av.error.FFmpegError as error:
        raise decode_failure(path, error, at_ms) from None


def _ms(seconds: Fraction) -> int:
    """Whole milliseconds, halves up; never before the start of the video."""
    return max(0, math.floor(seconds * 1000 + Fraction(1, 2)))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_codec(payloads: list[bytes]) -> str | None:
    """The encoding of a stream's packets that are not UTF-8, found as a subtitle file's would be.

    Together first (short cues say little alone). When garbage packets spoil that, the packets that
    are text on their own are tried together again, then their own verdicts vote; so a planted
    garbage packet cannot hide the rest of a stream from screening.
    """
    if not payloads:
        return None
    try:
        return decode_subtitle_bytes(b"\n".join(payloads))[1]
    except SubtitleError:
        pass
    verdicts = [(payload, _codec_alone(payload)) for payload in payloads[:_VOTING_PACKETS]]
    readable = [payload for payload, codec in verdicts if codec is not None]
    if readable and len(readable) < len(verdicts):
        try:
            return decode_subtitle_bytes(b"\n".join(readable))[1]
        except SubtitleError:
            pass
    votes = Counter(codec for _payload, codec in verdicts if codec is not None)
    return votes.most_common(1)[0][0] if votes else None


def _codec_alone(payload: bytes) -> str | None:
    try:
        return decode_subtitle_bytes(payload)[1]
    except SubtitleError:
        return None


def _decoded(data: bytes, legacy: str | None) -> tuple[str, str] | None:
    """(text, encoding) of one packet: UTF-8 when it is valid UTF-8, else the stream's legacy encoding."""
    for codec in ("utf-8", legacy):
        if codec is None:
            continue
        try:
            text = data.decode(codec.removesuffix("-sig"))
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, codec
    return None
