"""Reading unit,rater,label CSV files: UTF-8 with or without BOM, an exact header, one clear error."""

from __future__ import annotations

import pytest

from shinsa.quality.metrics import Rating
from shinsa.quality.ratings_file import FileProblem, RatingsFileError, read_ratings_csv


def write(tmp_path, content: str | bytes, name: str = "ratings.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_it_reads_rows_with_their_line_numbers(tmp_path):
    path = write(tmp_path, "unit,rater,label\r\nep1,rin,violence\r\n\r\nep1, sora , violence \r\n")
    assert read_ratings_csv(path) == [
        Rating("ep1", "rin", "violence", line=2),
        Rating("ep1", "sora", "violence", line=4),
    ]


def test_it_tolerates_a_byte_order_mark_and_reads_japanese(tmp_path):
    path = write(tmp_path, "\ufeffunit,rater,label\n第1話,凛,暴力\n".encode())
    assert read_ratings_csv(path) == [Rating("第1話", "凛", "暴力", line=2)]


def test_it_reads_quoted_fields_with_commas(tmp_path):
    path = write(tmp_path, 'unit,rater,label\n"ep1, part 2",rin,"drugs, implied"\n')
    assert read_ratings_csv(path)[0] == Rating("ep1, part 2", "rin", "drugs, implied", line=2)


@pytest.mark.parametrize(
    ("content", "problem", "message"),
    [
        (
            "unit,rater\nu,r\n",
            FileProblem.BAD_HEADER,
            'line 1: the header must be exactly unit,rater,label, not "unit,rater"',
        ),
        (
            "Unit,Rater,Label\n",
            FileProblem.BAD_HEADER,
            'line 1: the header must be exactly unit,rater,label, not "Unit,Rater,Label"',
        ),
        (
            "label,unit,rater\n",
            FileProblem.BAD_HEADER,
            'line 1: the header must be exactly unit,rater,label, not "label,unit,rater"',
        ),
        (
            "unit,rater,label\nu1,rin\n",
            FileProblem.CELL_COUNT,
            "line 2: the row has 2 cells; each row needs exactly unit,rater,label",
        ),
        (
            "unit,rater,label\nu1,rin,a,b\n",
            FileProblem.CELL_COUNT,
            "line 2: the row has 4 cells; each row needs exactly unit,rater,label",
        ),
        ("", FileProblem.EMPTY, "the file is empty; it needs the header unit,rater,label"),
        ("\n\n", FileProblem.EMPTY, "the file is empty; it needs the header unit,rater,label"),
        ('unit,rater,label\nu1,rin,"open\n', FileProblem.CSV_SYNTAX, None),
    ],
)
def test_it_refuses_a_bad_file_with_one_clear_line(tmp_path, content, problem, message):
    with pytest.raises(RatingsFileError) as error:
        read_ratings_csv(write(tmp_path, content))
    assert error.value.reason is problem
    if message:
        assert str(error.value) == message
    assert "\n" not in str(error.value)


def test_it_names_the_line_of_bytes_that_are_not_utf8(tmp_path):
    path = write(tmp_path, b"unit,rater,label\nu1,rin,ok\nu2,rin," + "暴力".encode("shift_jis") + b"\n")
    with pytest.raises(RatingsFileError) as error:
        read_ratings_csv(path)
    assert str(error.value) == "line 3: the file is not UTF-8 text; save it as UTF-8 CSV"


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(RatingsFileError) as error:
        read_ratings_csv(tmp_path / "absent.csv")
    assert error.value.reason is FileProblem.UNREADABLE
    assert str(error.value) == "cannot read the file: No such file or directory"
