"""No input of any kind produces a traceback: random bytes and random CSVs into every table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.check.validate import validate_package
from toolkit.problems.report import Report
from toolkit.read.strict_csv import read_csv

from .conftest import make_package

TABLES = ["data/claims.csv", "data/sources.csv", "data/claimants.csv", "data/metrics.csv", "datapackage.json"]
FIELDS = ["a", "b", "c"]

_TEMPLATE = Path(tempfile.mkdtemp(prefix="claims-prop-")) / "pkg"
make_package(_TEMPLATE)

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            '"',
            '""',
            ",",
            "\n",
            "\r\n",
            "NaN",
            "1e6",
            "007",
            "=1+1",
            "\u200b",
            "2024-1-5",
            "C0001",
            "S0001",
            "50,000",
            "\ufeff",
            "\x00",
        ]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), min_size=0, max_size=8)


def _to_csv(table: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _validate_with(rel: str, data: bytes) -> Report:
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "pkg"
        shutil.copytree(_TEMPLATE, pkg)
        (pkg / rel).write_bytes(data)
        return validate_package(pkg, today=dt.date(2026, 11, 25))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TABLES), st.binary(max_size=400))
def test_random_bytes_never_crash(rel: str, data: bytes) -> None:
    report = _validate_with(rel, data)
    assert all(p.file and p.code and p.message for p in report.problems)  # each problem is located and told


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TABLES[:4]), rows)
def test_random_csvs_never_crash(rel: str, table: list[list[str]]) -> None:
    header = (_TEMPLATE / rel).read_text().splitlines()[0].split(",")
    report = _validate_with(rel, _to_csv([header, *table]))
    assert all(p.file and p.code and p.message for p in report.problems)
    if any(table):  # rows that do not fit the table's schema are problems somewhere
        assert report.problems


def _record(kind: str, values: list[str]) -> bytes:
    """One CSV record of a known kind; a conforming writer's quoting for the well-formed ones."""
    if kind == "blank":
        return b"\n"
    if kind == "stray-quote":
        return b'x"y,2,3\n'
    cells = values[:3] if kind == "row" else values
    return _to_csv([cells])


records = st.lists(
    st.tuples(
        st.sampled_from(["row", "row", "row", "ragged", "blank", "stray-quote"]),
        st.lists(cells, min_size=3, max_size=3) | st.lists(cells, min_size=1, max_size=6),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(records)
def test_reader_accounts_for_every_record(table: list[tuple[str, list[str]]]) -> None:
    """Rows read + rows reported = records in the file: nothing vanishes, nothing is counted twice."""
    table = [(kind, [c.replace("\r", "") for c in values]) for kind, values in table]
    table = [(kind, values) for kind, values in table if kind != "ragged" or len(values) != 3]
    data = b"a,b,c\n" + b"".join(_record(kind, values) for kind, values in table)
    report = Report()
    raw = read_csv(data, FIELDS, "f.csv", report)
    assert raw is not None
    read = raw.rows.tolist()
    reported = {p.row for p in report.problems if p.row is not None}
    assert len(read) == len(set(read)) and not set(read) & reported
    assert sorted([*read, *reported]) == list(range(2, len(table) + 2)), (table, read, reported)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=10), min_size=3, max_size=3), max_size=10))
def test_reader_round_trips_valid_csv(table: list[list[str]]) -> None:
    """Whatever a conforming writer produces comes back cell for cell."""
    table = [[c.replace("\r", "") for c in row] for row in table]
    data = _to_csv([FIELDS, *table])
    report = Report()
    raw = read_csv(data, FIELDS, "f.csv", report)
    assert raw is not None
    blank = [i for i, row in enumerate(table) if row == ["", "", ""]]
    if not blank and not any("\udc80" <= ch <= "\udcff" for row in table for c in row for ch in c):
        assert report.total == 0, [p.message for p in report.problems]
        assert raw.table.to_pylist() == [dict(zip(FIELDS, row, strict=True)) for row in table]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TABLES), st.binary(max_size=300))
def test_diff_never_crashes_on_a_broken_side(rel: str, data: bytes) -> None:
    """A broken side is a clear UsageError or a diff; never any other exception."""
    from toolkit.compare.diff import diff_packages
    from toolkit.errors import UsageError

    with tempfile.TemporaryDirectory() as tmp:
        new = Path(tmp) / "new"
        shutil.copytree(_TEMPLATE, new)
        (new / rel).write_bytes(data)
        try:
            diff_packages(str(_TEMPLATE), str(new))
        except UsageError as exc:
            assert str(exc)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_extraction_quotes_are_verbatim_and_wordings_parse(text: str) -> None:
    from toolkit.contribute.extract import sentences
    from toolkit.core.phrases import find_phrases, parse_phrase

    for start, end in sentences(text):
        quote = text[start:end]
        assert quote and quote in text
        for found in find_phrases(quote):
            assert quote[found.start : found.end] == found.phrase
            assert parse_phrase(found.phrase) == found.parsed


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
RESOURCE_KEYS = ["dialect", "encoding", "format", "mediatype", "compression", "bytes", "hash"]
FIELD_KEYS = ["format", "groupChar", "decimalChar", "bareNumber", "missingValues", "constraints"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RESOURCE_KEYS), json_values, st.sampled_from(FIELD_KEYS), json_values)
def test_random_declarations_never_crash(
    resource_key: str, resource_value: object, field_key: str, field_value: object
) -> None:
    """What a descriptor declares about a file or a field is reported, never crashed on."""
    import json

    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / "pkg"
        shutil.copytree(_TEMPLATE, pkg)
        descriptor = json.loads((pkg / "datapackage.json").read_text())
        descriptor["resources"][0][resource_key] = resource_value
        (pkg / "datapackage.json").write_text(json.dumps(descriptor))
        schema_path = pkg / "schemas" / "metrics.schema.json"
        schema = json.loads(schema_path.read_text())
        schema["fields"][0][field_key] = field_value
        schema_path.write_text(json.dumps(schema))
        report = validate_package(pkg, today=dt.date(2026, 11, 25))
        assert all(p.message for p in report.problems)
