"""`claims validate` through the CLI: exit codes, formats, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import BAD, ROOT, make_package

runner = CliRunner()


def test_valid_package_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("valid: 0 error(s)")


def test_invalid_package_exits_1_with_place_and_hint(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "type-integer")
    result = runner.invoke(app, ["validate", str(pkg)])
    assert result.exit_code == 1
    assert "data/claims.csv" in result.stdout
    assert "row 2 (C0001), value: error type-integer" in result.stdout
    assert "fix:" in result.stdout


def test_missing_package_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no datapackage.json" in result.stderr
    assert "Traceback" not in result.output


def test_bad_option_exits_2() -> None:
    result = runner.invoke(app, ["validate", "--format", "yaml"])
    assert result.exit_code == 2


def test_json_format(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "foreign-key")
    result = runner.invoke(app, ["validate", str(pkg), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["valid"] is False and doc["errors"] == 1
    problem = doc["problems"][0]
    assert (problem["code"], problem["file"], problem["row"], problem["column"]) == (
        "foreign-key",
        "data/claims.csv",
        2,
        "claimant_id",
    )
    assert problem["hint"] == (
        "Add 'nobody' to claimants first, or correct the ID. It takes one of: fixture_ministry, unattributed "
        "(data/claimants.csv)."
    )


def test_markdown_and_github_formats(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "foreign-key")
    md = runner.invoke(app, ["validate", str(pkg), "--format", "markdown"]).stdout
    assert "| data/claims.csv | 2 | C0001 | claimant_id | error | `foreign-key` |" in md
    gh = runner.invoke(app, ["validate", str(pkg), "--format", "github"]).stdout
    assert gh.startswith("::error file=data/claims.csv,line=2,title=foreign-key (claimant_id)::C0001: ")


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "seed-unreferenced")
    assert runner.invoke(app, ["validate", str(pkg)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(pkg), "--strict"]).exit_code == 1


def test_environment_cannot_switch_pandera_off(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "constraint-enum")
    env = {**os.environ, "PANDERA_VALIDATION_ENABLED": "False", "PANDERA_VALIDATION_DEPTH": "SCHEMA_ONLY"}
    proc = subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", str(pkg)], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "constraint-enum" in proc.stdout
    assert "PANDERA_VALIDATION_ENABLED is off" in proc.stdout


def test_dictionary_is_up_to_date() -> None:
    result = runner.invoke(app, ["dictionary", str(ROOT), "--check"])
    assert result.exit_code == 0, result.output


def test_an_empty_or_unknown_reference_lists_the_ids_it_can_take(tmp_path: Path) -> None:
    from .conftest import edit

    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "C0002,S0001,fixture_ministry,", "C0002,S0001,,")
    edit(pkg, "data/claims.csv", "C0003,S0001,unattributed,", "C0003,S0001,somebody_else,")
    out = runner.invoke(app, ["validate", str(pkg)]).stdout
    assert "row 3 (C0002), claimant_id: error constraint-required" in out
    assert out.count("It takes one of: fixture_ministry, unattributed (data/claimants.csv).") == 2
