"""read/strict_csv.py: record boundaries, row and line numbers, and what is kept out of the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.problems.report import Report
from toolkit.read.strict_csv import read_csv

FIELDS = ["a", "b", "c"]


def read(data: bytes) -> tuple[list[dict], list[int], list[int], list[tuple[str, int | None, str | None]]]:
    report = Report()
    raw = read_csv(data, FIELDS, "f.csv", report)
    assert raw is not None
    problems = [(p.code, p.row, p.column) for p in report.problems]
    return raw.table.to_pylist(), raw.rows.tolist(), raw.lines.tolist(), problems


def test_rows_count_records_and_lines_count_lines() -> None:
    cells, rows, lines, problems = read(b'a,b,c\n1,"two\nlines",3\n4,5,6\n')
    assert cells == [{"a": "1", "b": "two\nlines", "c": "3"}, {"a": "4", "b": "5", "c": "6"}]
    assert (rows, lines, problems) == ([2, 3], [2, 4], [])


def test_escaped_quotes_and_commas_inside_quotes() -> None:
    cells, _, _, problems = read(b'a,b,c\n"x,y","he said ""hi""",""\n')
    assert cells == [{"a": "x,y", "b": 'he said "hi"', "c": ""}] and problems == []


def test_last_row_without_newline() -> None:
    cells, rows, _, problems = read(b"a,b,c\n1,2,3")
    assert cells == [{"a": "1", "b": "2", "c": "3"}] and rows == [2] and problems == []


@pytest.mark.parametrize(
    ("data", "problem", "kept"),
    [
        (b"\xef\xbb\xbfa,b,c\n1,2,3\n", ("encoding-bom", 1, "a"), [2]),
        (b"a,b,c\r\n1,2,3\r\n", ("line-endings-crlf", 1, None), [2]),
        (b"a,b,c\n1,2\r3,4\n5,6,7\n", ("line-endings-crlf", 2, "b"), [3]),
        (b"a,b,c\n1,2,3\n\n4,5,6\n", ("row-blank", 3, None), [2, 4]),
        (b"a,b,c\n1,2,3,4\n5,6,7\n", ("row-ragged", 2, None), [3]),
        (b'a,b,c\n1,x"y,3\n4,5,6\n', ("quote-stray", 2, "b"), [3]),
        (b'a,b,c\n1,"x"y,3\n4,5,6\n', ("quote-stray", 2, "b"), [3]),
        (b'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n', ("quote-unclosed", 3, "b"), [2]),
        (b"a,b,c\n1,caf\xe9,3\n4,5,6\n", ("encoding-not-utf8", 2, "b"), [3]),
    ],
)
def test_problems_and_the_rows_kept(data: bytes, problem: tuple, kept: list[int]) -> None:
    _, rows, _, problems = read(data)
    assert problem in problems
    assert rows == kept


def test_empty_file() -> None:
    report = Report()
    assert read_csv(b"", FIELDS, "f.csv", report) is None
    assert [(p.code, p.row) for p in report.problems] == [("file-empty", 1)]


def test_reading_a_path_gives_the_same_table(tmp_path: Path) -> None:
    data = b'a,b,c\n1,"x,\ny",3\n4,5,6\n'
    (tmp_path / "f.csv").write_bytes(data)
    from_path = read_csv(tmp_path / "f.csv", FIELDS, "f.csv", Report())
    from_bytes = read_csv(data, FIELDS, "f.csv", Report())
    assert from_path is not None and from_bytes is not None
    assert from_path.table.equals(from_bytes.table)
    assert from_path.rows.tolist() == from_bytes.rows.tolist()


@pytest.mark.parametrize(
    "data",
    [
        b"a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n",  # one cell too many
        b"a,b,c\n1,2,3\n4,5\n8,9,10\n",  # one too few
        b'a,b,c\n1,2,3\n4,"5,x",6,7\n8,9,10\n',  # too many, with a comma inside quotes
        b"a,b,c\n1,2,3\n8,9,10\n4",  # too few, last row without newline
        b"a,b,c\n" + b"1,2,3\n" * 800_000 + b"4,5\n",  # 4.8 MB: beyond the parser's first 4 MB block
    ],
)
@pytest.mark.parametrize("from_path", [False, True])
def test_ragged_rows_are_found_whether_the_parser_or_the_scan_counts(
    tmp_path: Path, data: bytes, from_path: bool
) -> None:
    """The fast path leaves the cell count to pyarrow; a ragged row must still be reported once,
    at its row, and only the sound rows kept."""
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    report = Report()
    raw = read_csv(path if from_path else data, FIELDS, "f.csv", report)
    assert raw is not None
    lines = data.split(b"\n")
    bad_rows = [i + 1 for i, line in enumerate(lines) if line and len(line.replace(b'"5,x"', b"5").split(b",")) != 3]
    assert [(p.code, p.row) for p in report.problems] == [("row-ragged", r) for r in bad_rows]
    assert set(raw.rows.tolist()).isdisjoint(bad_rows)
    assert len(raw.rows) == sum(1 for line in lines[1:] if line) - len(bad_rows)


