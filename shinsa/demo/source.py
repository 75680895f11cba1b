"""Writes the demo's media, subtitles, artwork and manifest (``shinsa-manifest/1``) into one folder.

Pure (no Django). Deterministic: the same content and library versions give the same bytes, and a
folder whose fingerprint matches is left as it is, so a second run is quick and changes nothing.
Beside the manifest, ``truth.json`` records each clip's frame count and scene cuts: ground truth for
screening tests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from shinsa.demo.content import DEMO_TITLES, Clip, DemoTitle, SubtitleTrack, Version
from shinsa.media.synthetic import (
    ClipSpec,
    Cue,
    EncodedClip,
    Scene,
    SubtitleStreamSpec,
    draw_poster,
    encode_clip,
    format_ass,
    format_srt,
    format_webvtt,
    frame_time_ms,
    write_text,
)

MANIFEST_NAME = "manifest.json"
TRUTH_NAME = "truth.json"
FINGERPRINT_NAME = ".fingerprint"
GENERATOR_REVISION = "2"  # bump when this module changes what it writes
# The demo's two-letter languages as containers tag streams (ISO 639-2)
_CONTAINER_LANGUAGES = {"ja": "jpn", "en": "eng"}


@dataclass(frozen=True)
class DemoSource:
    root: Path
    manifest_path: Path
    truth: dict[str, dict[str, Any]]  # video path -> frame count, fps, cut frames and times
    regenerated: bool


def clip_spec(title: DemoTitle, clip: Clip) -> ClipSpec:
    scenes = tuple(
        Scene(
            frames=frames,
            hue=title.hue + 0.37 * index,
            caption=clip.captions[index] if index < len(clip.captions) else "",
            tone_hz=330.0 + 110.0 * index,
        )
        for index, frames in enumerate(clip.scene_frames)
    )
    duration_ms = frame_time_ms(sum(clip.scene_frames), clip.fps)
    streams = tuple(
        SubtitleStreamSpec(
            codec="mov_text",
            cues=tuple(subtitle_cues(track.lines, duration_ms)),
            language=_CONTAINER_LANGUAGES[track.language],
        )
        for track in clip.embedded
    )
    return ClipSpec(scenes=scenes, fps=clip.fps, subtitle_streams=streams)


def subtitle_cues(lines: tuple[str, ...], duration_ms: int) -> list[Cue]:
    """Spread the lines evenly over the clip, with a gap between cues."""
    slot = duration_ms // len(lines)
    gap = slot // 10
    return [Cue(n * slot + gap, (n + 1) * slot - gap, line) for n, line in enumerate(lines)]


def _stem(title: DemoTitle, version: Version) -> str:
    return title.id if version.label == "original" else f"{title.id}.{version.label}"


def _subtitle_file(root: Path, stem: str, track: SubtitleTrack, duration_ms: int, title: str) -> str:
    relative = f"subs/{stem}.{track.language}.{track.format}"
    cues = subtitle_cues(track.lines, duration_ms)
    if track.format == "ass":
        text = format_ass(cues, title=title)
    elif track.format == "vtt":
        text = format_webvtt(cues)
    else:
        text = format_srt(cues)
    write_text(root / relative, text, encoding=track.encoding, crlf=track.crlf)
    return relative


def _metadata_assets(title: DemoTitle) -> list[dict[str, Any]]:
    return [
        {
            "kind": "metadata",
            "language": m.language,
            "name": "main",
            "title": m.title,
            "synopsis": m.synopsis,
            "tags": list(m.tags),
        }
        for m in title.metadata
    ]


def _version_entry(root: Path, title: DemoTitle, version: Version, truth: dict[str, dict[str, Any]]) -> dict:
    stem = _stem(title, version)
    assets: list[dict[str, Any]] = []
    if version.clip is not None:
        relative = f"media/{stem}.mp4"
        clip: EncodedClip = encode_clip(clip_spec(title, version.clip), root / relative)
        assets.append({"kind": "video", "name": "main", "path": relative})
        truth[relative] = {
            "frame_count": clip.frame_count,
            "fps": f"{clip.fps.numerator}/{clip.fps.denominator}",
            "duration_ms": clip.duration_ms,
            "cut_frames": list(clip.cut_frames),
            "cut_times_ms": list(clip.cut_times_ms),
        }
        for track in version.subtitles:
            path = _subtitle_file(root, stem, track, clip.duration_ms, title.metadata[0].title)
            # encoding null: the catalog detects it (CP932 included) and records what it found.
            assets.append(
                {
                    "kind": "subtitle",
                    "language": track.language,
                    "name": "main",
                    "path": path,
                    "encoding": None,
                }
            )
    if title.poster is not None and version.label == "original":
        relative = f"art/{title.id}.{title.poster}"
        draw_poster(root / relative, title=title.metadata[0].title, hue=title.hue)
        assets.append({"kind": "artwork", "name": "poster", "path": relative})
    assets.extend(_metadata_assets(title))
    return {
        "label": version.label,
        "availability": [
            {"territory": t, "start": version.start, "end": version.end} for t in version.territories
        ],
        "assets": assets,
    }


def manifest_titles(
    root: Path, titles: tuple[DemoTitle, ...], truth: dict[str, dict[str, Any]]
) -> list[dict]:
    return [
        {
            "id": title.id,
            "kind": title.kind,
            "parent": title.parent,
            "number": title.number,
            "original_title": title.original_title,
            "original_language": title.original_language,
            "year": title.year,
            "external_ids": dict(title.external_ids),
            "versions": [_version_entry(root, title, version, truth) for version in title.versions],
        }
        for title in titles
    ]


def fingerprint(titles: tuple[DemoTitle, ...]) -> str:
    """Changes whenever the content, this generator or a library that shapes the bytes changes."""
    parts = [GENERATOR_REVISION, repr(titles), *(f"{p}={version(p)}" for p in ("av", "numpy", "pillow"))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def build_demo_source(root: Path, titles: tuple[DemoTitle, ...] = DEMO_TITLES) -> DemoSource:
    """Write every file of the demo catalog under ``root`` (kept when already up to date)."""
    manifest_path, truth_path, stamp = root / MANIFEST_NAME, root / TRUTH_NAME, root / FINGERPRINT_NAME
    expected = fingerprint(titles)
    if stamp.exists() and stamp.read_text() == expected and manifest_path.exists() and truth_path.exists():
        truth = json.loads(truth_path.read_text())
        if all((root / path).exists() for path in truth):
            return DemoSource(root, manifest_path, truth, regenerated=False)

    root.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)  # a half-written folder must never look up to date
    truth: dict[str, dict[str, Any]] = {}
    manifest = {"format": "shinsa-manifest/1", "titles": manifest_titles(root, titles, truth)}
    _remove_leftovers(root, manifest)
    truth_path.write_text(_dump(truth), encoding="utf-8")
    manifest_path.write_text(_dump(manifest), encoding="utf-8")
    stamp.write_text(expected)
    return DemoSource(root, manifest_path, truth, regenerated=True)


def _remove_leftovers(root: Path, manifest: dict) -> None:
    """Delete files an older demo version wrote that the manifest no longer names."""
    named = {
        asset["path"]
        for title in manifest["titles"]
        for version in title["versions"]
        for asset in version["assets"]
        if "path" in asset
    }
    for folder in ("media", "subs", "art"):
        for path in (root / folder).glob("*"):
            if path.is_file() and path.relative_to(root).as_posix() not in named:
                path.unlink()
