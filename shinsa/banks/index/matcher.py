"""Matching queries against hash banks (pure: no Django; the bank tables feed it through ``load``).

Three kinds of bank: ``pdq`` (still-image PDQ hashes), ``video`` (a vPDQ-style list of frame hashes per
entry) and ``md5`` (exact file digests). One ``PdqIndex`` holds every PDQ entry of every bank, another
every frame of every video entry, searched at the largest threshold of any bank; each match is then
kept only within its own bank's threshold. Negative (known-benign) banks suppress: a query that matches
a negative bank gets no matches from the other banks of that kind.

An image query is tried in its eight dihedral variants (rotations and mirrors); the best (smallest
distance) variant per entry is reported. Video frames are tried as they are, as vPDQ does.

A video entry matches when at least ``video_min_percent`` of the query's distinct usable frames have a
frame of the entry within the threshold, or at least that share of the entry's distinct frames has one
in the query (so a short clip of a banked video and a banked clip inside a long upload are both found);
both fractions are reported, with the matched segment of the query (start and end in ms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shinsa.banks.index.kinds import BankKind, ProposedAction
from shinsa.banks.index.pdq_index import DEFAULT_RADIUS, PdqIndex, codes_from_hex
from shinsa.banks.index.values import parse_value

__all__ = ["BankInfo", "BankKind", "BankMatch", "BankMatcher", "ProposedAction", "QueryFrame"]

MIN_QUALITY = 50  # PDQ quality below this (flat or blurred pictures) matches everything: not evidence


@dataclass(frozen=True, kw_only=True)
class BankInfo:
    id: int
    name: str
    kind: BankKind
    policy_area: str
    severity: str
    threshold: int = DEFAULT_RADIUS
    negative: bool = False
    action: ProposedAction = ProposedAction.ENQUEUE
    priority: int = 0
    video_min_percent: float = 80.0


@dataclass(frozen=True, kw_only=True)
class QueryFrame:
    pdq: str
    quality: int
    start_ms: int
    end_ms: int


@dataclass(frozen=True, kw_only=True)
class BankMatch:
    bank: BankInfo
    entry_id: int
    label: str
    distance: int | None  # Hamming distance (pdq; for video the best frame); None for md5
    variant: str | None = None  # the dihedral variant of an image query that matched
    start_ms: int | None = None
    end_ms: int | None = None
    query_percent: float | None = None  # video: share of the query's frames found in the entry
    compared_percent: float | None = None  # video: share of the entry's frames found in the query
    entry_span_ms: tuple[int, int] | None = None  # video: the span of the entry's matched frames


class BankMatcher:
    """The banks and their entries in memory, kept up to date entry by entry."""

    def __init__(self, *, flat_below: int | None = None) -> None:
        self.banks: dict[int, BankInfo] = {}
        self._options = {} if flat_below is None else {"flat_below": flat_below}
        self._radius = DEFAULT_RADIUS
        self._pdq = PdqIndex(radius=self._radius, **self._options)
        self._frames = PdqIndex(radius=self._radius, **self._options)
        self._md5: dict[str, set[int]] = defaultdict(set)
        # Per entry only what matching reports: its bank, and its label when it has one.
        self._entries: dict[int, int] = {}  # entry id -> bank id
        self._labels: dict[int, str] = {}
        self._md5_of: dict[int, str] = {}
        self._frame_ids: dict[int, list[int]] = {}  # video entry id -> its frame ids in _frames
        self._frame_owner: dict[int, tuple[int, int]] = {}  # frame id -> (entry id, time in the entry)
        self._next_frame = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def index_stats(self) -> dict[str, object]:
        return {"pdq": self._pdq.stats.as_json(), "video_frames": self._frames.stats.as_json()}

    def set_banks(self, banks: Iterable[BankInfo]) -> None:
        """Replace the bank settings; entries of banks no longer listed are dropped."""
        new = {bank.id: bank for bank in banks}
        gone = set(self.banks) - set(new)
        self.banks = new
        if gone:
            for entry_id in [e for e, bank_id in self._entries.items() if bank_id in gone]:
                self.remove_entry(entry_id)
        radius = max((b.threshold for b in self.banks.values() if b.kind is not BankKind.MD5), default=0)
        if radius > self._radius:  # the indexes were built for a smaller radius: rebuild them
            self._radius = radius
            self._pdq = self._pdq.rebuilt(radius=radius)
            self._frames = self._frames.rebuilt(radius=radius)

    def load(self, entries: Iterable[tuple[int, int, str, str]]) -> None:
        """Index many active entries (entry id, bank id, value, label) at once: the PDQ indexes are built
        in one go instead of entry by entry. For an empty matcher (the first build of a process)."""
        pdq_ids: list[int] = []
        pdq_values: list[str] = []
        for entry_id, bank_id, value, label in entries:
            if self.banks[bank_id].kind is BankKind.PDQ:
                self._note(entry_id, bank_id, label)
                pdq_ids.append(entry_id)
                pdq_values.append(str(parse_value(BankKind.PDQ, value)))
            else:
                self.add_entry(entry_id, bank_id, value, label)
        if pdq_ids:
            self._pdq = PdqIndex.build(
                pdq_ids, codes_from_hex(pdq_values), radius=self._radius, **self._options
            )

    def add_entry(self, entry_id: int, bank_id: int, value: str, label: str = "") -> None:
        """Index one active entry (``value`` as stored: PDQ hex, vPDQ JSON, md5 hex); replaces it."""
        bank = self.banks[bank_id]
        parsed = parse_value(bank.kind, value)
        self.remove_entry(entry_id)
        self._note(entry_id, bank_id, label)
        if bank.kind is BankKind.MD5:
            self._md5[str(parsed)].add(entry_id)
            self._md5_of[entry_id] = str(parsed)
        elif bank.kind is BankKind.PDQ:
            self._pdq.add([entry_id], codes_from_hex([str(parsed)]))
        else:
            usable = [f for f in parsed if f.quality >= MIN_QUALITY]  # type: ignore[union-attr]
            frames = list(dict.fromkeys((f.pdq, round(f.time * 1000)) for f in usable))
            ids = list(range(self._next_frame, self._next_frame + len(frames)))
            self._next_frame += len(frames)
            self._frame_ids[entry_id] = ids
            for frame_id, (_pdq, start) in zip(ids, frames, strict=True):
                self._frame_owner[frame_id] = (entry_id, start)
            if frames:
                self._frames.add(ids, codes_from_hex(pdq for pdq, _start in frames))

    def _note(self, entry_id: int, bank_id: int, label: str) -> None:
        self._entries[entry_id] = bank_id
        if label:
            self._labels[entry_id] = label

    def _described(self, entry_id: int) -> tuple[BankInfo, str]:
        return self.banks[self._entries[entry_id]], self._labels.get(entry_id, "")

    def remove_entry(self, entry_id: int) -> None:
        if self._entries.pop(entry_id, None) is None:
            return
        self._labels.pop(entry_id, None)
        md5 = self._md5_of.pop(entry_id, None)
        if md5 is not None:
            self._md5[md5].discard(entry_id)
        self._pdq.remove([entry_id])
        frame_ids = self._frame_ids.pop(entry_id, [])
        self._frames.remove(frame_ids)
        for frame_id in frame_ids:
            self._frame_owner.pop(frame_id, None)

    # -- matching -------------------------------------------------------------------------------------

    def match_md5(self, md5: str) -> list[BankMatch]:
        found = []
        for entry_id in sorted(self._md5.get(md5.lower(), ())):
            bank, label = self._described(entry_id)
            found.append(BankMatch(bank=bank, entry_id=entry_id, label=label, distance=None))
        return _without_negatives(found)

    def match_image(self, variants: Sequence[tuple[str, str]], quality: int) -> list[BankMatch]:
        """Matches of one image given as (variant name, PDQ hex) pairs, the original first."""
        if quality < MIN_QUALITY or not variants:
            return []
        codes = codes_from_hex(hex_value for _name, hex_value in variants)
        found = self._pdq.search(codes)
        best: dict[int, tuple[int, int]] = {}  # entry -> (distance, variant row)
        for row, entry_id, distance in found.triples():
            bank = self.banks[self._entries[entry_id]]
            if distance <= bank.threshold and (entry_id not in best or distance < best[entry_id][0]):
                best[entry_id] = (distance, row)
        matches = [
            BankMatch(
                bank=self._described(entry_id)[0],
                entry_id=entry_id,
                label=self._described(entry_id)[1],
                distance=distance,
                variant=variants[row][0],
            )
            for entry_id, (distance, row) in sorted(best.items())
        ]
        return _without_negatives(matches)

    def match_frames(self, frames: Sequence[QueryFrame]) -> list[tuple[QueryFrame, BankMatch]]:
        """Each usable frame matched as a still image against the PDQ banks (original variant only)."""
        usable = [frame for frame in frames if frame.quality >= MIN_QUALITY]
        if not usable or not len(self._pdq):
            return []
        found = self._pdq.search(codes_from_hex(frame.pdq for frame in usable))
        per_frame: dict[int, list[BankMatch]] = defaultdict(list)
        for row, entry_id, distance in found.triples():
            bank, label = self._described(entry_id)
            if distance <= bank.threshold:
                per_frame[row].append(BankMatch(bank=bank, entry_id=entry_id, label=label, distance=distance))
        return [
            (usable[row], match) for row in sorted(per_frame) for match in _without_negatives(per_frame[row])
        ]

    def match_video(self, frames: Sequence[QueryFrame]) -> list[BankMatch]:
        """Video entries matching a video given as its sampled frames (see the module docstring)."""
        usable = [frame for frame in frames if frame.quality >= MIN_QUALITY]
        if not usable or not len(self._frames):
            return []
        distinct = list(dict.fromkeys(frame.pdq for frame in usable))
        found = self._frames.search(codes_from_hex(distinct))
        times: dict[str, list[QueryFrame]] = defaultdict(list)
        for frame in usable:
            times[frame.pdq].append(frame)
        query_rows: dict[int, set[int]] = defaultdict(set)
        entry_frames: dict[int, set[int]] = defaultdict(set)
        best: dict[int, int] = {}
        for row, frame_id, distance in found.triples():
            entry_id = self._frame_owner[frame_id][0]
            bank = self.banks[self._entries[entry_id]]
            if distance > bank.threshold:
                continue
            query_rows[entry_id].add(row)
            entry_frames[entry_id].add(frame_id)
            best[entry_id] = min(distance, best.get(entry_id, distance))
        matches = []
        for entry_id in sorted(query_rows):
            bank, label = self._described(entry_id)
            query_percent = 100.0 * len(query_rows[entry_id]) / len(distinct)
            compared_percent = 100.0 * len(entry_frames[entry_id]) / len(self._frame_ids[entry_id])
            if max(query_percent, compared_percent) < bank.video_min_percent:
                continue
            matched = [frame for row in query_rows[entry_id] for frame in times[distinct[row]]]
            entry_times = [self._frame_owner[f][1] for f in entry_frames[entry_id]]
            matches.append(
                BankMatch(
                    bank=bank,
                    entry_id=entry_id,
                    label=label,
                    distance=best[entry_id],
                    start_ms=min(frame.start_ms for frame in matched),
                    end_ms=max(frame.end_ms for frame in matched),
                    query_percent=round(query_percent, 2),
                    compared_percent=round(compared_percent, 2),
                    entry_span_ms=(min(entry_times), max(entry_times)),
                )
            )
        return _without_negatives(matches)


def _without_negatives(matches: list[BankMatch]) -> list[BankMatch]:
    """Nothing when a negative (known-benign) bank matched, else the matches as they are."""
    if any(match.bank.negative for match in matches):
        return []
    return matches