def located(data: bytes, fields: list[str] = FIELDS) -> tuple[list[dict], list[int], list[tuple]]:
    """Cells, kept rows, and each problem with its file, row, column and line."""
    report = Report()
    raw = read_csv(data, fields, "f.csv", report)
    assert raw is not None
    problems = [(p.code, p.file, p.row, p.column, p.line) for p in report.problems]
    return raw.table.to_pylist(), raw.rows.tolist(), problems


def test_a_file_of_a_header_alone_has_no_rows_and_no_problems() -> None:
    assert located(b"a,b,c\n") == ([], [], [])
    assert located(b"a,b,c") == ([], [], [])


def test_a_header_with_no_name_gives_no_columns_and_no_rows() -> None:
    report = Report()
    raw = read_csv(b"\n1,2\n", FIELDS, "f.csv", report)
    assert raw is not None and raw.header == [] and raw.table.num_columns == 0
    assert raw.rows.tolist() == [] and raw.lines.tolist() == []


def test_a_file_of_one_column_keeps_its_sound_rows_around_a_bad_one() -> None:
    cells, rows, problems = located(b"a\n1\n\n2\n", ["a"])
    assert cells == [{"a": "1"}, {"a": "2"}] and rows == [2, 4]
    assert problems == [("row-blank", "f.csv", 3, None, 3)]


def test_the_cells_of_the_rows_kept_beside_blank_and_ragged_rows() -> None:
    """The sound records are stitched together and parsed: their cells, not only their row numbers."""
    cells, rows, problems = located(b'a,b,c\n1,"x\ny",3\n\n4,5\n6,7,8\n')
    assert cells == [{"a": "1", "b": "x\ny", "c": "3"}, {"a": "6", "b": "7", "c": "8"}] and rows == [2, 5]
    assert problems == [("row-blank", "f.csv", 3, None, 4), ("row-ragged", "f.csv", 4, None, 5)]


def test_ragged_rows_are_counted_past_commas_inside_quotes() -> None:
    """Commas inside quoted cells are no separators, however many quoted cells a row has."""
    cells, rows, problems = located(b'a,b,c\n"1,2","3,4",5\n"6,7",8\n9,"10,11,12",13\n"",",",","\n')
    assert rows == [2, 4, 5] and [c["b"] for c in cells] == ["3,4", "10,11,12", ","]
    assert problems == [("row-ragged", "f.csv", 3, None, 3)]


def test_a_carriage_return_inside_quotes_is_text_and_outside_breaks_its_row() -> None:
    cells, rows, problems = located(b'a,b,c\n1,"x\ry",3\n4,5\r,6\n7,8,9\n')
    assert cells[0] == {"a": "1", "b": "x\ry", "c": "3"} and rows == [2, 4]
    assert problems == [("line-endings-crlf", "f.csv", 3, "b", 3)]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'a,b,c\nx"y,2,3\n', ("quote-stray", "f.csv", 2, "a", 2)),  # the first column
        (b'a,b,c\n1,2,3,x"y\n', ("quote-stray", "f.csv", 2, "column 4", 2)),  # beyond the header
        (b'a,b,c\n"1\n\n2",2,3\n4,x"y,6\n', ("quote-stray", "f.csv", 3, "b", 5)),  # after a cell of three lines
    ],
)
def test_a_problem_names_its_column_and_physical_line(data: bytes, problem: tuple) -> None:
    assert problem in located(data)[2]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 1 << 24])
def test_bytes_that_are_not_utf8_are_found_whatever_the_chunks(chunk: int) -> None:
    """Chunks end just after a newline, so no sequence is cut; the first byte counts too."""
    from toolkit.read.strict_csv import _find_bad_utf8

    data = b"\xff,b\ncaf\xc3\xa9,\xe9\n\n\xc3\xa9\xfe\nend"
    assert _find_bad_utf8(data, chunk=chunk) == [0, 10, 15]  # \xff, the lone \xe9, \xfe
    # the cap is checked between chunks: none is read once two are found
    assert _find_bad_utf8(data, chunk=chunk, cap=2) == ([0, 10, 15] if chunk > len(data) else [0, 10])
    assert _find_bad_utf8(b"caf\xc3\xa9\n" * 3, chunk=chunk) == []


def test_quoted_line_breaks_are_parsed_across_the_parsers_blocks() -> None:
    """pyarrow cuts its input into blocks at newlines unless told that values hold them."""
    from toolkit.read.strict_csv import _parse

    body = b"".join(b'%d,"x\ny\nz",%d\n' % (i, i) for i in range(200))
    table = _parse(body, ["a", "b", "c"], 200, block=64)
    assert table.column("b").to_pylist() == ["x\ny\nz"] * 200 and table.column("a").to_pylist()[-1] == "199"


