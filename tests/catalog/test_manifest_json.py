"""The JSON manifest parser (pure, no database)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from shinsa.catalog.manifest import ManifestErrors, ManifestLimits, Reason, parse_manifest
from tests.catalog.manifests import EXAMPLES, film, metadata, write_json


def problems(path: Path, **kwargs) -> list[tuple[int | None, str | None, Reason]]:
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path, **kwargs)
    return [(e.row, e.field, e.reason) for e in caught.value.errors]


def test_it_parses_the_example_into_typed_entries():
    manifest = parse_manifest(EXAMPLES / "manifest.json")
    ids = [t.external_id for t in manifest.titles]
    assert ids == [
        "hoshi-no-tabi",
        "hoshi-no-tabi-s1",
        "hoshi-no-tabi-s1e1",
        "hoshi-no-tabi-s1e2",
        "kaze-no-machi",
    ]
    episode = manifest.titles[2]
    assert (episode.kind, episode.parent, episode.number) == ("episode", "hoshi-no-tabi-s1", 1)
    assets = {(a.kind.value, a.language): a for a in episode.versions[0].assets}
    assert assets[("subtitle", "ja")].encoding == "utf-8"
    assert assets[("video", "")].media_type == "video/mp4"
    assert len(assets[("video", "")].sha256) == 64
    assert [w.territory for w in episode.versions[0].availability] == ["JP", "US"]
    cp932 = manifest.titles[3].versions[0].assets[1]
    assert cp932.encoding == "cp932"


def test_it_refuses_duplicate_keys(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"format": "shinsa-manifest/1", "titles": [{"id": "a", "id": "b"}]}')
    assert problems(path) == [(None, None, Reason.JSON_DUPLICATE_KEY)]


def test_it_refuses_deep_nesting_without_recursing(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"titles": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert problems(path) == [(None, None, Reason.JSON_TOO_DEEP)]


def test_it_names_the_line_of_a_syntax_error(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{\n"format": "shinsa-manifest/1",\n"titles": [,]\n}')
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path)
    (error,) = caught.value.errors
    assert error.reason == Reason.JSON_SYNTAX and error.params["line"] == 3


def test_it_refuses_nan(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"format": "shinsa-manifest/1", "titles": [{"year": NaN}]}')
    assert problems(path) == [(None, None, Reason.JSON_CONSTANT)]


def test_it_reports_every_wrong_type_and_unknown_field(tmp_path):
    path = write_json(tmp_path, [film(year="2020", versions={"label": "x"}, colour="blue"), "not a title"])
    assert sorted(problems(path), key=str) == [
        (None, "titles[0].colour", Reason.UNKNOWN_FIELD),
        (None, "titles[0].versions", Reason.NOT_LIST),
        (None, "titles[0].year", Reason.NOT_INTEGER),
        (None, "titles[1]", Reason.NOT_OBJECT),
    ]


def test_it_refuses_an_unknown_format_marker(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"format": "other/2", "titles": []}))
    assert problems(path) == [(None, "format", Reason.FORMAT_UNKNOWN)]


def test_it_names_both_places_of_a_duplicate_id(tmp_path):
    path = write_json(tmp_path, [film("same"), film("other"), film("same")])
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path)
    (error,) = caught.value.errors
    assert (error.field, error.reason, error.params["first_field"]) == (
        "titles[2].id",
        Reason.DUPLICATE_ID,
        "titles[0].id",
    )


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200b", "\u200d", "\u2060", "\ufeff"])
def test_it_refuses_bidi_and_zero_width_characters_in_titles_and_ids(tmp_path, char):
    path = write_json(tmp_path, [film(f"id{char}x", original_title=f"Evil{char}txt.exe")])
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path)
    found = {(e.field, e.reason, e.params["codepoint"]) for e in caught.value.errors}
    codepoint = f"U+{ord(char):04X}"
    assert found == {
        ("titles[0].id", Reason.HOSTILE_CHARACTER, codepoint),
        ("titles[0].original_title", Reason.HOSTILE_CHARACTER, codepoint),
    }


def test_it_normalises_text_to_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "がっこう")
    path = write_json(
        tmp_path,
        [film(original_title=decomposed, versions=[{"label": "v", "assets": [metadata(title=decomposed)]}])],
    )
    title = parse_manifest(path).titles[0]
    assert title.original_title == "がっこう" and len(title.original_title) == 4
    assert title.versions[0].assets[0].metadata.title == "がっこう"


def test_it_refuses_formulas_and_controls(tmp_path):
    path = write_json(
        tmp_path,
        [
            film(
                original_title='=HYPERLINK("http://x","y")',
                versions=[{"label": "v", "assets": [metadata(title="a\x07b")]}],
            )
        ],
    )
    assert problems(path) == [
        (None, "titles[0].original_title", Reason.FORMULA),
        (None, "titles[0].versions[0].assets[0].title", Reason.CONTROL_CHARACTER),
    ]


def test_it_checks_the_hierarchy(tmp_path):
    path = write_json(
        tmp_path,
        [
            film("f", parent="s", number=1),
            {"id": "s", "kind": "series", "original_title": "S", "original_language": "ja"},
            {
                "id": "s1",
                "kind": "season",
                "parent": "f",
                "number": 1,
                "original_title": "S1",
                "original_language": "ja",
            },
            {"id": "e1", "kind": "episode", "parent": "s", "original_title": "E1", "original_language": "ja"},
            {
                "id": "e2",
                "kind": "episode",
                "parent": "s",
                "number": 2,
                "original_title": "E2",
                "original_language": "ja",
            },
            {
                "id": "e3",
                "kind": "episode",
                "parent": "s",
                "number": 2,
                "original_title": "E3",
                "original_language": "ja",
            },
        ],
    )
    assert problems(path) == [
        (None, "titles[0].parent", Reason.PARENT_NOT_ALLOWED),
        (None, "titles[0].number", Reason.NUMBER_NOT_ALLOWED),
        (None, "titles[3].number", Reason.REQUIRED),
        (None, "titles[2].parent", Reason.PARENT_KIND),
        (None, "titles[5].number", Reason.DUPLICATE_NUMBER),
    ]


def test_it_checks_territories_dates_and_windows(tmp_path):
    windows = [
        {"territory": "ZZ", "start": "2026-01-01"},
        {"territory": "JP", "start": "2026-02-30"},
        {"territory": "US", "start": "2026-05-01", "end": "2026-04-01"},
        {"territory": "jp", "start": "2026-01-01", "end": None},
        {"territory": "JP", "start": "2026-06-01", "end": "2026-07-01"},
    ]
    path = write_json(tmp_path, [film(versions=[{"label": "v", "availability": windows}])])
    prefix = "titles[0].versions[0].availability"
    assert problems(path) == [
        (None, f"{prefix}[0].territory", Reason.BAD_TERRITORY),
        (None, f"{prefix}[1].start", Reason.BAD_DATE),
        (None, f"{prefix}[2].end", Reason.WINDOW_ORDER),
        (None, f"{prefix}[4].territory", Reason.WINDOW_OVERLAP),
    ]


def test_it_refuses_paths_that_leave_the_folder(tmp_path):
    delivery = tmp_path / "delivery"
    delivery.mkdir()
    (tmp_path / "secret.mp4").write_bytes(b"outside")
    (delivery / "link.mp4").symlink_to(tmp_path / "secret.mp4")
    assets = [
        {"kind": "video", "name": "a", "path": "../secret.mp4"},
        {"kind": "video", "name": "b", "path": str(tmp_path / "secret.mp4")},
        {"kind": "video", "name": "c", "path": "link.mp4"},
        {"kind": "video", "name": "d", "path": "..\\secret.mp4"},
    ]
    path = write_json(delivery, [film(versions=[{"label": "v", "assets": assets}])])
    assert {reason for _, _, reason in problems(path)} == {Reason.PATH_OUTSIDE}
    assert len(problems(path)) == 4


def test_it_checks_asset_files_kinds_and_languages(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    assets = [
        {"kind": "video", "path": "missing.mp4"},
        {"kind": "artwork", "path": "notes.txt"},
        {"kind": "subtitle", "name": "x", "path": "missing.srt"},
        {"kind": "metadata", "language": "en", "title": "T", "path": "x.mp4"},
    ]
    path = write_json(tmp_path, [film(versions=[{"label": "v", "assets": assets}])])
    prefix = "titles[0].versions[0].assets"
    assert problems(path) == [
        (None, f"{prefix}[0].path", Reason.ASSET_FILE_MISSING),
        (None, f"{prefix}[1].path", Reason.FILE_TYPE),
        (None, f"{prefix}[2].language", Reason.REQUIRED),
        (None, f"{prefix}[2].path", Reason.ASSET_FILE_MISSING),
        (None, f"{prefix}[3].path", Reason.NOT_FOR_KIND),
    ]


def test_it_checks_subtitle_encodings(tmp_path):
    (tmp_path / "a.srt").write_bytes("字幕です".encode("cp932"))
    assets = [
        {
            "kind": "subtitle",
            "language": "ja",
            "name": "declared-wrong",
            "path": "a.srt",
            "encoding": "utf-8",
        },
        {
            "kind": "subtitle",
            "language": "ja",
            "name": "unknown-codec",
            "path": "a.srt",
            "encoding": "klingon",
        },
        {"kind": "subtitle", "language": "ja", "name": "not-text", "path": "a.srt", "encoding": "base64"},
        {"kind": "subtitle", "language": "ja", "name": "detected", "path": "a.srt"},
    ]
    path = write_json(tmp_path, [film(versions=[{"label": "v", "assets": assets}])])
    prefix = "titles[0].versions[0].assets"
    assert problems(path) == [
        (None, f"{prefix}[0].path", Reason.SUBTITLE_DECODE),
        (None, f"{prefix}[1].encoding", Reason.BAD_ENCODING_NAME),
        (None, f"{prefix}[2].encoding", Reason.BAD_ENCODING_NAME),
    ]


def test_it_refuses_files_when_uploads_carry_none(tmp_path):
    (tmp_path / "v.mp4").write_bytes(b"x")
    path = write_json(
        tmp_path, [film(versions=[{"label": "v", "assets": [{"kind": "video", "path": "v.mp4"}]}])]
    )
    assert problems(path, allow_files=False) == [
        (None, "titles[0].versions[0].assets[0].path", Reason.FILES_NOT_ALLOWED)
    ]


def test_it_refuses_a_file_over_ten_megabytes_with_one_error(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (10 * 1024 * 1024 + 1))
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path)
    (error,) = caught.value.errors
    assert error.reason == Reason.FILE_TOO_LARGE and error.params["limit_mb"] == 10


def test_it_takes_a_configured_size_cap(tmp_path):
    path = write_json(tmp_path, [film()])
    assert problems(path, limits=ManifestLimits(max_bytes=50)) == [(None, None, Reason.FILE_TOO_LARGE)]


def test_it_refuses_missing_files_unknown_suffixes_and_macro_workbooks(tmp_path):
    assert problems(tmp_path / "absent.json") == [(None, None, Reason.FILE_MISSING)]
    (tmp_path / "m.txt").write_text("x")
    assert problems(tmp_path / "m.txt") == [(None, None, Reason.UNSUPPORTED_FORMAT)]
    (tmp_path / "m.xlsm").write_bytes(b"PK")
    assert problems(tmp_path / "m.xlsm") == [(None, None, Reason.MACRO_WORKBOOK)]
    (tmp_path / "empty.json").write_text("  \n")
    assert problems(tmp_path / "empty.json") == [(None, None, Reason.FILE_EMPTY)]
