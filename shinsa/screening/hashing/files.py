"""``hash_file``: the hashes of one media file, as ``shinsa hash FILE --json`` prints them.

A still image (PNG, JPEG, WebP, a GIF's first frame, BMP, TIFF) gets one PDQ hash; anything else is
decoded as video and gets a PDQ hash per second of presentation time. Both get the file's MD5.
Images need only Pillow and pdqhash; video needs PyAV (the optional ``media`` extra), imported on use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shinsa.media.errors import MediaError, MediaProblem
from shinsa.media.images import still_image_format
from shinsa.media.paths import check_regular_file
from shinsa.screening.hashing.digests import file_digests
from shinsa.screening.hashing.pdq import PdqHash, pdq_of_image_file
from shinsa.screening.hashing.vpdq import VpdqFeature, vpdq_of_video_file


@dataclass(frozen=True)
class ImageHashes:
    md5: str
    sha256: str
    pdq: PdqHash

    def to_json(self) -> dict[str, Any]:
        return {"kind": "image", "pdq": self.pdq.hex, "quality": self.pdq.quality, "md5": self.md5}


@dataclass(frozen=True)
class VideoHashes:
    md5: str
    sha256: str
    frames: tuple[VpdqFeature, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "video",
            "md5": self.md5,
            "frames": [{"t": f.time, "pdq": f.pdq, "quality": f.quality} for f in self.frames],
        }


def hash_file(path: Path | str) -> ImageHashes | VideoHashes:
    """Hash a still image or a video; ``MediaError`` when the file is neither, or is cut short or broken."""
    path = Path(path)
    check_regular_file(path)
    if still_image_format(path) is not None:
        pdq = pdq_of_image_file(path)
        digests = file_digests(path)
        return ImageHashes(md5=digests.md5, sha256=digests.sha256, pdq=pdq)
    try:
        frames = tuple(vpdq_of_video_file(path))
    except ModuleNotFoundError as error:
        if error.name != "av":
            raise
        raise MediaError(
            path, MediaProblem.UNSUPPORTED, "decoding video needs PyAV (the media extra)"
        ) from None
    digests = file_digests(path)
    return VideoHashes(md5=digests.md5, sha256=digests.sha256, frames=frames)
