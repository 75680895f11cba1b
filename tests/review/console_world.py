"""A title version with real media for the console: a synthetic video with scene cuts, Japanese and
English subtitles that hit the lexicons, metadata, and review items on it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from shinsa.catalog.models import Asset, AssetVersion, TitleVersion
from shinsa.catalog.storage import store_file
from shinsa.review.actions import IncomingSignal, do_upsert_item
from shinsa.review.models import WorkItem

JA_CUES = [(0, 900, "こんにちは。"), (1000, 1900, "お前を殺してやる！"), (2000, 2900, "逃げて。")]
EN_CUES = [(0, 900, "Hello."), (1000, 1900, "I will kill you!"), (2000, 2900, "Run.")]


@dataclass(frozen=True)
class Media:
    video: AssetVersion
    ja: AssetVersion
    en: AssetVersion


def _store(version: TitleVersion, kind: str, path: Path, media_type: str, language: str = "") -> AssetVersion:
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    asset = Asset.objects.create(title_version=version, kind=kind, language=language)
    return AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(content),
        file=store_file(path, digest, path.suffix),
        media_type=media_type,
    )


def make_clip(folder: Path) -> Path:
    from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

    spec = ClipSpec(
        scenes=(Scene(frames=24, hue=0.0), Scene(frames=24, hue=0.5), Scene(frames=24, hue=0.2)),
        fps=Fraction(24),
    )
    return encode_clip(spec, folder / "clip.mp4").path


def add_media(version: TitleVersion, folder: Path, clip: Path | None = None) -> Media:
    from shinsa.media.synthetic import Cue, format_srt

    folder.mkdir(parents=True, exist_ok=True)
    clip = clip or make_clip(folder)
    files = {}
    for language, cues in (("ja", JA_CUES), ("en", EN_CUES)):
        path = folder / f"{language}.srt"
        path.write_text(format_srt([Cue(start, end, text) for start, end, text in cues]), encoding="utf-8")
        files[language] = path
    video = _store(version, "video", clip, "video/mp4")
    ja = _store(version, "subtitle", files["ja"], "application/x-subrip", "ja")
    en = _store(version, "subtitle", files["en"], "application/x-subrip", "en")
    return Media(video=video, ja=ja, en=en)


def make_item(
    version: TitleVersion, *, graphic: int = 1, area: str = "violence", ref: str = "hit-1"
) -> WorkItem:
    return do_upsert_item(
        actor="system",
        title_version=version,
        policy_area=area,
        territory="JP",
        language="ja",
        graphic_category="violence_gore" if graphic else "",
        graphic_level=graphic,
        signal=IncomingSignal(
            source="screening:lexicon", ref=ref, confidence=0.9, start_ms=1000, end_ms=1900
        ),
    )
