"""The classifier's own runner of NudeNet's model gives NudeNet's detections: the same model input from
RGB as NudeNet makes from BGR, and the same boxes, scores and labels from a model output."""

from __future__ import annotations

import numpy as np
import pytest

from tests.screening.signals.conftest import textured_rgb

nudenet = pytest.importorskip("nudenet.nudenet")
pytest.importorskip("onnxruntime")

from shinsa.screening.signals.classifier import NudeNetDetector  # noqa: E402


@pytest.fixture(scope="module")
def detector() -> NudeNetDetector:
    return NudeNetDetector()


@pytest.mark.parametrize(("height", "width"), [(360, 640), (640, 360), (300, 300), (1080, 1920)])
def test_the_model_input_is_nudenets(detector, height, width):
    rgb = textured_rgb(height + width, height, width)
    theirs = nudenet._read_image(np.ascontiguousarray(rgb[..., ::-1]), 320)[0]
    assert np.array_equal(detector.blob(rgb), theirs)


@pytest.mark.parametrize(("height", "width"), [(360, 640), (640, 360), (500, 500)])
def test_the_detections_are_nudenets(detector, height, width):
    rng = np.random.default_rng(height * width)
    output = np.zeros((1, 4 + len(detector.labels), 2100), np.float32)
    output[0, :2] = rng.uniform(0, 320, (2, 2100))  # box centres, some past the picture's edge
    output[0, 2:4] = rng.uniform(5, 160, (2, 2100))
    output[0, 4:] = rng.uniform(0, 0.3, (len(detector.labels), 2100))
    strong = rng.choice(2100, 40, replace=False)  # overlapping and separate strong candidates
    output[0, 4 + rng.integers(0, len(detector.labels), 40), strong] = rng.uniform(0.3, 1.0, 40)
    side = max(height, width)
    theirs = nudenet._postprocess(
        [output], side - width, side - height, side / width, side / height, width, height, 320, 320
    )
    mine = detector.detections(output, width=width, height=height)
    assert len(mine) > 5 and mine == theirs


def test_a_real_run_matches_nudenets_detector(detector):
    rgb = textured_rgb(7, 360, 640)
    assert detector.detect(rgb) == nudenet.NudeDetector().detect(np.ascontiguousarray(rgb[..., ::-1]))
