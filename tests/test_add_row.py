"""claims add: a claimant or a metric, checked by the package's rules, nothing written on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.contribute.add_row import RowRefused, add_row, parse_assignments
from toolkit.errors import UsageError

from .conftest import make_package, snapshot

runner = CliRunner()


def test_a_good_row_is_appended_and_the_package_stays_valid(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    result = runner.invoke(
        app,
        [
            "add",
            "claimants",
            "claimant_id=fixture_office",
            "name=Fixture office",
            "kind=government",
            "country=UA",
            "--package",
            str(pkg),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "added fixture_office to data/claimants.csv (row 4)" in result.stdout
    assert (pkg / "data/claimants.csv").read_text().endswith("fixture_office,Fixture office,government,UA,\n")
    assert validate_package(pkg).total == 0


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"claimant_id": "fixture_ministry", "name": "Again", "kind": "government"}, "constraint-unique"),
        ({"claimant_id": "new_one", "name": "New", "kind": "govt"}, "constraint-enum"),
        ({"claimant_id": "New One", "name": "New", "kind": "government"}, "constraint-pattern"),
        ({"claimant_id": "new_one", "name": "=cmd|' /C calc'!A0", "kind": "government"}, "text-formula"),
    ],
)
def test_a_row_that_breaks_a_rule_is_refused_and_nothing_written(tmp_path: Path, cells: dict, code: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    before = snapshot(pkg)
    with pytest.raises(RowRefused) as refused:
        add_row(pkg, "claimants", cells)
    assert [p.code for p in refused.value.problems] == [code]
    assert snapshot(pkg) == before


def test_usage_problems(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    with pytest.raises(UsageError, match="has no field 'colour'"):
        add_row(pkg, "metrics", {"colour": "red"})
    with pytest.raises(UsageError, match="label, definition, unit required"):
        add_row(pkg, "metrics", {"metric_id": "losses"})
    with pytest.raises(UsageError, match="claims extract"):
        add_row(pkg, "claims", {})
    with pytest.raises(UsageError, match="is not FIELD=VALUE"):
        parse_assignments(["name"])
    result = runner.invoke(app, ["add", "metrics", "metric_id=x", "--package", str(pkg)])
    assert result.exit_code == 2 and "required" in result.stderr