@pytest.mark.parametrize("from_path", [False, True])
def test_a_cell_longer_than_the_parsers_block_is_read_whole(tmp_path: Path, from_path: bool) -> None:
    long = ("word \n" * 1_700_000).encode()  # 10 MB in one quoted cell: over two of the parser's 4 MB blocks
    data = b'a,b,c\n1,"' + long + b'",3\n4,5,6\n'
    (tmp_path / "f.csv").write_bytes(data)
    report = Report()
    raw = read_csv(tmp_path / "f.csv" if from_path else data, FIELDS, "f.csv", report)
    assert raw is not None and report.problems == []
    assert raw.table.column("b").to_pylist() == [long.decode(), "5"] and raw.rows.tolist() == [2, 3]


def test_positions_are_found_in_every_block() -> None:
    import numpy as np

    from toolkit.read.strict_csv import positions

    arr = np.frombuffer(b",ab,,c,d,,,e,", dtype=np.uint8)
    assert positions(arr, ord(","), block=4).tolist() == [0, 3, 4, 6, 8, 9, 10, 12]
    assert positions(arr, ord(","), block=4).tolist() == positions(arr, ord(",")).tolist()


def test_a_header_that_repeats_a_name_gives_columns_by_position() -> None:
    raw = read_csv(b"a,a,b\n1,2,3\n", ["a", "b"], "f.csv", Report())
    assert raw is not None and raw.table.column_names == ["c0", "c1", "c2"] and raw.header == ["a", "a", "b"]


def test_a_table_with_no_rows_still_has_text_columns() -> None:
    import pyarrow as pa

    raw = read_csv(b"a,b,c\n", FIELDS, "f.csv", Report())
    assert raw is not None and raw.table.schema.types == [pa.string()] * 3


def test_an_unclosed_quote_beside_a_ragged_row_is_reported_not_a_crash() -> None:
    """The cell counter pairs quotes; an unclosed one leaves an odd quote out of the pairs."""
    cells, rows, problems = located(b'a,b,c\n1,2\n"7","8",9\n4,"5,6\n')  # five quotes: two pairs
    assert cells == [{"a": "7", "b": "8", "c": "9"}] and rows == [3]
    assert [(code, row) for code, _, row, _, _ in problems] == [("quote-unclosed", 4), ("row-ragged", 2)]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b'a"b,c\n1,2\n', ("quote-stray", 1)),  # a quote at the second byte of the file
        (b'a,b,c\n1,2,"3"x', ("quote-stray", 2)),  # text after the closing quote, at the file's end
    ],
)
def test_quotes_at_the_edges_of_the_file(data: bytes, problem: tuple) -> None:
    report = Report()
    read_csv(data, FIELDS, "f.csv", report)
    assert problem in [(p.code, p.row) for p in report.problems]


def test_a_quoted_cell_that_ends_the_file_is_read() -> None:
    cells, rows, problems = located(b'a,b,c\n1,2,"3"')
    assert cells == [{"a": "1", "b": "2", "c": "3"}] and rows == [2] and problems == []


@pytest.mark.parametrize("chunk", [1, 3, 1 << 24])
def test_a_sequence_cut_short_at_the_files_end_is_not_utf8(chunk: int) -> None:
    from toolkit.read.strict_csv import _find_bad_utf8

    assert _find_bad_utf8(b"ok\ncaf\xc3", chunk=chunk) == [6]
    assert _find_bad_utf8(b"a\n\xc3\xa9\nb", chunk=chunk) == []  # a chunk ends just after its newline


