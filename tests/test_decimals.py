"""A figure with decimals (88.4 percent) keeps exactly its written digits in every output."""

from __future__ import annotations

import csv
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package
from openpyxl import load_workbook
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.compare.diff import diff_packages
from toolkit.publish.build import build_dist

from .conftest import make_package

runner = CliRunner()
DOCUMENT = (
    "An invented court heard 1,200 absence cases. Of these, 88.4% ended in a sentence, the invented clerk said.\n"
)


@pytest.fixture
def with_share(tmp_path: Path) -> tuple[Path, Path]:
    old = make_package(tmp_path / "old")
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_text(DOCUMENT)
    assert runner.invoke(app, ["add-source", str(doc), "--title", "Invented", "--package", str(pkg)]).exit_code == 0
    args = ["add", "metrics", "metric_id=sentenced_share", "label=Share sentenced", "unit=percent"]
    assert runner.invoke(app, [*args, "definition=Invented.", "--package", str(pkg)]).exit_code == 0
    assert runner.invoke(app, ["extract", "S0003", "--append", "--package", str(pkg)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((pkg / "data/claims.csv").read_text())))
    drafts = [r for r in rows if r["source_id"] == "S0003"]
    assert [(r["wording"], r["value"], r["unit"]) for r in drafts] == [
        ("1,200", "1200", ""),
        ("88.4%", "88.4", "percent"),
    ]
    for r in drafts:
        percent = r["unit"] == "percent"
        r.update(
            claimant_id="unattributed",
            metric_id="sentenced_share" if percent else "desertions",
            subject="invented cases",
            unit="percent" if percent else "person",
            count_type="cumulative",
            notes="",
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (pkg / "data/claims.csv").write_text(buffer.getvalue())
    report = validate_package(pkg)
    assert report.total == 0, [(p.code, p.message) for p in report.problems]
    return old, pkg


def test_88_4_stays_88_4_everywhere(with_share: tuple[Path, Path], tmp_path: Path) -> None:
    old, pkg = with_share
    result = build_dist(pkg, tmp_path / "dist")
    files = {f.suffix: f for f in result.files}
    flat_text = next(f for f in result.files if f.name.endswith("claims-flat.csv")).read_text(encoding="utf-8-sig")
    flat = {r["claim_id"]: r for r in csv.DictReader(io.StringIO(flat_text))}
    assert (flat["C0006"]["value"], flat["C0005"]["value"]) == ("88.4", "1200") and "88.40000" not in flat_text
    rows = Package(str(files[".zip"])).get_resource("claims").read_rows()
    assert [r["value"] for r in rows if r["claim_id"] == "C0006"] == [Decimal("88.4")]
    sheet = load_workbook(files[".xlsx"])["claims_flat"]
    header = [c.value for c in sheet[1]]
    values = {r[0].value: r[header.index("value")].value for r in sheet.iter_rows(min_row=2)}
    assert values["C0006"] == 88.4 and values["C0005"] == 1200 and isinstance(values["C0005"], int)
    con = sqlite3.connect(files[".sqlite"])
    got = con.execute("SELECT claim_id, value, typeof(value) FROM claims WHERE claim_id IN ('C0005', 'C0006')")
    assert sorted(got.fetchall()) == [("C0005", 1200, "integer"), ("C0006", 88.4, "real")]
    diff = diff_packages(str(old), str(pkg))
    assert "C0006" in diff.resources["claims"].added
    changed = diff_packages(str(pkg), str(pkg))
    assert not changed.has_changes


def test_a_share_over_100_is_refused(with_share: tuple[Path, Path]) -> None:
    _old, pkg = with_share
    text = (pkg / "data/claims.csv").read_text()
    (pkg / "data/claims.csv").write_text(text.replace(",88.4,88.4,88.4,percent,", ",188.4,188.4,188.4,percent,"))
    assert "percent-out-of-range" in validate_package(pkg).counts
