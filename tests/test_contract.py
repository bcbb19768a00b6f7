"""Every command against every bad fixture: its exit code, and never an internal error.

The expected codes follow from the gate (toolkit/gate.py) and each code's effect, not from a
list typed here: commands that publish (build, site, release) refuse any error; commands that compare
or extend (diff, extract, add-source, dictionary) refuse only what loses data. The table is
written to docs/bad-packages.md, and this test fails when that file is out of date
(CLAIMS_WRITE_CONTRACT=1 pytest tests/test_contract.py rewrites it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.contribute.fix import fix_package
from toolkit.errors import UsageError
from toolkit.problems.codes import CODES
from toolkit.problems.report import Report
from toolkit.read.load import load_package
from toolkit.read.policy import blocking

from .conftest import BAD, ROOT, git, make_package, snapshot

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
COMMANDS = (
    "validate",
    "check",
    "fix --check",
    "diff",
    "release --dry-run",
    "build",
    "site",
    "extract",
    "add-source",
    "add",
    "dictionary",
)
READ_ONLY = {"validate", "check", "fix --check", "diff", "build", "site", "extract"}
DOC = ROOT / "docs" / "bad-packages.md"
runner = CliRunner()
_results: dict[str, dict[str, int]] = {}


def _run(command: str, pkg: Path, tmp: Path, case: str) -> int:
    if command == "validate":
        args = ["validate", str(pkg)]
    elif command == "diff":
        args = ["diff", str(make_package(tmp / "good")), str(pkg)]
    elif command == "fix --check":
        args = ["fix", str(pkg), "--check"]
    elif command == "check":
        args = ["check", str(pkg), "--base", str(make_package(tmp / "good"))]
    elif command == "release --dry-run":
        (pkg / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
        git(pkg, "init", "-q")
        git(pkg, "add", "-A")
        git(pkg, "commit", "-qm", case)
        args = ["release", str(pkg), "--dry-run"]
    elif command in ("build", "site"):
        args = [command, str(pkg), "--out", str(tmp / "dist")]
    elif command == "extract":
        args = ["extract", "S0002", "--package", str(pkg)]
    elif command == "add":
        args = ["add", "metrics", "metric_id=fixture_losses", "label=Losses", "definition=Invented.", "unit=person"]
        args += ["--package", str(pkg)]
    elif command == "add-source":
        tmp.mkdir(parents=True, exist_ok=True)
        doc = tmp / "doc.txt"
        doc.write_text("An invented report says that 12 invented things happened.\n")
        args = ["add-source", str(doc), "--title", "Invented", "--package", str(pkg)]
    else:
        args = ["dictionary", str(pkg)]
    result = runner.invoke(app, args)
    output = result.output
    assert "internal error" not in output and "Traceback" not in output, (command, case, output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, case, result.exception)
    return result.exit_code


def _expected(case: str, pkg: Path) -> dict[str, int]:
    report = Report()
    package = load_package(pkg, report)
    lost = package is None or bool(blocking(report, "readable"))
    error = CODES[json.loads((BAD / case / "expect.json").read_text())["code"]].severity == "error"
    against = json.loads((BAD / case / "expect.json").read_text()).get("against")
    invalid = error and not against
    # extract reads the text of S0002, the source it is asked about
    sources = package.tables.get("sources") if package is not None else None
    seed = None
    if sources is not None:
        match = sources.frame[sources.frame["source_id"] == "S0002"]["seed_path"]
        seed = pkg / match.iloc[0] if len(match) and isinstance(match.iloc[0], str) else None
    no_text = seed is None or not seed.is_file()
    # check is validate against its base (here the good fixture), then the diff, which needs it whole
    checked = lost or validate_package(pkg, against=str(make_package(pkg.parent / f"{pkg.name}-base"))).valid
    try:  # fix: 1 when a file is not canonical or cannot be rewritten; 2 without a readable descriptor
        fixes = fix_package(pkg)
        fixed = 1 if fixes.changed or fixes.refused else 0
    except UsageError:
        fixed = 2
    return {
        "validate": 1 if invalid else 0,
        "fix --check": fixed,
        "check": 2 if lost else (0 if checked else 1),
        "diff": 2 if lost else 0,
        "release --dry-run": 2 if invalid else 0,
        "build": 2 if invalid else 0,
        "site": 2 if invalid else 0,
        "extract": 2 if lost or no_text else 0,
        "add-source": 2 if lost else 0,
        "add": 2 if lost or "metrics" not in package.tables else 0,
        "dictionary": 2 if lost else 0,
    }


@pytest.mark.parametrize("case", CASES)
def test_every_command_on_a_bad_package(case: str, tmp_path: Path) -> None:
    got = {}
    expected = _expected(case, make_package(tmp_path / "pristine", BAD / case))
    shared = make_package(tmp_path / "shared", BAD / case)  # for the commands that write nothing into it
    for i, command in enumerate(COMMANDS):
        pkg = shared if command in READ_ONLY else make_package(tmp_path / f"pkg{i}", BAD / case)
        got[command] = _run(command, pkg, tmp_path / f"work{i}", case)
        assert got[command] == expected[command], (command, case)
    assert snapshot(shared) == snapshot(make_package(tmp_path / "again", BAD / case)), "a read-only command wrote"
    _results[case] = got


def render(results: dict[str, dict[str, int]]) -> str:
    lines = [
        "# What each command does with a package it cannot fully read",
        "",
        "<!-- Written by tests/test_contract.py from a run of every command on every bad fixture"
        " (tests/fixtures/bad). Do not edit by hand. -->",
        "",
        "Exit codes: 0 done, 1 invalid data (`claims validate`), 2 refused with a message that names",
        "the problems. No command ends in an internal error on any of these packages. The rule behind",
        "the table is one (toolkit/read/policy.py): `build`, `site` and `release` publish, so they refuse any error;",
        "`diff`, `extract`, `add-source` and `dictionary` refuse a package only when reading it left",
        "rows, columns or files out (a code whose effect is `unreadable` or `lost` in the",
        "[data dictionary](data-dictionary.md#problem-codes-of-claims-validate)). The fixtures under",
        "`against` are valid by themselves: their problem shows with `--against`, and in `check`,",
        "which here compares each fixture with the good one (1: invalid data, as in `validate`).",
        "",
        "| bad fixture | " + " | ".join(f"`{c}`" for c in COMMANDS) + " |",
        "| --- | " + " | ".join("---:" for _ in COMMANDS) + " |",
    ]
    for case in sorted(results):
        lines.append(f"| `{case}` | " + " | ".join(str(results[case][c]) for c in COMMANDS) + " |")
    return "\n".join(lines) + "\n"


def test_the_documented_table_is_the_one_measured() -> None:
    if set(_results) != set(CASES):
        pytest.skip("run with the whole of tests/test_contract.py")
    text = render(_results)
    if os.environ.get("CLAIMS_WRITE_CONTRACT"):
        DOC.write_text(text)
    assert DOC.read_text() == text, (
        "docs/bad-packages.md is out of date: CLAIMS_WRITE_CONTRACT=1 pytest tests/test_contract.py"
    )
