"""validate's check layers: each emits only its own codes, and every code belongs to one layer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.check.validate import LAYERS, Context
from toolkit.problems.codes import CODES
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import BAD, bad_case

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
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
    } == READING


@pytest.mark.parametrize("case", CASES)
def test_each_layer_emits_only_its_own_codes(case: str, tmp_path: Path) -> None:
    expect, pkg, against = bad_case(case, tmp_path)
    reading = Report()
    package = load_package(pkg, reading)
    assert set(reading.counts) <= READING, reading.counts
    if package is None:
        return
    ctx = Context(package, dt.date(2026, 11, 25), (against,) if against else ())
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
