"""The bad-input corpus: one small broken package per problem code.

Each folder under tests/fixtures/bad holds the files that differ from tests/fixtures/good and an
expect.json naming the code, file, row and column that must be reported, plus any other codes the
same break legitimately causes ("also"). Nothing else may be reported.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from toolkit.check.validate import validate_package
from toolkit.problems.codes import CODES

from .conftest import BAD, bad_case

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
TODAY = dt.date(2026, 11, 25)


def test_every_code_has_a_fixture() -> None:
    expected = {json.loads((BAD / c / "expect.json").read_text())["code"] for c in CASES}
    assert set(CODES) - expected == set()


def test_good_fixture_is_valid(good_package: Path) -> None:
    report = validate_package(good_package, today=TODAY)
    assert report.total == 0, [p.message for p in report.problems]


@pytest.mark.parametrize("case", CASES)
def test_bad_fixture(case: str, tmp_path: Path) -> None:
    expect, package, against = bad_case(case, tmp_path)
    report = validate_package(package, against=against, today=TODAY)
    matches = [
        p
        for p in report.problems
        if p.code == expect["code"]
        and p.file == expect["file"]
        and p.row == expect.get("row")
        and p.column == expect.get("column")
    ]
    assert matches, f"expected {expect}, got {[(p.code, p.file, p.row, p.column) for p in report.problems]}"
    assert set(report.counts) <= {expect["code"], *expect.get("also", [])}, report.counts
    assert matches[0].message and matches[0].hint
    assert expect.get("message_contains", "") in matches[0].message
    assert not report.ok(strict=True)
