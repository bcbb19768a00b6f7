"""Every command against every bad fixture: its exit code, and never an internal error.

The expected codes are the table EXPECTED below, written out rather than derived from the
toolkit's own rules, so a rule narrowed or switched off in the code fails here. The same table is
docs/bad-packages.md; this test fails when that file is out of date
(CLAIMS_WRITE_CONTRACT=1 pytest tests/test_contract.py -k documented rewrites it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

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


# The contract, written out: for each bad fixture, the exit code of each command in COMMANDS order.
# Not computed by the code under test; a change here is a change of behaviour, made on purpose and
# shown in docs/bad-packages.md. Publishing commands (release, build, site) refuse any error;
# diff, extract, add-source, add and dictionary refuse only a package that reading left incomplete.
EXPECTED = {
    "against-unreadable": "0 0 0 0 0 0 0 0 0 0 0",
    "anchor-missing": "1 1 0 0 2 2 2 0 0 0 0",
    "bounds-order": "1 1 0 0 2 2 2 0 0 0 0",
    "claim-id-removed": "0 1 0 0 0 0 0 0 0 0 0",
    "claim-id-reused": "0 1 0 0 0 0 0 0 0 0 0",
    "claims-contradict": "0 0 0 0 0 0 0 0 0 0 0",
    "constraint-enum": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-length": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-maximum": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-minimum": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-pattern": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-required": "1 1 0 0 2 2 2 0 0 0 0",
    "constraint-unique": "1 1 0 0 2 2 2 0 0 0 0",
    "cumulative-decrease": "0 0 0 0 0 0 0 0 0 0 0",
    "reporters-disagree": "0 0 0 0 0 0 0 0 0 0 0",
    "date-in-future": "1 1 0 0 2 2 2 0 0 0 0",
    "descriptor-invalid": "1 2 0 2 2 2 2 2 2 2 2",
    "descriptor-unreadable": "1 2 2 2 2 2 2 2 2 2 2",
    "draft-unfinished": "1 1 0 0 2 2 2 0 0 0 0",
    "encoding-bom": "1 1 1 0 2 2 2 0 0 0 0",
    "encoding-not-utf8": "1 2 1 2 2 2 2 2 2 2 2",
    "file-empty": "1 2 1 2 2 2 2 2 2 2 2",
    "file-integrity": "1 1 0 0 2 2 2 0 0 0 0",
    "file-missing": "1 2 0 2 2 2 2 2 2 2 2",
    "foreign-key": "1 1 0 0 2 2 2 0 0 0 0",
    "foreign-key-invalid": "1 1 0 0 2 2 2 0 0 0 0",
    "format-uri": "1 1 0 0 2 2 2 0 0 0 0",
    "header-duplicate": "1 2 0 2 2 2 2 2 2 2 2",
    "header-mismatch": "1 2 1 2 2 2 2 2 2 2 2",
    "header-order": "1 1 1 0 2 2 2 0 0 0 0",
    "line-endings-cr": "1 1 1 0 2 2 2 0 0 0 0",
    "line-endings-crlf": "1 1 1 0 2 2 2 0 0 0 0",
    "locator-not-found": "1 1 0 0 2 2 2 0 0 0 0",
    "locator-value-mismatch": "1 1 0 0 2 2 2 0 0 0 0",
    "metric-comparison-invalid": "1 1 0 0 2 2 2 0 0 0 0",
    "path-not-relative": "1 2 0 2 2 2 2 2 2 2 2",
    "path-outside-package": "1 2 0 2 2 2 2 2 2 2 2",
    "path-remote": "1 2 0 2 2 2 2 2 2 2 2",
    "percent-out-of-range": "1 1 0 0 2 2 2 0 0 0 0",
    "period-order": "1 1 0 0 2 2 2 0 0 0 0",
    "qualifier-bounds": "1 1 0 0 2 2 2 0 0 0 0",
    "quote-normalised-match": "0 1 0 0 0 0 0 0 0 0 0",
    "quote-not-in-seed": "1 1 0 0 2 2 2 0 0 0 0",
    "quote-stray": "1 2 1 2 2 2 2 2 2 2 2",
    "quote-unclosed": "1 2 1 2 2 2 2 2 2 2 2",
    "resource-format-unsupported": "1 1 0 0 2 2 2 0 0 0 0",
    "resource-missing": "1 1 0 0 2 2 2 0 0 2 0",
    "row-blank": "1 1 1 0 2 2 2 0 0 0 0",
    "row-ragged": "1 2 1 2 2 2 2 2 2 2 2",
    "schema-invalid": "1 2 0 2 2 2 2 2 2 2 2",
    "seed-hash-mismatch": "1 1 0 0 2 2 2 0 0 0 0",
    "seed-missing": "1 1 0 0 2 2 2 2 0 0 0",
    "seed-unreadable": "1 1 0 0 2 2 2 0 0 0 0",
    "seed-unreferenced": "0 0 0 0 0 0 0 0 0 0 0",
    "source-archive-invalid": "1 1 0 0 2 2 2 2 0 0 0",
    "status-without-reason": "0 0 0 0 0 0 0 0 0 0 0",
    "superseded-orphan": "0 0 0 0 0 0 0 0 0 0 0",
    "supersedes-self": "1 1 0 0 2 2 2 0 0 0 0",
    "supersedes-status": "1 1 0 0 2 2 2 0 0 0 0",
    "text-control-char": "1 1 0 0 2 2 2 0 0 0 0",
    "text-formula": "1 1 0 0 2 2 2 0 0 0 0",
    "text-invisible-char": "1 1 0 0 2 2 2 0 0 0 0",
    "text-not-nfc": "0 0 1 0 0 0 0 0 0 0 0",
    "text-whitespace": "1 1 1 0 2 2 2 0 0 0 0",
    "type-date": "1 1 0 0 2 2 2 0 0 0 0",
    "type-integer": "1 1 0 0 2 2 2 0 0 0 0",
    "type-number": "1 1 0 0 2 2 2 0 0 0 0",
    "unit-metric-mismatch": "1 1 0 0 2 2 2 0 0 0 0",
    "version-not-bumped": "0 1 0 0 0 0 0 0 0 0 0",
    "wording-not-in-quote": "1 1 0 0 2 2 2 0 0 0 0",
    "wording-unparsed": "0 1 0 0 0 0 0 0 0 0 0",
    "wording-value-mismatch": "1 1 0 0 2 2 2 0 0 0 0",
}


def test_every_fixture_has_its_row() -> None:
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_every_command_on_a_bad_package(case: str, tmp_path: Path) -> None:
    expected = dict(zip(COMMANDS, map(int, EXPECTED[case].split()), strict=True))
    shared = make_package(tmp_path / "shared", BAD / case)  # for the commands that write nothing into it
    for i, command in enumerate(COMMANDS):
        pkg = shared if command in READ_ONLY else make_package(tmp_path / f"pkg{i}", BAD / case)
        assert _run(command, pkg, tmp_path / f"work{i}", case) == expected[command], (command, case)
    assert snapshot(shared) == snapshot(make_package(tmp_path / "again", BAD / case)), "a read-only command wrote"


def render() -> str:
    lines = [
        "# What each command does with a package it cannot fully read",
        "",
        "<!-- Written from the table EXPECTED in tests/test_contract.py, which runs every command on every"
        " bad fixture (tests/fixtures/bad) and holds each to this table. Change it there. -->",
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
    for case in sorted(EXPECTED):
        lines.append(f"| `{case}` | " + " | ".join(EXPECTED[case].split()) + " |")
    return "\n".join(lines) + "\n"


def test_the_documented_table_is_the_one_tested() -> None:
    text = render()
    if os.environ.get("CLAIMS_WRITE_CONTRACT"):
        DOC.write_text(text)
    assert DOC.read_text() == text, (
        "docs/bad-packages.md is out of date: CLAIMS_WRITE_CONTRACT=1 pytest tests/test_contract.py -k documented"
    )
