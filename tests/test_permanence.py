"""--against: claim IDs are forever, and a breaking change needs a new major version."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit.check.permanence import _major
from toolkit.check.validate import validate_package

from .conftest import BAD, edit, init_repo, make_package


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


def _claims_lines(pkg: Path) -> list[str]:
    return (pkg / "data/claims.csv").read_text(encoding="utf-8").splitlines()


def _write_claims(pkg: Path, lines: list[str]) -> None:
    (pkg / "data/claims.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_removed_claim_is_reported_at_its_id_and_is_not_a_version_question(tmp_path: Path) -> None:
    """Removing a claim is never allowed, whatever the version: the problem is claim-id-removed
    alone, naming the ID and the state it was in, not a request for a major version."""
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    _write_claims(new, [line for line in _claims_lines(new) if not line.startswith("C0003,")])
    report = validate_package(new, against=str(old))
    assert [(p.code, p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("claim-id-removed", "data/claims.csv", None, "claim_id", "C0003")
    ]
    assert report.problems[0].message == f"C0003 is in {old} but not here."


def test_rows_removed_from_another_table_need_the_next_major_version(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    with (old / "data/claimants.csv").open("a", encoding="utf-8") as f:
        f.write("fixture_agency,Fixture Agency,government,UA,\n")
    new = make_package(tmp_path / "new")
    edit(old, "datapackage.json", '"version": "0.1.0"', '"version": "2.3.4"')
    edit(new, "datapackage.json", '"version": "0.1.0"', '"version": "2.4.0"')
    report = validate_package(new, against=str(old))
    [p] = report.problems
    assert (p.code, p.file, p.row, p.column, p.value) == (
        "version-not-bumped",
        "datapackage.json",
        None,
        "version",
        "2.4.0",
    )
    assert f"compared with {old} (claimants: 1 row(s) removed)" in p.message
    assert "says version '2.4.0', not a new major version." in p.message
    assert p.hint.startswith('Set "version" in datapackage.json to 3.0.0 and say in CHANGELOG.md')
    edit(new, "datapackage.json", '"version": "2.4.0"', '"version": "3.0.0"')
    assert validate_package(new, against=str(old)).total == 0


def test_an_old_version_that_is_not_semantic_asks_for_a_new_major_version_in_words() -> None:
    assert [_major(v) for v in ("2.3.4", "0.1.0", "10.0.1")] == [2, 0, 10]
    assert [_major(v) for v in ("1.2", "1.2.3.4", "v1.2.3", "a.b.c", "", None)] == [None] * 6


def test_the_comparison_lists_at_most_five_breaking_changes(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    schema = json.loads((new / "schemas/claims.schema.json").read_text(encoding="utf-8"))
    # a length limit on every text field that had none: each is a narrowing, a breaking change
    for field in schema["fields"]:
        field.setdefault("constraints", {})
    narrowed = [
        f for f in schema["fields"] if f.get("type", "string") == "string" and "maxLength" not in f["constraints"]
    ]
    for field in narrowed:
        field["constraints"]["maxLength"] = 100_000
    assert len(narrowed) > 5
    (new / "schemas/claims.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    [p] = validate_package(new, against=str(old)).problems
    listed = p.message.split(" (", 1)[1].split("), but", 1)[0].split("; ")
    assert listed == [f"schema:claims constraint-changed {f['name']}.maxLength" for f in narrowed[:5]]


def test_an_unreadable_previous_state_is_a_problem_at_that_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Named as it was given (short names here: a long value is shown cut in the report)."""
    new = make_package(tmp_path / "new")
    monkeypatch.chdir(tmp_path)
    [p] = validate_package(new, against="nowhere.zip").problems
    assert (p.code, p.file, p.value) == ("against-unreadable", "nowhere.zip", "nowhere.zip")
    assert "nowhere.zip" in p.message
    old = make_package(tmp_path / "old")
    descriptor = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "claims"]
    (old / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    [p] = validate_package(new, against="old").problems
    assert (p.code, p.file, p.value) == ("against-unreadable", "old", "old")
    assert p.message == "old has no readable claims table."


def test_a_reused_id_is_reported_at_its_row_with_what_changed(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    edit(new, "data/claims.csv", "C0004,S0002,", "C0004,S0001,")
    report = validate_package(new, against=str(old))
    reused = [p for p in report.problems if p.code == "claim-id-reused"]
    assert [(p.file, p.row, p.column, p.value) for p in reused] == [("data/claims.csv", 5, "claim_id", "C0004")]
    assert reused[0].message == f"C0004 named a different figure in {old} (its source_id or quote or wording changed)."
    assert reused[0].line == 5


def test_a_wording_that_was_empty_and_is_now_given_is_another_figure(tmp_path: Path) -> None:
    """Empty on one side only is a change; empty on both is not."""
    old = make_package(tmp_path / "old")
    new = make_package(tmp_path / "new")
    edit(
        old,
        "data/claims.csv",
        'unattributed,,recruits,fixture recruits,"Between 5,000 and 7,000",',
        "unattributed,,recruits,fixture recruits,,",
    )
    assert [(p.code, p.value) for p in validate_package(new, against=str(old)).problems] == [
        ("claim-id-reused", "C0004")
    ]
    edit(
        new,
        "data/claims.csv",
        'unattributed,,recruits,fixture recruits,"Between 5,000 and 7,000",',
        "unattributed,,recruits,fixture recruits,,",
    )
    assert "claim-id-reused" not in validate_package(new, against=str(old)).counts


def test_an_identity_column_the_old_state_lacks_is_not_compared(tmp_path: Path) -> None:
    """An older release without a wording column still compares on source and quote."""
    old = make_package(tmp_path / "old")
    frame = pd.read_csv(old / "data/claims.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="wording").to_csv(old / "data/claims.csv", index=False)
    schema = json.loads((old / "schemas/claims.schema.json").read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "wording"]
    (old / "schemas/claims.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    new = make_package(tmp_path / "new")
    assert "claim-id-reused" not in validate_package(new, against=str(old)).counts
    edit(new, "data/claims.csv", "C0004,S0002,", "C0004,S0001,")
    assert [
        (p.code, p.value) for p in validate_package(new, against=str(old)).problems if p.code == "claim-id-reused"
    ] == [("claim-id-reused", "C0004")]


def test_an_old_state_with_a_duplicated_id_compares_on_its_first_row(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    lines = _claims_lines(old)
    duplicate = next(line for line in lines if line.startswith("C0004,")).replace("fixture recruits", "other recruits")
    _write_claims(old, [*lines, duplicate])
    new = make_package(tmp_path / "new")
    assert "claim-id-reused" not in validate_package(new, against=str(old)).counts


def test_a_previous_state_that_loses_data_is_named_in_the_problem(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    with (old / "data/claims.csv").open("a", encoding="utf-8") as f:
        f.write('C0009,"an unterminated quote\n')
    new = make_package(tmp_path / "new")
    [p] = validate_package(new, against=str(old)).problems
    assert p.code == "against-unreadable"
    assert p.message.startswith(f"{old} cannot be read without losing data: ")


def test_a_git_ref_is_read_from_the_package_repository_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = init_repo(make_package(tmp_path / "pkg"))
    _write_claims(pkg, [line for line in _claims_lines(pkg) if not line.startswith("C0003,")])
    monkeypatch.chdir(tmp_path)  # not a repository: the ref must be looked up beside the package
    report = validate_package(pkg, against="HEAD")
    assert [(p.code, p.value) for p in report.problems] == [("claim-id-removed", "C0003")]
    assert report.problems[0].message == "C0003 is in HEAD but not here."


def test_an_old_version_that_is_not_x_y_z_asks_for_a_new_major_version(tmp_path: Path) -> None:
    old = make_package(tmp_path / "old")
    edit(old, "datapackage.json", '"version": "0.1.0"', '"version": "draft"')
    new = make_package(tmp_path / "new", BAD / "version-not-bumped")
    [p] = validate_package(new, against=str(old)).problems
    assert p.code == "version-not-bumped"
    assert p.hint == (
        'Set "version" in datapackage.json to a new major version and say in CHANGELOG.md what users must '
        "change; or make the change without breaking (add a field instead of renaming one, widen instead of "
        "narrowing)."
    )
