"""shinsa.media.scenes: the adaptive cut rule on signatures we control (pure, no video)."""

from __future__ import annotations

import numpy as np

from shinsa.media.scenes import SceneCutDetector, frame_signature, plane_blocks, signature_distance


def flat(level: float) -> np.ndarray:
    return np.full((3, 18, 32), level, dtype=np.float32)


def feed(detector: SceneCutDetector, levels: list[float], *, frame_ms: int = 40) -> list[int]:
    cuts = []
    for index, level in enumerate(levels):
        if detector.push(flat(level), index, index * frame_ms) is not None:
            cuts.append(index)
    return cuts


def test_it_cuts_on_a_large_jump_in_a_quiet_shot_and_nowhere_else():
    levels = [100 + (i % 3) * 0.5 for i in range(30)] + [160 + (i % 3) * 0.5 for i in range(30)]
    detector = SceneCutDetector()
    assert feed(detector, levels) == [30]
    assert detector.cuts[0].pts_ms == 1200 and detector.cuts[0].score == 59.0  # 101 -> 160


def test_it_ignores_changes_below_the_floor_however_quiet_the_shot():
    assert feed(SceneCutDetector(), [100.0] * 20 + [111.0] * 20) == []


def test_it_needs_a_bigger_jump_in_a_busy_shot():
    busy = [100 + (i % 2) * 10 for i in range(40)]  # 10 levels of change every frame
    assert feed(SceneCutDetector(), busy + [busy[-1] + 25] * 10) == []  # 25 < 3 x 10
    assert feed(SceneCutDetector(), busy + [busy[-1] + 40] * 10) == [40]


def test_it_makes_one_cut_of_a_flash_not_two():
    levels = [50.0] * 20 + [220.0] + [50.0] * 20  # one white frame
    assert feed(SceneCutDetector(), levels) == [20]
    assert feed(SceneCutDetector(min_scene_ms=0), levels) == [20, 21]


def test_it_weighs_luma_as_much_as_both_chromas():
    previous = flat(100)
    luma_only, chroma_only = flat(100), flat(100)
    luma_only[0] += 40
    chroma_only[1] += 40
    assert signature_distance(previous, luma_only) == 20.0
    assert signature_distance(previous, chroma_only) == 10.0


def test_it_averages_blocks_of_any_plane_size():
    plane = np.zeros((1080, 1920), np.uint8)
    plane[:, 960:] = 200  # right half bright
    blocks = plane_blocks(plane)
    assert blocks.shape == (18, 32)
    assert np.all(blocks[:, :16] == 0) and np.all(blocks[:, 16:] == 200)
    tiny = plane_blocks(np.full((4, 6), 7, np.uint8))
    assert tiny.shape == (18, 32) and np.all(tiny == 7)
    signature = frame_signature(plane, plane[::2, ::2], plane[::2, ::2])
    assert signature.shape == (3, 18, 32)
