"""check/provenance.py: the wording check gives the same answer whether or not its parse was done in advance."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.check.provenance import check_wording, parse_wordings
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import BAD, make_package


@pytest.mark.parametrize("case", ["wording-value-mismatch", "wording-unparsed", "wording-not-in-quote"])
def test_precomputed_parse_changes_nothing(tmp_path: Path, case: str) -> None:
    package = load_package(make_package(tmp_path / "pkg", BAD / case), Report())
    assert package is not None
    claims = package.tables["claims"]
    serial, ahead = Report(), Report()
    check_wording(serial, claims)
    check_wording(ahead, claims, parse_wordings(claims.frame["wording"]))
    assert case in serial.counts
    assert [p.to_dict() for p in serial.problems] == [p.to_dict() for p in ahead.problems]
