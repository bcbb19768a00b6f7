"""The benchmark generator makes what the benchmarks claim to measure (no timing here)."""

from __future__ import annotations

import sys
from pathlib import Path

from toolkit.check.validate import validate_package
from toolkit.compare.diff import diff_packages

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate


def test_generated_package_is_valid_and_synthetic(tmp_path: Path) -> None:
    pkg = generate(tmp_path / "pkg", 500)
    report = validate_package(pkg)
    assert report.total == 0, [(p.code, p.row, p.message) for p in report.problems[:5]]
    assert report.checked["data/claims.csv"] == 500
    assert "SYNTHETIC" in (pkg / "datapackage.json").read_text()
    assert all("SYNTHETIC" in line for line in (pkg / "data/claims.csv").read_text().splitlines()[1:])


def test_generated_release_pair_has_the_stated_changes(tmp_path: Path) -> None:
    old = generate(tmp_path / "old", 2000)
    new = generate(tmp_path / "new", 2000, changed=0.01, added=0.005, removed=0.005)
    claims = diff_packages(str(old), str(new)).resources["claims"]
    assert (len(claims.added), len(claims.removed), claims.changed_rows) == (10, 10, 19)


def test_generated_series_are_valid_figures_of_their_archived_files(tmp_path: Path) -> None:
    """Validation reads every series figure back from its archived file at its locator, so a
    generator that wrote a figure the file does not hold would fail here."""
    pkg = generate(tmp_path / "pkg", 2000, series_share=0.9)
    report = validate_package(pkg)
    assert report.total == 0, [(p.code, p.row, p.message) for p in report.problems[:5]]
    rows = (pkg / "data/claims.csv").read_text().splitlines()[1:]
    assert len(rows) == 2000
    assert sum(",/" in line for line in rows) == 1800  # a locator (/<day>/cat_<k>) on each series figure
    assert len(list((pkg / "seeds/synthetic").glob("*/data/series-*.json"))) == 20
