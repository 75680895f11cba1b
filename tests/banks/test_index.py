"""The pure matching engine: the PDQ index (multi-index hashing and flat), the bank matcher, video matches."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import faiss
import numpy as np
import pdqhash
import pytest
from scipy.ndimage import gaussian_filter

from shinsa.banks.index.matcher import BankInfo, BankKind, BankMatcher, ProposedAction, QueryFrame
from shinsa.banks.index.multihash import MultiHashTables, plan_tables, substring_keys
from shinsa.banks.index.pdq_index import (
    DIHEDRAL_NAMES,
    BadHash,
    IndexKind,
    PdqIndex,
    codes_from_hex,
    dihedral_variants_of_hash,
    dihedral_variants_of_rgb,
)

RNG_SEED = 2026


def random_codes(count: int, seed: int = RNG_SEED) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (count, 32), dtype=np.uint8)


def flip_bits(code: np.ndarray, count: int, seed: int = 1) -> np.ndarray:
    bits = np.unpackbits(code)
    bits[np.random.default_rng(seed).choice(256, count, replace=False)] ^= 1
    return np.packbits(bits)


def flat_pairs(codes: np.ndarray, queries: np.ndarray, radius: int) -> set[tuple[int, int, int]]:
    flat = faiss.IndexBinaryFlat(256)
    flat.add(codes)
    lims, distances, labels = flat.range_search(queries, radius + 1)
    return {
        (row, int(labels[j]), int(distances[j]))
        for row in range(len(queries))
        for j in range(lims[row], lims[row + 1])
    }


def smooth_image(seed: int) -> np.ndarray:
    noise = np.random.default_rng(seed).random((180, 240, 3))
    picture = gaussian_filter(noise, (10, 10, 0))
    return ((picture - picture.min()) / (picture.max() - picture.min()) * 255).astype(np.uint8)


def pdq_hex(pixels: np.ndarray) -> str:
    bits, _quality = pdqhash.compute(np.ascontiguousarray(pixels))
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


# -- multi-index hashing -----------------------------------------------------------------------------


def test_it_plans_substrings_whose_radii_cover_the_search_radius():
    for count in (10, 1000, 10**6, 10**7):
        for radius in (0, 5, 31, 40):
            tables = plan_tables(count, radius)
            assert sum(t.radius + 1 for t in tables) >= radius + 1  # the pigeonhole condition
            assert all(t.width <= 24 for t in tables)
            offsets = [t.bit_offset for t in tables]
            assert offsets == sorted(offsets) and tables[-1].bit_offset + tables[-1].width <= 256


def test_it_extracts_substring_keys_in_bit_order():
    code = np.zeros((1, 32), dtype=np.uint8)
    code[0, 0] = 0b1010_0000
    code[0, 31] = 0b0000_0011
    assert substring_keys(code, 0, 4).tolist() == [0b1010]
    assert substring_keys(code, 252, 4).tolist() == [0b0011]
    assert substring_keys(code, 250, 6).tolist() == [0b000011]


@pytest.mark.parametrize("radius", [0, 8, 31])
def test_multi_index_hashing_finds_exactly_what_a_flat_scan_finds(radius):
    codes = random_codes(20_000)
    rng = np.random.default_rng(5)
    near = np.stack([flip_bits(codes[i], int(rng.integers(0, radius + 1)), seed=i) for i in range(0, 400, 2)])
    queries = np.concatenate([near, random_codes(200, seed=9)])
    tables = MultiHashTables(codes, radius)
    rows, positions, distances = tables.search(queries)
    ours = set(zip(rows.tolist(), positions.tolist(), distances.tolist(), strict=True))
    assert ours == flat_pairs(codes, queries, radius)
    assert {(row, 2 * row) for row in range(200)} <= {(r, p) for r, p, _d in ours}  # every planted one


def test_a_code_31_bits_away_is_found_and_32_bits_away_is_not():
    codes = random_codes(60_000)
    index = PdqIndex.build(np.arange(60_000) + 100, codes)
    assert index.stats.kind is IndexKind.MULTIHASH
    at_31 = flip_bits(codes[7], 31)
    at_32 = flip_bits(codes[7], 32)
    found = index.search(np.stack([at_31, at_32]))
    assert [(row, i, d) for row, i, d in found.triples() if i == 107] == [(0, 107, 31)]


# -- PdqIndex: incremental add, remove, tombstones, compaction ----------------------------------------


@pytest.mark.parametrize("flat_below", [10**9, 100])  # flat base, then a multi-hash base
def test_it_adds_and_removes_without_rebuilding_and_compacts_later(flat_below):
    codes = random_codes(3000)
    index = PdqIndex.build(np.arange(3000), codes, flat_below=flat_below, compact_min=10**9)
    assert index.stats.kind is (IndexKind.FLAT if flat_below > 3000 else IndexKind.MULTIHASH)
    extra = random_codes(5, seed=77)
    index.add([9001, 9002, 9003, 9004, 9005], extra)
    removed = index.remove([0, 1, 9002, 424242])
    assert removed == 3
    stats = index.stats
    assert (stats.live, stats.base, stats.delta, stats.tombstones) == (3002, 3000, 5, 3)
    assert index.compactions == 0

    found = index.search(np.concatenate([codes[:3], extra]))
    pairs = {(row, entry) for row, entry, _d in found.triples()}
    assert (0, 0) not in pairs and (1, 1) not in pairs and (2, 2) in pairs  # tombstones hide removed ids
    assert (3, 9001) in pairs and (4, 9002) not in pairs and (5, 9003) in pairs

    index.add([2], extra[4:5])  # re-adding an id replaces its code
    assert (0, 2) not in {(r, i) for r, i, _d in index.search(codes[2:3]).triples()}

    index.compact()
    stats = index.stats
    assert (stats.live, stats.base, stats.delta, stats.tombstones) == (3002, 3002, 0, 0)
    # Rows 0-2 are codes 0-2 (ids 0 and 1 removed, id 2 re-coded); rows 3-7 are the five extra codes.
    found = index.search(np.concatenate([codes[:3], extra]))
    assert {(r, i) for r, i, _d in found.triples()} == {(3, 9001), (5, 9003), (6, 9004), (7, 9005), (7, 2)}


def test_it_compacts_by_itself_once_changes_pass_the_ratio():
    index = PdqIndex.build(np.arange(1000), random_codes(1000), compact_ratio=0.1, compact_min=50)
    index.add(np.arange(5000, 5050), random_codes(50, seed=3))  # 50 < 10 % of 1000: not yet
    assert index.compactions == 0
    index.add(np.arange(6000, 6060), random_codes(60, seed=4))
    assert index.compactions == 1
    assert (index.stats.delta, index.stats.tombstones, index.stats.live) == (0, 0, 1110)


def test_it_refuses_a_bad_hash_and_a_radius_beyond_the_built_one():
    with pytest.raises(BadHash):
        codes_from_hex(["zz" * 32])
    with pytest.raises(BadHash):
        codes_from_hex(["ab" * 31])
    with pytest.raises(ValueError, match="radius"):
        PdqIndex(radius=10).search(random_codes(1), radius=11)


# -- dihedral variants -------------------------------------------------------------------------------


def test_dihedral_variants_from_pixels_are_the_hashes_of_the_turned_images():
    image = smooth_image(4)
    variants, quality = dihedral_variants_of_rgb(image)
    named = dict(variants)
    assert [name for name, _hex in variants] == list(DIHEDRAL_NAMES) and quality > 50
    assert named["original"] == pdq_hex(image)
    turned = {
        "rotate_90": np.rot90(image),
        "rotate_180": np.rot90(image, 2),
        "rotate_270": np.rot90(image, 3),
        "flip_vertical": image[::-1],
        "flip_horizontal": image[:, ::-1],
        "transpose": image.transpose(1, 0, 2),
        "anti_transpose": np.rot90(image, 2).transpose(1, 0, 2),
    }
    for name, pixels in turned.items():
        # PDQ derives the variants from one DCT, so each is close to (not always equal to) the hash of
        # the turned picture, and far from every other variant.
        actual = int(pdq_hex(pixels), 16)
        distances = {other: (int(value, 16) ^ actual).bit_count() for other, value in named.items()}
        assert min(distances, key=distances.__getitem__) == name
        assert distances[name] <= 40 and sorted(distances.values())[1] > 64, (name, distances)


def test_dihedral_variants_from_a_hash_alone_are_exact_for_the_transpose_and_close_for_mirrors():
    for seed in range(3):
        image = smooth_image(seed)
        from_hash = dict(dihedral_variants_of_hash(pdq_hex(image)))
        from_pixels = dict(dihedral_variants_of_rgb(image)[0])
        assert from_hash["original"] == from_pixels["original"]
        assert from_hash["transpose"] == from_pixels["transpose"]
        for name in DIHEDRAL_NAMES:
            distance = (int(from_hash[name], 16) ^ int(from_pixels[name], 16)).bit_count()
            assert distance <= 31, (name, distance)


# -- the bank matcher ----------------------------------------------------------------------------------


def bank(bank_id: int, kind: BankKind = BankKind.PDQ, **settings) -> BankInfo:
    return BankInfo(
        id=bank_id,
        name=f"bank{bank_id}",
        kind=kind,
        policy_area="violence",
        severity="high",
        **settings,
    )


def test_a_rotated_image_matches_its_banked_original_through_its_dihedral_variants():
    image = smooth_image(11)
    matcher = BankMatcher()
    matcher.set_banks([bank(1)])
    matcher.add_entry(10, 1, pdq_hex(image), "known")
    turned = np.rot90(image).copy()
    assert pdq_hex(turned) != pdq_hex(image)
    original_only = [("original", pdq_hex(turned))]
    assert matcher.match_image(original_only, 100) == []
    variants, quality = dihedral_variants_of_rgb(turned)
    (match,) = matcher.match_image(variants, quality)
    assert (match.entry_id, match.label, match.variant) == (10, "known", "rotate_270")
    assert match.distance <= 31


def test_each_bank_keeps_its_own_threshold_and_low_quality_matches_nothing():
    codes = random_codes(2)
    matcher = BankMatcher()
    matcher.set_banks([bank(1, threshold=10), bank(2, threshold=31)])
    matcher.add_entry(1, 1, codes[0].tobytes().hex())
    matcher.add_entry(2, 2, codes[0].tobytes().hex())
    query = [("original", flip_bits(codes[0], 20).tobytes().hex())]
    assert [m.entry_id for m in matcher.match_image(query, 90)] == [2]
    assert matcher.match_image(query, 49) == []  # PDQ quality under 50 is not evidence


def test_a_negative_bank_suppresses_matches():
    code = random_codes(1)[0].tobytes().hex()
    matcher = BankMatcher()
    matcher.set_banks([bank(1), bank(2, negative=True), bank(3, BankKind.MD5)])
    matcher.add_entry(1, 1, code)
    assert [m.entry_id for m in matcher.match_image([("original", code)], 100)] == [1]
    matcher.add_entry(2, 2, code)
    assert matcher.match_image([("original", code)], 100) == []
    matcher.remove_entry(2)
    assert [m.entry_id for m in matcher.match_image([("original", code)], 100)] == [1]
    matcher.add_entry(3, 3, "D41D8CD98F00B204E9800998ECF8427E")
    assert [m.entry_id for m in matcher.match_md5("d41d8cd98f00b204e9800998ecf8427e")] == [3]


def test_disabling_a_bank_drops_its_entries_and_an_illegal_bank_proposes_quarantine():
    code = random_codes(1)[0].tobytes().hex()
    matcher = BankMatcher()
    matcher.set_banks([bank(1, action=ProposedAction.QUARANTINE)])
    matcher.add_entry(1, 1, code)
    (match,) = matcher.match_image([("original", code)], 100)
    assert match.bank.action is ProposedAction.QUARANTINE
    matcher.set_banks([])
    assert len(matcher) == 0 and matcher.match_image([("original", code)], 100) == []


def vpdq_entry(codes: np.ndarray, quality: int = 100) -> str:
    return json.dumps([f"{code.tobytes().hex()},{quality},{second:.3f}" for second, code in enumerate(codes)])


def test_a_video_match_reports_its_segment_and_the_share_of_frames_matched_both_ways():
    banked = random_codes(10, seed=21)  # a 10-second banked clip
    matcher = BankMatcher()
    matcher.set_banks([bank(1, BankKind.VIDEO, video_min_percent=80)])
    matcher.add_entry(5, 1, vpdq_entry(banked), "clip")
    # The upload: 20 s of other frames, then frames 2..9 of the banked clip (slightly changed), 10 s more.
    other = random_codes(30, seed=22)
    inside = [flip_bits(code, 6, seed=i) for i, code in enumerate(banked[2:])]
    sequence = [*other[:20], *inside, *other[20:]]
    frames = [
        QueryFrame(pdq=code.tobytes().hex(), quality=90, start_ms=1000 * i, end_ms=1000 * (i + 1))
        for i, code in enumerate(sequence)
    ]
    (match,) = matcher.match_video(frames)
    assert (match.entry_id, match.label) == (5, "clip")
    assert (match.start_ms, match.end_ms) == (20_000, 28_000)
    assert match.compared_percent == 80.0  # 8 of the clip's 10 frames are in the upload
    assert match.query_percent == round(100 * 8 / 38, 2)  # 8 of the upload's 38 frames are the clip's
    assert match.entry_span_ms == (2000, 9000)
    # Only 7 of them: under 80 % both ways, no match.
    assert matcher.match_video(frames[:27]) == []


def test_the_pure_engine_imports_no_django():
    code = (
        "import sys\n"
        "import shinsa.banks.index.hits, shinsa.banks.index.csvfile, shinsa.banks.index.matcher\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]"]


def test_a_bulk_load_matches_like_entry_by_entry_and_a_wider_threshold_rebuilds_the_index():
    codes = random_codes(300, seed=31)
    rows = [(i + 1, 1, code.tobytes().hex(), f"e{i}") for i, code in enumerate(codes)]
    loaded, added = BankMatcher(flat_below=100), BankMatcher(flat_below=100)
    for matcher in (loaded, added):
        matcher.set_banks([bank(1)])
    loaded.load(rows)
    for row in rows:
        added.add_entry(*row)
    assert loaded.index_stats["pdq"]["kind"] == "multihash" and loaded.index_stats["pdq"]["delta"] == 0
    query = [("original", flip_bits(codes[42], 36).tobytes().hex())]
    assert loaded.match_image(query, 100) == added.match_image(query, 100) == []
    loaded.set_banks([bank(1, threshold=40)])
    (match,) = loaded.match_image(query, 100)
    assert (match.entry_id, match.label, match.distance) == (43, "e42", 36)


def test_frames_matching_a_still_image_entry_merge_into_one_segment():
    from shinsa.banks.index.hits import HashQuery, hits_for_query

    codes = random_codes(10, seed=41)
    matcher = BankMatcher()
    matcher.set_banks([bank(1, action=ProposedAction.QUARANTINE)])
    matcher.add_entry(7, 1, codes[0].tobytes().hex(), "still")
    sequence = [codes[1], codes[2], codes[3], *[flip_bits(codes[0], 5, seed=i) for i in range(4)], codes[4]]
    frames = [
        QueryFrame(pdq=code.tobytes().hex(), quality=80, start_ms=1000 * i, end_ms=1000 * (i + 1))
        for i, code in enumerate(sequence)
    ]
    (hit,) = hits_for_query(matcher, HashQuery(frames=frames))
    assert (hit.signal, hit.start_ms, hit.end_ms) == ("pdq", 3000, 7000)
    assert (
        hit.detail["frames"] == 4
        and hit.detail["action"] == "quarantine"
        and hit.detail["label"] == "bank1#7"
    )
