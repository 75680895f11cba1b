"""The CSV manifest parser: encodings, header checks, row grouping (pure, no database)."""

from __future__ import annotations

import codecs

import pytest

from shinsa.catalog.manifest import ManifestErrors, Reason, parse_manifest
from tests.catalog.manifests import EXAMPLES, csv_text, write_csv

ROW = {
    "id": "r-1",
    "kind": "film",
    "original_title": "ラーメンの夜、東京にて",
    "original_language": "ja",
    "year": 2021,
}


def problems(path) -> list[tuple[int | None, str | None, Reason]]:
    with pytest.raises(ManifestErrors) as caught:
        parse_manifest(path)
    return [(e.row, e.field, e.reason) for e in caught.value.errors]


def test_it_reads_the_example_as_the_json_example_reads():
    from_csv = parse_manifest(EXAMPLES / "manifest.csv")
    assert from_csv.titles == parse_manifest(EXAMPLES / "manifest.json").titles
    assert from_csv.titles[0].where.row == 2


def test_it_reads_cp932_with_its_windows_only_characters(tmp_path):
    manifest = parse_manifest(
        write_csv(tmp_path, [{**ROW, "original_title": "ラーメン①～の夜"}], encoding="cp932")
    )
    assert manifest.source_encoding == "cp932"
    # ① exists only in CP932; its 0x8160 is U+FF5E (read as Shift_JIS it would become U+301C).
    assert manifest.titles[0].original_title == "ラーメン①\uff5eの夜"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (codecs.BOM_UTF8 + csv_text([ROW]).encode("utf-8"), "utf-8-sig"),
        (csv_text([ROW]).encode("utf-16"), "utf-16"),
        (csv_text([ROW]).encode("utf-16-le"), "utf-16-le"),
        (csv_text([ROW]).encode("utf-16-be"), "utf-16-be"),
        (csv_text([ROW]).encode("euc_jp"), "euc_jp"),
    ],
)
def test_it_detects_boms_utf16_and_euc_jp(tmp_path, raw, expected):
    path = tmp_path / "m.csv"
    path.write_bytes(raw)
    manifest = parse_manifest(path)
    assert manifest.source_encoding == expected
    assert manifest.titles[0].external_id == "r-1"
    assert manifest.titles[0].original_title == ROW["original_title"]


def test_it_refuses_binary_and_unknown_encodings(tmp_path):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert problems(binary) == [(None, None, Reason.BINARY_FILE)]
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,kind\nx,Café crème brûlée\n".encode("latin-1"))
    assert problems(latin1) == [(None, None, Reason.ENCODING_UNKNOWN)]


def test_it_names_missing_unknown_and_duplicate_columns(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,kind,orignal_title,kind,original_language\nx,film,T,film,en\n")
    assert problems(path) == [
        (1, "orignal_title", Reason.UNKNOWN_COLUMN),
        (1, "kind", Reason.DUPLICATE_COLUMN),
        (1, "original_title", Reason.MISSING_COLUMN),
    ]


def test_it_reports_rows_with_the_wrong_number_of_cells(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,kind,original_title,original_language\nx,film,T,en\ny,film,T\n")
    assert problems(path) == [(3, None, Reason.WRONG_CELL_COUNT), (3, "original_language", Reason.REQUIRED)]


def test_it_reports_every_bad_row_with_row_number_and_column(tmp_path):
    rows = [
        ROW,
        {**ROW, "id": "r-2", "original_language": "xx", "year": "20x1"},
        {**ROW, "id": "r-3", "original_title": '=HYPERLINK("http://evil","click")'},
        {**ROW, "year": 1999},
        {**ROW, "id": "r-4", "version": "v", "asset_kind": "subtitle", "path": "nope.srt"},
    ]
    assert problems(write_csv(tmp_path, rows)) == [
        (3, "original_language", Reason.BAD_LANGUAGE),
        (3, "year", Reason.NOT_INTEGER),
        (4, "original_title", Reason.FORMULA),
        (5, "year", Reason.CONFLICTING_VALUE),
        (6, "asset_language", Reason.REQUIRED),
        (6, "path", Reason.ASSET_FILE_MISSING),
    ]


def test_it_groups_rows_into_versions_and_checks_the_flat_syntax(tmp_path):
    rows = [
        {**ROW, "external_ids": "imdb tt1", "version": "v", "availability": "JP from 2026"},
        {**ROW, "id": "r-2", "asset_kind": "metadata", "metadata_title": "x"},
        {**ROW, "id": "r-3", "version": "v", "metadata_title": "orphan text"},
    ]
    assert problems(write_csv(tmp_path, rows)) == [
        (2, "external_ids", Reason.EXTERNAL_IDS_FORMAT),
        (2, "availability", Reason.AVAILABILITY_FORMAT),
        (3, "version", Reason.REQUIRED),
        (4, "asset_kind", Reason.REQUIRED),
    ]


def test_it_reads_tags_external_ids_and_open_windows(tmp_path):
    rows = [
        {
            **ROW,
            "external_ids": "imdb=tt9; eidr=10.5240/X",
            "version": "v",
            "availability": "JP 2026-01-01/; US 2026-01-01/2026-06-30",
            "asset_kind": "metadata",
            "asset_language": "EN",
            "metadata_title": "Ramen Night",
            "metadata_tags": "food; drama; food",
        }
    ]
    title = parse_manifest(write_csv(tmp_path, rows)).titles[0]
    assert title.external_ids == (("eidr", "10.5240/X"), ("imdb", "tt9"))
    version = title.versions[0]
    assert [(w.territory, str(w.start), w.end and str(w.end)) for w in version.availability] == [
        ("JP", "2026-01-01", None),
        ("US", "2026-01-01", "2026-06-30"),
    ]
    asset = version.assets[0]
    assert (asset.language, asset.metadata.tags) == ("en", ("food", "drama"))


def test_it_reports_a_broken_quote(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('id,kind,original_title,original_language\nx,film,"T"oops,en\n')
    assert problems(path) == [(None, None, Reason.CSV_SYNTAX)]
