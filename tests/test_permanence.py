"""--against: claim IDs are forever, and a breaking change needs a new major version."""

from __future__ import annotations

from pathlib import Path

from toolkit.check.validate import validate_package

from .conftest import BAD, edit, make_package


def test_a_breaking_change_passes_once_the_major_version_is_bumped(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new", BAD / "version-not-bumped")
    assert set(validate_package(new, against=str(old)).counts) == {"version-not-bumped"}
    edit(new, "datapackage.json", '"version": "0.1.0"', '"version": "1.0.0"')
    assert validate_package(new, against=str(old)).total == 0


def test_an_addition_needs_no_major_version(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    line = (new / "data/claims.csv").read_text().splitlines()[4].replace("C0004", "C0005")
    (new / "data/claims.csv").write_text((new / "data/claims.csv").read_text() + line + "\n")
    assert validate_package(new, against=str(old)).total == 0


def test_another_figure_of_the_same_quote_under_an_old_id_is_a_reused_id(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    text = (new / "data/claims.csv").read_text()
    row = next(line for line in text.splitlines() if line.startswith("C0004,"))
    assert "Between 5,000 and 7,000" in row
    edit(new, "data/claims.csv", '"Between 5,000 and 7,000",range,,5000,7000', '"7,000",exact,7000,7000,7000')
    report = validate_package(new, against=str(old))
    assert [(p.code, p.key) for p in report.problems] == [("claim-id-reused", "C0004")]
    assert "wording" in report.problems[0].message
