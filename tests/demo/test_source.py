"""shinsa.demo.source: the demo folder and its manifest, made by our own code."""

from __future__ import annotations

import hashlib
import re

import charset_normalizer
import numpy as np
import pytest

from shinsa.demo.source import FINGERPRINT_NAME, build_demo_source

ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def assets(manifest: dict, kind: str) -> list[tuple[dict, dict]]:
    return [
        (title, asset)
        for title in manifest["titles"]
        for version in title["versions"]
        for asset in version["assets"]
        if asset["kind"] == kind
    ]


def test_it_writes_a_manifest_with_films_and_an_anime_series_with_episodes(manifest):
    titles = manifest["titles"]
    kinds = [t["kind"] for t in titles]
    assert manifest["format"] == "shinsa-manifest/1"
    assert len(titles) >= 12 and kinds.count("film") >= 10
    assert kinds.count("series") == 1 and kinds.count("season") == 1 and kinds.count("episode") >= 3
    by_id = {t["id"]: t for t in titles}
    assert len(by_id) == len(titles) and all(ID.fullmatch(i) for i in by_id)
    for episode in (t for t in titles if t["kind"] == "episode"):
        season = by_id[episode["parent"]]
        assert season["kind"] == "season" and by_id[season["parent"]]["kind"] == "series"
    assert {t["original_language"] for t in titles} >= {"ja", "en"}


def test_it_gives_every_title_japanese_and_english_metadata_and_wide_availability(manifest):
    for title in manifest["titles"]:
        for version in title["versions"]:
            languages = {a["language"] for a in version["assets"] if a["kind"] == "metadata"}
            assert {"ja", "en"} <= languages, title["id"]
            assert version["availability"], title["id"]
    territories = {
        a["territory"] for t in manifest["titles"] for v in t["versions"] for a in v["availability"]
    }
    assert territories >= {"JP", "US", "GB", "DE", "AU", "BR"}


def test_it_names_only_files_that_exist_inside_the_folder_and_stays_small(demo_source, manifest):
    paths = [
        asset["path"] for kind in ("video", "subtitle", "artwork") for _, asset in assets(manifest, kind)
    ]
    assert len(paths) == len(set(paths))
    for path in paths:
        assert not path.startswith("/") and ".." not in path
        assert (demo_source.root / path).is_file()
    total = sum(p.stat().st_size for p in demo_source.root.rglob("*") if p.is_file())
    assert total < 5 * 1024 * 1024
    assert {p.rsplit(".", 1)[1] for p in paths} >= {"mp4", "srt", "vtt", "ass", "png", "jpg"}


def test_it_delivers_one_japanese_subtitle_in_cp932_that_is_not_utf8(demo_source, manifest):
    legacy = []
    for _, asset in assets(manifest, "subtitle"):
        data = (demo_source.root / asset["path"]).read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append((asset, data))
    assert len(legacy) == 1
    asset, data = legacy[0]
    assert asset["language"] == "ja" and asset["encoding"] is None  # left for the catalog to detect
    text = data.decode("cp932")
    assert "「誰か、いるのか？」" in text and "①" in text and "\r\n" in text
    # What the catalog's detection will say, limited to the Japanese legacy encodings.
    assert charset_normalizer.from_bytes(data, cp_isolation=["cp932", "euc_jp"]).best().encoding in {
        "cp932",
        "shift_jis",
    }


def test_it_includes_lines_and_descriptions_for_screening_to_find(demo_source, manifest):
    english = "".join(
        (demo_source.root / a["path"]).read_text(encoding="utf-8")
        for _, a in assets(manifest, "subtitle")
        if a["language"] == "en"
    )
    assert "Damn it, the bridge is out!" in english
    synopses = [a["synopsis"] for _, a in assets(manifest, "metadata") if a["language"] == "en"]
    assert any("brutal sword fight" in s for s in synopses)


@pytest.mark.media
def test_it_records_true_scene_cuts_for_every_clip(demo_source, manifest):
    import av

    videos = [a["path"] for _, a in assets(manifest, "video")]
    assert sorted(videos) == sorted(demo_source.truth)
    path = "media/tetsu-no-shiro.mp4"
    truth = demo_source.truth[path]
    with av.open(str(demo_source.root / path)) as container:
        frames = [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video=0)]
    assert len(frames) == truth["frame_count"]
    change = [np.abs(frames[i] - frames[i - 1]).mean() for i in range(1, len(frames))]
    assert sorted(int(i) + 1 for i in np.argsort(change)[-len(truth["cut_frames"]) :]) == truth["cut_frames"]


def test_it_leaves_an_up_to_date_folder_alone_and_regenerates_the_same_bytes(demo_source):
    def digests() -> dict[str, str]:
        root = demo_source.root
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    before = digests()
    assert build_demo_source(demo_source.root).regenerated is False
    (demo_source.root / FINGERPRINT_NAME).unlink()
    stray = demo_source.root / "media" / "old-title.mp4"
    stray.write_bytes(b"left over from an older demo")

    assert build_demo_source(demo_source.root).regenerated is True
    assert digests() == before


@pytest.mark.media
def test_the_iron_castle_video_carries_a_japanese_subtitle_stream_with_a_threat(demo_source):
    from shinsa.screening.subtitles.embedded import read_embedded_subtitles

    (stream,) = read_embedded_subtitles(demo_source.root / "media/tetsu-no-shiro.mp4")
    assert (stream.stream.codec, stream.stream.language) == ("mov_text", "jpn")
    assert [cue.text for cue in stream.track.cues] == [
        "門を守れ！",
        "来い、殺してやる！",
        "夜明けまで戦うのみ。",
    ]
