"""Hostile input: inputs made to shift data, switch a check off, reach outside the package or turn
an argument into an option. Each must end in a reported problem (exit 1) or a plain usage error
(exit 2), never in a traceback, an "internal error", a changed file or a published secret.

Families: dates, references, JSON, git arguments, symlinks, identifiers, huge cells, line
endings, concurrency, usage. What frictionless does with the same input is asserted where the
comparison is kept in docs/reading-traps.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from frictionless import validate as fl_validate
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.core.dates import parse_date, parse_dates
from toolkit.errors import UsageError
from toolkit.publish.build import build_dist
from toolkit.publish.release import apply_release, plan_release, release_lock

from .conftest import ROOT, edit, git, init_repo, make_package, snapshot

TODAY = dt.date(2026, 11, 25)
CLAIMS = "data/claims.csv"
runner = CliRunner()


def codes_at(report, code: str) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in report.problems if p.code == code]


def no_crash(result) -> None:
    assert "internal error" not in result.output and "Traceback" not in result.output, result.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_package(tmp_path / "repo")
    (repo / ".gitignore").write_text("dist/\n")
    init_repo(repo)
    return repo


# dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2022-02-30", "2023-02-29", "2022-04-31", "0000-01-01", "2022-00-10", "2022-13-01"])
def test_impossible_dates_are_type_errors_not_moved(tmp_path: Path, text: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, CLAIMS, ",2022-01-01,", f",{text},")
    report = validate_package(pkg, today=TODAY)
    assert codes_at(report, "type-date") == [(CLAIMS, 2, "period_start")]
    assert not fl_validate(str(pkg / "datapackage.json")).valid  # frictionless refuses them too
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 2 and not (tmp_path / "dist").exists()


def test_real_leap_day_and_year_bounds_are_dates(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, CLAIMS, ",2022-01-01,", ",2024-02-29,")
    edit(pkg, CLAIMS, ",2024-12-31,", ",2024-12-31,")
    assert validate_package(pkg, today=TODAY).ok()
    assert parse_date("0001-01-01") == dt.date(1, 1, 1) and parse_date("9999-12-31") == dt.date(9999, 12, 31)


def test_diff_with_year_zero_on_one_side_does_not_crash(tmp_path: Path) -> None:
    old, new = make_package(tmp_path / "old"), make_package(tmp_path / "new")
    edit(new, CLAIMS, ",2022-01-01,", ",0000-01-01,")
    result = runner.invoke(app, ["diff", str(old), str(new), "--exit-code"])
    no_crash(result)
    assert result.exit_code == 1 and "0000-01-01" in result.stdout


@pytest.mark.parametrize("option", ["--published", "--retrieved"])
@pytest.mark.parametrize("text", ["2024-02-30", "0000-01-01", "2024-2-3", "yesterday"])
def test_add_source_refuses_impossible_dates(tmp_path: Path, option: str, text: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_text("An invented report says 12 things happened.\n")
    before = snapshot(pkg)
    result = runner.invoke(app, ["add-source", str(doc), "--title", "T", option, text, "--package", str(pkg)])
    no_crash(result)
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    assert snapshot(pkg) == before


@given(st.text(alphabet="0123456789-", min_size=8, max_size=11))
def test_the_column_rule_and_the_scalar_rule_agree(text: str) -> None:
    ok, parsed = parse_dates(pa.chunked_array([pa.array([text])]))
    scalar = parse_date(text)
    assert ok.to_pylist() == [scalar is not None]
    if scalar is not None:
        assert parsed.to_pylist()[0].date() == scalar


# references and JSON ----------------------------------------------------------------------------


def test_foreign_key_to_a_missing_resource_is_reported_not_skipped(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "schemas/claims.schema.json", '"resource": "sources"', '"resource": "source"')
    edit(pkg, CLAIMS, "C0001,S0001,", "C0001,S9999,")
    report = validate_package(pkg, today=TODAY)
    assert [p.code for p in report.problems] == ["foreign-key-invalid"]
    fl_report = fl_validate(str(pkg / "datapackage.json"))
    assert [e.type for t in fl_report.tasks for e in t.errors] == ["resource-error"]
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    no_crash(result)
    assert result.exit_code == 2


def test_foreign_key_to_a_missing_field_is_reported(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    schema = json.loads((pkg / "schemas/claims.schema.json").read_text())
    schema["foreignKeys"][0]["reference"]["fields"] = ["source_key"]
    (pkg / "schemas/claims.schema.json").write_text(json.dumps(schema))
    report = validate_package(pkg, today=TODAY)
    [problem] = report.problems
    assert problem.code == "foreign-key-invalid" and "source_key" in problem.message


def test_duplicate_keys_in_a_schema(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    text = (pkg / "schemas/claims.schema.json").read_text()
    assert '"minimum": 0' in text
    (pkg / "schemas/claims.schema.json").write_text(
        text.replace('"minimum": 0', '"maximum": 10, "minimum": 0, "maximum": 100000000', 1)
    )
    report = validate_package(pkg, today=TODAY)
    assert [p.code for p in report.problems] == ["schema-invalid"]
    assert "'maximum' appears twice" in report.problems[0].message
    assert report.problems[0].file == "schemas/claims.schema.json"  # where the contributor must look
    assert fl_validate(str(pkg / "datapackage.json")).valid  # frictionless: the last key wins, silently


def test_duplicate_keys_in_the_descriptor(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "datapackage.json", '"name": "claims"', '"name": "claims", "name": "other"')
    report = validate_package(pkg, today=TODAY)
    assert [p.code for p in report.problems] == ["descriptor-unreadable"]
    assert "'name' appears twice" in report.problems[0].message


# git arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["diff", "--", "--output={f}", "."], ["diff", "--", "-o{f}", "."]])
def test_a_ref_that_looks_like_an_option_never_reaches_git_as_one(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    monkeypatch.chdir(repo)
    result = runner.invoke(app, [a.format(f=victim) for a in args])
    no_crash(result)
    assert result.exit_code == 2 and "never starts with '-'" in result.stderr
    assert victim.read_text() == "keep me\n"


def test_against_that_looks_like_an_option(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["validate", ".", f"--against=--output={victim}"])
    no_crash(result)
    assert result.exit_code == 1 and "against-unreadable" in result.stdout
    assert victim.read_text() == "keep me\n"


@pytest.mark.parametrize("ref", ["HEAD^{tree}", "no-such-branch", "HEAD:data", "HEAD\nHEAD", "HEAD~99"])
def test_refs_that_name_no_commit(repo: Path, monkeypatch: pytest.MonkeyPatch, ref: str) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["diff", ref, "."])
    no_crash(result)
    assert result.exit_code == 2 and "cannot read git ref" in result.stderr


# symlinks ---------------------------------------------------------------------------------------


def test_a_seed_link_to_a_private_file_is_an_error_and_never_shipped(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY\n")
    os.symlink(secret, pkg / "seeds" / "id_rsa")
    report = validate_package(pkg, today=TODAY)
    assert codes_at(report, "path-outside-package") == [("seeds/id_rsa", None, None)]
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 2 and not (tmp_path / "dist").exists()


def test_an_unreferenced_file_of_any_kind_is_a_warning_and_not_shipped(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / "seeds" / "notes.pdf").write_bytes(b"%PDF-1.4 not a seed")
    report = validate_package(pkg, today=TODAY)
    assert codes_at(report, "seed-unreferenced") == [("seeds/notes.pdf", None, None)]
    assert report.ok() and not report.ok(strict=True)
    result = build_dist(pkg, tmp_path / "dist")
    with zipfile.ZipFile(next(f for f in result.files if f.suffix == ".zip")) as zf:
        names = zf.namelist()
    assert not any(n.endswith("notes.pdf") for n in names)
    assert sum(n.endswith(".txt") and n.startswith("seeds/") for n in names) == 2


@pytest.mark.parametrize("doc", ["README.md", "CHANGELOG.md"])
def test_a_documentation_file_linked_out_of_the_package_is_refused(tmp_path: Path, doc: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    secret = tmp_path / "secret.md"
    secret.write_text("secret\n")
    os.symlink(secret, pkg / doc)
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    no_crash(result)
    assert result.exit_code == 2 and doc in result.stderr and "outside the package" in result.stderr


@pytest.mark.parametrize(("folder", "command"), [("dist", "build"), ("docs", "dictionary")])
def test_an_output_folder_linked_out_of_the_package_is_not_written(tmp_path: Path, folder: str, command: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, pkg / folder)
    result = runner.invoke(app, [command, str(pkg)])
    no_crash(result)
    assert result.exit_code == 2 and list(outside.iterdir()) == []


def test_a_seed_linked_inside_the_package_is_accepted(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / "archive").mkdir()
    os.replace(pkg / "seeds" / "S0002.txt", pkg / "archive" / "S0002.txt")
    os.symlink(pkg / "archive" / "S0002.txt", pkg / "seeds" / "S0002.txt")
    assert validate_package(pkg, today=TODAY).ok(strict=True)


# identifiers ------------------------------------------------------------------------------------


def test_hostile_field_names_are_quoted_in_sqlite(tmp_path: Path) -> None:
    # The standard constrains resource names (tests/test_descriptor.py) but not field names
    pkg = make_package(tmp_path / "pkg")
    name, field = "extra", 'x"; DROP TABLE claims; --'
    (pkg / "data" / "extra.csv").write_text(f'"{field.replace(chr(34), chr(34) * 2)}"\nvalue\n')
    (pkg / "schemas" / "extra.schema.json").write_text(json.dumps({"fields": [{"name": field, "type": "string"}]}))
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"].append({"name": name, "path": "data/extra.csv", "schema": "schemas/extra.schema.json"})
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    result = build_dist(pkg, tmp_path / "dist")
    db = next(f for f in result.files if f.suffix == ".sqlite")
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"claims", name} <= tables
    assert con.execute(
        f'SELECT "{field.replace(chr(34), chr(34) * 2)}" FROM "{name.replace(chr(34), chr(34) * 2)}"'
    ).fetchall() == [("value",)]
    assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == 4
    con.close()


def test_names_sqlite_cannot_tell_apart_are_a_usage_error(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / "data" / "extra.csv").write_text("Tanks,tanks\n1,2\n")
    fields = [{"name": "Tanks", "type": "integer"}, {"name": "tanks", "type": "integer"}]
    (pkg / "schemas" / "extra.schema.json").write_text(json.dumps({"fields": fields}))
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"].append({"name": "extra", "path": "data/extra.csv", "schema": "schemas/extra.schema.json"})
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    no_crash(result)
    assert result.exit_code == 2 and "differ only in case" in result.stderr


# huge cells and line endings --------------------------------------------------------------------


def test_a_cell_of_nine_megabytes_is_read_and_the_other_problems_reported(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, CLAIMS, "went home.,reported,,", "went home.,reported,," + "x" * 9_000_000)
    edit(pkg, CLAIMS, ",at_least,", ",atleast,")
    report = validate_package(pkg, today=TODAY)
    assert codes_at(report, "constraint-enum") == [(CLAIMS, 2, "qualifier")]
    assert report.checked[CLAIMS] == 4
    assert not fl_validate(str(pkg / "datapackage.json")).valid


def test_classic_mac_line_endings_are_one_problem_and_rows_still_count(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, CLAIMS, ",at_least,", ",atleast,")
    path = pkg / CLAIMS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    report = validate_package(pkg, today=TODAY)
    assert set(report.counts) == {"line-endings-cr", "constraint-enum"}, report.counts
    assert codes_at(report, "constraint-enum") == [(CLAIMS, 2, "qualifier")]
    edit(pkg, CLAIMS, ",atleast,", ",at_least,")
    assert fl_validate(str(pkg / "datapackage.json")).valid  # frictionless reads CR as a line end


def test_one_crlf_line_is_reported_at_its_row(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    path = pkg / CLAIMS
    lines = path.read_bytes().split(b"\n")
    lines[3] += b"\r"
    path.write_bytes(b"\n".join(lines))
    report = validate_package(pkg, today=TODAY)
    assert codes_at(report, "line-endings-crlf") == [(CLAIMS, 4, None)]
    assert set(report.counts) == {"line-endings-crlf"}


# concurrency and failure ------------------------------------------------------------------------


def test_a_release_planned_before_another_landed_is_refused(repo: Path) -> None:
    first = plan_release(repo, date=TODAY)
    second = plan_release(repo, date=TODAY)
    apply_release(first)
    head, tags = git(repo, "rev-parse", "HEAD"), git(repo, "tag", "--list")
    before = snapshot(repo)
    with pytest.raises(UsageError, match="changed since this release was planned"):
        apply_release(second)
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "tag", "--list") == tags
    assert snapshot(repo) == before
    assert json.loads((repo / "datapackage.json").read_text())["version"] == first.version


def test_a_second_release_while_one_runs_is_refused(repo: Path) -> None:
    plan = plan_release(repo, date=TODAY)
    before = snapshot(repo)
    with release_lock(repo), pytest.raises(UsageError, match="another `claims release` is running"):
        apply_release(plan)
    assert snapshot(repo) == before and git(repo, "tag", "--list") == ""


def test_a_build_failure_after_tagging_undoes_the_release(repo: Path) -> None:
    plan = plan_release(repo, date=TODAY)
    head = git(repo, "rev-parse", "HEAD")
    before = snapshot(repo)

    def fail() -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        apply_release(plan, then=fail)
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "tag", "--list") == ""
    assert snapshot(repo) == before and git(repo, "status", "--porcelain") == ""


# usage ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["data/claims.csv", "seeds/S0001.txt"])
def test_a_file_instead_of_a_package_is_a_usage_error(target: str) -> None:
    result = runner.invoke(app, ["validate", str(ROOT / target)])
    no_crash(result)
    assert result.exit_code == 2 and "pass the folder" in result.stderr


def test_add_source_never_writes_through_a_seeds_link_out_of_the_package(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for seed in (pkg / "seeds").iterdir():
        seed.rename(outside / seed.name)
    (pkg / "seeds").rmdir()
    os.symlink(outside, pkg / "seeds")
    before = sorted(p.name for p in outside.iterdir())
    doc = tmp_path / "doc.txt"
    doc.write_text("An invented report says 12 things happened.\n")
    result = runner.invoke(app, ["add-source", str(doc), "--title", "T", "--package", str(pkg)])
    no_crash(result)
    assert result.exit_code == 2 and sorted(p.name for p in outside.iterdir()) == before


def test_add_source_and_extract_from_a_subfolder_write_into_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = make_package(tmp_path / "pkg")
    doc = tmp_path / "doc.txt"
    doc.write_text("An invented office counted at least 1,200 absences.\n")
    monkeypatch.chdir(pkg / "data")
    assert runner.invoke(app, ["add-source", str(doc), "--title", "T"]).exit_code == 0
    assert runner.invoke(app, ["extract", "S0003", "--append"]).exit_code == 0
    assert (pkg / "seeds" / "S0003.txt").is_file() and not (pkg / "data" / "seeds").exists()
    assert "S0003" in (pkg / "data" / "sources.csv").read_text() and not (pkg / "data" / "data").exists()
    assert "at least 1,200" in (pkg / "data" / "claims.csv").read_text()


def test_build_and_release_from_a_subfolder_write_where_the_package_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: Path
) -> None:
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "changelog")
    monkeypatch.chdir(repo / "data")
    result = runner.invoke(app, ["release", "--yes"])
    assert result.exit_code == 0, result.output
    assert (repo / "dist" / "0.1.0" / "war-claims-0.1.0.zip").is_file()
    assert not (repo / "data" / "dist").exists() and not (repo / "data" / "datapackage.json").exists()
    assert "## [0.1.0]" in (repo / "CHANGELOG.md").read_text()
    assert runner.invoke(app, ["build"]).exit_code == 0 and not (repo / "data" / "dist").exists()
