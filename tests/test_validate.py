"""The declared check layers: each emits only the codes its checks declare, and every code belongs to one layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.check.registry import Context, layers
from toolkit.check.validate import validate_package
from toolkit.problems.codes import CODES
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import BAD, bad_case

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
LAYERS = layers()
READING = set(CODES) - {c for layer in LAYERS for c in layer.codes}


def test_every_code_belongs_to_exactly_one_layer_or_to_reading() -> None:
    named = [c for layer in LAYERS for c in layer.codes]
    assert len(named) == len(set(named)), "a code in two layers"
    assert set(named) <= set(CODES)
    assert {
        c
        for c in CODES
        if c.startswith(("descriptor-", "path-", "file-", "encoding-", "line-endings-", "header-", "row-", "quote-"))
        and c not in ("quote-not-in-seed", "quote-normalised-match")
    } | {"schema-invalid", "resource-format-unsupported", "type-integer", "type-number", "type-date"} | {
        "seed-missing",
        "seed-unreferenced",
        "source-archive-invalid",
    } == READING


@pytest.mark.parametrize("case", CASES)
def test_each_layer_emits_only_its_own_codes(case: str, tmp_path: Path) -> None:
    expect, pkg, against = bad_case(case, tmp_path)
    reading = Report()
    package = load_package(pkg, reading)
    assert set(reading.counts) <= READING, reading.counts
    if package is None:
        return
    ctx = Context(package=package, today=dt.date(2026, 11, 25), against=(against,) if against else ())
    from toolkit.check import provenance

    if "claims" in package.tables:
        from concurrent.futures import Future

        ctx.wordings = Future()
        ctx.wordings.set_result(provenance.parse_wordings(package.tables["claims"].frame["wording"]))
    emitted = set(reading.counts)
    for layer in LAYERS:
        report = Report()
        layer.run(ctx, report)
        assert set(report.counts) <= layer.codes, (layer.name, report.counts)
        emitted |= set(report.counts)
    assert expect["code"] in emitted


def test_a_check_is_declared_where_it_is_written() -> None:
    """The registry holds each check with its own codes, and refuses a code the catalogue lacks."""
    from toolkit.check import row_logic
    from toolkit.check.registry import Layer

    by_name = {c.name: c for layer in LAYERS for c in layer.checks}
    assert by_name["check_bounds"].codes == {"bounds-order", "qualifier-bounds"}
    assert by_name["check_bounds"].run is row_logic.check_bounds
    assert [layer.name for layer in LAYERS if layer.last] == ["earlier states"]
    with pytest.raises(ValueError, match=r"not in problems/codes\.py"):
        Layer(name="scratch", order=999).check("no-such-code")


def test_layers_run_in_declared_order_and_the_last_one_last() -> None:
    orders = [layer.order for layer in LAYERS]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_a_large_claims_table_in_utf16_is_an_encoding_problem_not_an_internal_error(good_package: Path) -> None:
    """A spreadsheet's "Unicode text" of 24,000 rows: the large-table path raised _Ragged."""
    path = good_package / "data" / "claims.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_bytes((header + "".join(rows) * 6_000).encode("utf-16"))
    report = validate_package(good_package)
    problems = [(p.code, p.file, p.row) for p in report.problems if p.file == "data/claims.csv"]
    assert problems == [("encoding-not-utf8", "data/claims.csv", 1)]


def test_a_header_with_a_column_too_many_says_so_first(good_package: Path) -> None:
    """One column a spreadsheet added: 1,000 ragged rows were listed and the header's problem,
    the one line that says which column to remove, was never shown."""
    path = good_package / "data" / "claims.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header.rstrip("\n") + ",Column1\n" + "".join(rows) * 500, encoding="utf-8")
    report = validate_package(good_package)
    mine = [p for p in report.problems if p.file == "data/claims.csv"]
    assert (mine[0].code, mine[0].column) == ("header-mismatch", "Column1")
    assert "Remove the column" in (mine[0].hint or "")
    ragged = [p for p in mine if p.code == "row-ragged"]
    assert len(ragged) == 1 and report.counts["row-ragged"] == 2_000
