from __future__ import annotations

import pytest

from shinsa.policy.documents import canonical_json, content_hash, field_name, read_document
from shinsa.policy.errors import PolicyFileError

TEXT = """\
# comment [not a header]
top = 1

[[queues]]
id = "a"
name = { ja = "甲", en = "A" }

[[queues]]
id = "b"
text.ja = \"\"\"
[[queues]]
id = "fake"
\"\"\"
text.en = "B"
languages = [{ language = "ja", min_level = "N1" }]

[queues.limits]
daily = 3

[settings]
"quoted key" = true
"""


@pytest.fixture
def document(tmp_path):
    (tmp_path / "policies").mkdir()
    path = tmp_path / "policies" / "queues.toml"
    path.write_text(TEXT, encoding="utf-8")
    return read_document(path, policy_dir=tmp_path / "policies")


def test_it_names_the_document_relative_to_the_policy_directory(document):
    assert document.name == "queues.toml"
    assert document.display_path == "policies/queues.toml"
    assert document.data["queues"][1]["limits"] == {"daily": 3}


def test_it_finds_the_line_of_keys_in_arrays_of_tables(document):
    assert document.line_of(("top",)) == 2
    assert document.line_of(("queues", 0, "id")) == 5
    assert document.line_of(("queues", 0, "name", "ja")) == 6  # inside an inline table: the key's line
    assert document.line_of(("queues", 1, "id")) == 9  # not the "id" inside the multi-line string
    assert document.line_of(("queues", 1, "text", "en")) == 14
    assert document.line_of(("queues", 1, "text")) == 10
    assert document.line_of(("queues", 1, "languages", 0, "min_level")) == 15
    assert document.line_of(("queues", 1, "limits", "daily")) == 18
    assert document.line_of(("settings", "quoted key")) == 21


def test_it_falls_back_to_the_table_header_or_none(document):
    assert document.line_of(("queues", 1, "missing")) == 8
    assert document.line_of(("queues", 7, "id")) is None
    assert document.line_of(()) is None


def test_it_names_fields_within_their_entry():
    assert field_name(("clauses", 2, "title", "ja")) == "title.ja"
    assert field_name(("queues", 0, "languages", 1, "min_level")) == "languages[2].min_level"
    assert field_name(("queues", 0, "territories", 2)) == "territories[3]"
    assert field_name(("clauses", 2)) == "clauses[3]"
    assert field_name(("version",)) == "version"


def test_it_hashes_values_not_formatting():
    assert canonical_json({"b": 1, "a": [1, 2]}) == '{"a":[1,2],"b":1}'
    assert content_hash({"b": 1, "a": 2}) == content_hash({"a": 2, "b": 1})
    assert content_hash({"a": 1}) != content_hash({"a": 1.0})


def test_it_reports_toml_syntax_errors_with_the_line(tmp_path):
    path = tmp_path / "slas.toml"
    path.write_text('[[slas]]\nid = "x"\nname = { ja = "標準", en = \n', encoding="utf-8")
    with pytest.raises(PolicyFileError) as error:
        read_document(path, policy_dir=tmp_path)
    assert error.value.line == 3
    assert str(error.value).startswith(f"{tmp_path.name}/slas.toml:3: invalid TOML: ")


def test_it_treats_crlf_and_a_byte_order_mark_like_plain_text(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfline\r\n")
    (tmp_path / "b.txt").write_bytes(b"line\n")
    a = read_document(tmp_path / "a.txt", policy_dir=tmp_path, parse="text")
    b = read_document(tmp_path / "b.txt", policy_dir=tmp_path, parse="text")
    assert a.text == "line\n" and a.sha256 == b.sha256
