"""Generated hostile input against the parts that read what contributors and upstreams send.

Each target states its promise: a value or a located problem, never an exception; where an
independent reference exists (Python's csv and json modules, datetime), the same answer as the
reference on the inputs both accept. Run briefly in every test run (the "ci" profile); for a long
search: pytest -m fuzz --hypothesis-profile long. Findings are kept as regular regression tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.core.dates import parse_date, parse_dates
from toolkit.core.json_reader import MAX_DEPTH, JSONUnreadable, parse_json
from toolkit.core.phrases import parse_phrase
from toolkit.problems.report import Report
from toolkit.read.strict_csv import read_csv

from .conftest import make_package, snapshot

pytestmark = pytest.mark.fuzz
FIELDS = ["a", "b", "c"]
runner = CliRunner()


# -- the strict CSV reader --------------------------------------------------------------------------


@given(st.binary(max_size=600))
def test_csv_reader_reads_or_locates(data: bytes) -> None:
    report = Report()
    raw = read_csv(b"a,b,c\n" + data, FIELDS, "f.csv", report)
    assert raw is not None
    for p in report.problems:
        assert p.file == "f.csv" and p.code and p.message
        assert p.row is None or p.row >= 2  # the header was fine; a problem is in a record


# RFC 4180 with LF line ends, the form the package requires: unquoted fields hold no comma, quote
# or line break; quoted fields hold anything, quotes doubled
unquoted = st.text(st.characters(blacklist_characters=',"\r\n', blacklist_categories=("Cs",)), max_size=8)
quoted = st.text(st.characters(blacklist_characters="\r", blacklist_categories=("Cs",)), max_size=8).map(
    lambda s: '"' + s.replace('"', '""') + '"'
)
record = st.lists(unquoted | quoted, min_size=3, max_size=3).map(",".join)


@given(st.lists(record, max_size=10), st.booleans())
def test_csv_reader_agrees_with_the_csv_module(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(["a,b,c", *lines]) + ("\n" if final_newline else "")
    expected = list(csv.reader(io.StringIO(text, newline=""), strict=True))[1:]
    if any(row == ["", "", ""] for row in expected) or any(not line.strip(",") for line in lines):
        return  # a row of empty cells is reported (row-blank) by design; the csv module keeps it
    report = Report()
    raw = read_csv(text.encode("utf-8"), FIELDS, "f.csv", report)
    assert raw is not None and report.total == 0, [p.message for p in report.problems]
    got = [[r[f] or "" for f in FIELDS] for r in raw.table.to_pylist()]
    assert got == expected


# -- the JSON reader ----------------------------------------------------------------------------------


@given(st.binary(max_size=400))
def test_json_reader_reads_or_refuses_bytes(data: bytes) -> None:
    try:
        parse_json(data)
    except JSONUnreadable as exc:
        assert str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_json_reader_agrees_with_the_json_module(value: object) -> None:
    data = json.dumps(value).encode("utf-8")
    assert parse_json(data) == json.loads(data)


@given(st.integers(min_value=1, max_value=3 * MAX_DEPTH), st.sampled_from(["[]", "{}"]))
def test_json_depth_is_bounded_exactly(depth: int, brackets: str) -> None:
    open_, close = brackets
    inner = '"x": ' if open_ == "{" else ""
    data = (open_ + inner) * (depth - 1) + open_ + close + close * (depth - 1)
    if depth <= MAX_DEPTH:
        assert parse_json(data.encode()) is not None
    else:
        with pytest.raises(JSONUnreadable, match="levels deep"):
            parse_json(data.encode())


# -- the number-phrase parser ---------------------------------------------------------------------------

phrase_words = st.sampled_from(
    ["at least", "over", "about", "up to", "between", "and", "from", "to", "tens of", "thousands", "hundred",
     "million", "a", "few", "dozens", "nearly", "-", "–", "one", "twenty", "five", "1,200", "3.5", "0", "%"]
)  # fmt: skip


@given(st.text(max_size=40) | st.lists(phrase_words, max_size=6).map(" ".join))
def test_phrase_parser_parses_or_declines(text: str) -> None:
    parsed = parse_phrase(text)
    if parsed is None:
        return
    if parsed.low is not None and parsed.high is not None:
        assert parsed.low <= parsed.high, (text, parsed)
    if parsed.value is not None:
        assert parsed.value >= 0
        if parsed.qualifier in ("exact", "at_least", "more_than"):
            assert parsed.low == parsed.value
        if parsed.qualifier in ("exact", "at_most", "fewer_than"):
            assert parsed.high == parsed.value


# -- the date rule ------------------------------------------------------------------------------------------

date_like = st.builds(
    lambda y, m, d, pad: f"{y:0{pad}d}-{m:02d}-{d:02d}",
    st.integers(0, 10_000),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from([1, 4]),
)


def _reference(text: str) -> dt.date | None:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return None
    try:
        return dt.date.fromisoformat(text)  # year 0000 raises here too
    except ValueError:
        return None


@given(st.lists(date_like | st.text(max_size=12), min_size=1, max_size=8))
def test_date_rule_agrees_with_datetime_row_by_row_and_vectorised(texts: list[str]) -> None:
    ok, parsed = parse_dates(pa.chunked_array([texts], pa.string()))
    for text, is_ok, value in zip(texts, ok.to_pylist(), parsed.to_pylist(), strict=True):
        expected = _reference(text)
        assert parse_date(text) == expected, text
        assert is_ok == (expected is not None), text
        assert (value.date() if value is not None else None) == expected, text


# -- claims validate, end to end, on near-valid packages ----------------------------------------------------

_TEMPLATE = make_package(Path(tempfile.mkdtemp(prefix="claims-fuzz-")) / "pkg")
FILES = ["data/claims.csv", "data/sources.csv", "data/claimants.csv", "data/metrics.csv", "datapackage.json"]
edits = st.sampled_from(["cell", "drop-line", "copy-line", "cut", "insert"])
junk = st.sampled_from(["", '"', ",", "\n", "=1+1", "\u200b", "2024-02-30", "C0001", "-5", "1e6", "\x00", "{", "]"])


def _mutate(text: str, how: str, where: int, value: str) -> str:
    lines = text.split("\n")
    i = where % max(len(lines), 1)
    if how == "cell":
        cells = lines[i].split(",")
        cells[where % len(cells)] = value
        lines[i] = ",".join(cells)
    elif how == "drop-line":
        del lines[i]
    elif how == "copy-line":
        lines.insert(i, lines[i])
    elif how == "cut":
        return text[: where % max(len(text), 1)]
    else:
        pos = where % max(len(text), 1)
        return text[:pos] + value + text[pos:]
    return "\n".join(lines)


@given(st.sampled_from(FILES), edits, st.integers(0, 10_000), junk | st.text(max_size=8))
def test_validate_reports_located_problems_and_writes_nothing(rel: str, how: str, where: int, value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "pkg"
        shutil.copytree(_TEMPLATE, pkg)
        path = pkg / rel
        path.write_bytes(_mutate(path.read_text(encoding="utf-8"), how, where, value).encode("utf-8", "surrogatepass"))
        before = snapshot(pkg)
        out = runner.invoke(app, ["validate", str(pkg), "--format", "json", "--no-cache"])
        assert out.exit_code in (0, 1), out.output
        assert "internal error" not in out.output and "Traceback" not in out.output
        doc = json.loads(out.stdout)
        for p in doc["problems"]:
            assert (pkg / p["file"]).exists() or p["file"] == "datapackage.json", p  # located in a real file
            assert p["message"] and p["code"]
        if out.exit_code == 1 and rel != "datapackage.json" and path.stat().st_size == 0:
            assert any(p["file"] == rel for p in doc["problems"])
        assert snapshot(pkg) == before
