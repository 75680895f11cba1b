"""Finding the line of a field in TOML text, and the typed readers."""

from __future__ import annotations

import pytest

from shinsa.policy.errors import PolicyFileError
from shinsa.ratings.policy_file import PolicyDocument, TomlLocator, field_name, read_toml

TEXT = '''\
id = "x"
name = { en = "X", ja = "エックス" }
authority.en = "A"

[[levels]]
code = "G"

[[levels]]
code = "PG"
meaning = """
code = "not a key"
"""
age = 12

[advice]
from_level = "PG"

[[advice.topics]]
id = "one"

[[advice.topics]]
id = "two"
text = { en = "Two", ja = "二" }
'''


def test_it_finds_top_level_and_dotted_keys():
    locator = TomlLocator(TEXT)
    assert locator.line_of(("id",)) == 1
    assert locator.line_of(("name", "en")) == 2
    assert locator.line_of(("authority", "en")) == 3


def test_it_counts_array_tables_and_skips_multiline_strings():
    locator = TomlLocator(TEXT)
    assert locator.line_of(("levels", 0, "code")) == 6
    assert locator.line_of(("levels", 1, "code")) == 9
    assert locator.line_of(("levels", 1, "age")) == 13


def test_it_finds_nested_array_tables_and_falls_back_to_the_header():
    locator = TomlLocator(TEXT)
    assert locator.line_of(("advice", "from_level")) == 16
    assert locator.line_of(("advice", "topics", 1, "text", "en")) == 23
    assert locator.line_of(("advice", "topics", 1, "missing")) == 21
    assert locator.line_of(("nowhere",)) is None


def test_it_names_fields_with_indices():
    assert field_name(("rules", 3, "levels", 0)) == "rules[3].levels[0]"


def test_it_reports_the_line_of_a_toml_syntax_error(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\nlevels = [\n  "G",\n  "PG"\nversion = 1\n', encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        read_toml(path)
    assert raised.value.path == str(path)
    assert raised.value.line == 5
    assert raised.value.reason.startswith("invalid TOML")


def test_it_reports_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "café"'.encode("latin-1"))
    with pytest.raises(PolicyFileError, match="not UTF-8"):
        read_toml(path)


def test_it_checks_types_with_the_field_and_line(tmp_path):
    path = tmp_path / "typed.toml"
    path.write_text(TEXT, encoding="utf-8")
    document = PolicyDocument.read(path)
    with pytest.raises(PolicyFileError) as raised:
        document.integer(document.data["levels"][1]["code"], ("levels", 1, "code"))
    assert (raised.value.line, raised.value.field) == (9, "levels[1].code")
    assert "must be an integer, not a string" in raised.value.reason
    with pytest.raises(PolicyFileError, match="is listed twice"):
        document.strings(["a", "a"], ("id",))


def test_it_does_not_take_a_nested_array_line_for_a_header():
    locator = TomlLocator('matrix = [\n  ["a", "b"]\n]\nafter = 1\n\n[[rows]]\nid = "r"\n')
    assert locator.line_of(("after",)) == 4
    assert locator.line_of(("rows", 0, "id")) == 7
