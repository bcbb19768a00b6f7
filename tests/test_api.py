"""The public API: what the README and docs/library.md promise, and the CLI says the same."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.cli import app

from .conftest import BAD, ROOT, bad_case, make_package

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
runner = CliRunner()


def test_every_public_name_resolves_and_is_documented() -> None:
    doc = (ROOT / "docs" / "library.md").read_text()
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None
        assert re.search(rf"`{name}[`(]", doc), name


@pytest.mark.parametrize("case", CASES)
def test_the_cli_reports_what_the_library_returns(case: str, tmp_path: Path) -> None:
    _expect, pkg, against = bad_case(case, tmp_path)
    report = toolkit.validate_package(pkg, against=against)
    args = ["validate", str(pkg), "--format", "json"] + (["--against", against] if against else [])
    result = runner.invoke(app, args)
    assert result.exit_code == (0 if report.valid else 1)
    shown = json.loads(result.stdout)
    assert [(p["code"], p["file"], p["row"], p["column"]) for p in shown["problems"]] == [
        (p.code, p.file, p.row, p.column) for p in report.sorted()
    ]


def test_no_package_is_the_only_exception_of_validate(tmp_path: Path) -> None:
    with pytest.raises(toolkit.UsageError):
        toolkit.validate_package(tmp_path / "nowhere")
    with pytest.raises(toolkit.UsageError):
        toolkit.validate_package(ROOT / "data" / "claims.csv")
    report = toolkit.validate_package(make_package(tmp_path / "pkg", BAD / "descriptor-unreadable"))
    assert not report.valid and report.counts["descriptor-unreadable"] == 1
