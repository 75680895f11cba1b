"""A title version with a real video (our synthetic encoder), subtitles with lexicon terms, metadata text,
artwork, and a corrupt video — stored the way ingest stores them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from shinsa.catalog.models import Asset, AssetVersion, Title, TitleVersion
from shinsa.catalog.storage import store_file
from shinsa.media.synthetic import ClipSpec, Cue, Scene, draw_poster, encode_clip, format_srt, write_text

CLIP = ClipSpec(
    scenes=(
        Scene(frames=48, hue=0.1, caption="One", texture=1),
        Scene(frames=36, hue=0.5, caption="Two", texture=2),
        Scene(frames=40, hue=0.8, caption="Three", texture=3),
    ),
    width=640,
    height=360,
)
SUBTITLE_CUES = [
    Cue(1000, 2500, "Good morning."),
    Cue(3000, 4200, "I will kill you, I swear."),
    Cue(5000, 6000, "What the fuck was that?"),
    Cue(7000, 8000, "Nothing at all."),
]


@pytest.fixture(scope="session")
def clip_file(tmp_path_factory) -> Path:
    return encode_clip(CLIP, tmp_path_factory.mktemp("pipeline") / "clip.mp4").path


def stored_version(
    title_version: TitleVersion,
    kind: str,
    source: Path | None,
    *,
    language: str = "",
    media_type: str = "",
    metadata: dict | None = None,
    name: str = "main",
) -> AssetVersion:
    asset, _ = Asset.objects.get_or_create(
        title_version=title_version, kind=kind, language=language, name=name
    )
    number = asset.versions.count() + 1
    if source is None:
        data = repr(metadata).encode()
        digest = hashlib.sha256(data).hexdigest()
        return AssetVersion.objects.create(
            asset=asset, number=number, sha256=digest, size_bytes=len(data), metadata=metadata
        )
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return AssetVersion.objects.create(
        asset=asset,
        number=number,
        sha256=digest,
        size_bytes=len(data),
        file=store_file(source, digest, source.suffix),
        media_type=media_type,
    )


@dataclass
class Catalog:
    title: Title
    cut: TitleVersion
    video: AssetVersion
    subtitle: AssetVersion
    metadata: AssetVersion
    artwork: AssetVersion


@pytest.fixture
def catalog(db, clip_file, tmp_path) -> Catalog:
    title = Title.objects.create(
        external_id="film-s", kind="film", original_title="S", original_language="en"
    )
    cut = TitleVersion.objects.create(title=title, label="original")
    srt = write_text(tmp_path / "en.srt", format_srt(SUBTITLE_CUES), encoding="utf-8")
    poster = draw_poster(tmp_path / "poster.png", title="S", hue=0.3)
    return Catalog(
        title=title,
        cut=cut,
        video=stored_version(cut, "video", clip_file, media_type="video/mp4"),
        subtitle=stored_version(cut, "subtitle", srt, language="en", media_type="application/x-subrip"),
        metadata=stored_version(
            cut,
            "metadata",
            None,
            language="en",
            metadata={"title": "S", "synopsis": "A story about cocaine and a heist.", "tags": ["crime"]},
        ),
        artwork=stored_version(cut, "artwork", poster, media_type="image/png"),
    )


def truncated_copy(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    return target