SWALLOWED = "This quoted cell is never closed: the rows after it were swallowed into it."
NEVER_CLOSED = "This quoted cell is never closed: every later row is swallowed into it."


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", ("file-empty", 1, 1, None, "The file is empty: not even a header row.", None)),
        (
            b"\xef\xbb\xbfa,b,c\n1,2,3\n",
            ("encoding-bom", 1, 1, "a", "The file starts with a UTF-8 byte-order mark (BOM).", None),
        ),
        (
            b"a,b,c\r\n1,2,3\r\n",
            (
                "line-endings-crlf",
                1,
                1,
                None,
                "2 line(s) end with CRLF (Windows), the first at this row; the package uses LF only.",
                None,
            ),
        ),
        (
            b"a,b,c\r1,2,3\r",
            (
                "line-endings-cr",
                1,
                1,
                None,
                "Lines end with a carriage return alone (CR, classic Mac); the package uses LF only.",
                None,
            ),
        ),
        (b"a,b,c\n1,2,3\n\n4,5,6\n", ("row-blank", 3, 3, None, "This row is empty.", None)),
        (
            b'a,b,c\n1,x"y,3\n4,5,6\n',
            ("quote-stray", 2, 2, "b", "A double quote inside a cell that does not start with one.", '1,x"y,3'),
        ),
        (
            b'a,b,c\n1,"x"y,3\n4,5,6\n',
            ("quote-stray", 2, 2, "b", "Text follows the closing double quote of a cell.", '1,"x"y,3'),
        ),
        (b'a,b,c\n1,2,3\n4,"5,6\n', ("quote-unclosed", 3, 3, "b", NEVER_CLOSED, '4,"5,6\n')),
        (b'a,b,c\n1,"2,3\n4,"5",6\n7,8,9\n', ("quote-unclosed", 2, 2, "b", SWALLOWED, '1,"2,3')),
        (
            b"a,b,c\n1,caf\xe9,3\n4,5,6\n",  # the bytes around the bad one, from its record's start
            ("encoding-not-utf8", 2, 2, "b", "Byte 0xE9 at offset 11 is not valid UTF-8.", "1,caf\ufffd,3\n4,5,6\n"),
        ),
        (b"a,b,c\n1,2,3,4\n", ("row-ragged", 2, 2, None, "This row has 4 cells; the header has 3.", None)),
    ],
)
def test_each_problem_names_its_file_row_line_column_and_says_what_is_wrong(data: bytes, problem: tuple) -> None:
    """The whole problem a contributor reads, not only its code: a mutation pass found the file
    name, line, message and the bytes shown unpinned for every reading problem."""
    report = Report()
    read_csv(data, FIELDS, "f.csv", report)
    assert [(p.code, p.row, p.line, p.column, p.message, p.value) for p in report.problems] == [problem]
    assert [p.file for p in report.problems] == ["f.csv"]


@pytest.mark.parametrize("rows", [2, 5_000])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_table_in_utf16_or_utf32_is_an_encoding_problem_whatever_its_size(
    tmp_path: Path, rows: int, encoding: str
) -> None:
    """A spreadsheet's "Unicode text": a large one was an internal error (the parser's refusal,
    read as a ragged row, escaped); now one problem at row 1, read from a path or from bytes."""
    text = "a,b,c\n" + "".join(f"{i},x{i},y\n" for i in range(rows))
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    for source in (path, path.read_bytes()):
        report = Report()
        assert read_csv(source, FIELDS, "f.csv", report) is None
        [problem] = report.problems
        assert (problem.code, problem.row) == ("encoding-not-utf8", 1)
        assert encoding.split("-le")[0].upper() in problem.message and "claims fix" in (problem.hint or "")


def test_a_header_problem_comes_first_and_the_rows_it_breaks_are_one_problem(tmp_path: Path) -> None:
    """One extra column a spreadsheet added to the header: the header's problem is shown first and
    the 3,000 rows it makes ragged are one problem, counted, not a thousand listed."""
    seen: list[list[str]] = []
    report = Report()
    text = "a,b,c,extra\n" + "".join(f"{i},x,y\n" for i in range(3_000))
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")

    def on_header(header: list[str]) -> None:
        seen.append(header)
        report.add("header-mismatch", "f.csv", "The header has 'extra'.", row=1, column="extra", line=1)

    read_csv(path, FIELDS, "f.csv", report, on_header)
    assert seen == [["a", "b", "c", "extra"]]  # once, though the file is read twice
    assert [(p.code, p.row) for p in report.problems] == [("header-mismatch", 1), ("row-ragged", 2)]
    assert "3,000 rows (rows 2 to 3001) have 3 cells each; the header has 4" in report.problems[1].message
    assert report.counts["row-ragged"] == 3_000


def test_a_few_ragged_rows_are_each_named(tmp_path: Path) -> None:
    report = Report()
    read_csv(b"a,b,c\n1,2\n3,4,5\n6\n", FIELDS, "f.csv", report)
    assert [(p.code, p.row) for p in report.problems] == [("row-ragged", 2), ("row-ragged", 4)]


def test_nul_characters_in_a_utf8_file_are_not_taken_for_utf16() -> None:
    """A UTF-8 file whose cells hold NUL characters has its NULs in no order; UTF-16 text without
    its byte-order mark has one byte of each pair NUL. (Found by tests/test_properties.py.)"""
    report = Report()
    raw = read_csv(b"a,b,c\n\x00,\x00,\x00\n", ["a", "b", "c"], "f.csv", report)
    assert raw is not None and raw.rows.tolist() == [2]
    assert "encoding-not-utf8" not in {p.code for p in report.problems}
    wide = Report()
    assert read_csv("a,b,c\n1,2,3\n".encode("utf-16-be"), ["a", "b", "c"], "f.csv", wide) is None
    assert [p.code for p in wide.problems] == ["encoding-not-utf8"]
