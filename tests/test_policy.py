"""The reading policy: each code's effect decides what every command does with the package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from toolkit.check.validate import load_valid
from toolkit.errors import UsageError
from toolkit.problems import codes
from toolkit.problems.codes import CODES, EFFECTS
from toolkit.problems.report import Report
from toolkit.read.load import load_package
from toolkit.read.policy import blocking, open_readable, read_folder

from .conftest import BAD, make_package

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def test_every_code_states_one_of_the_four_effects() -> None:
    assert set(EFFECTS) == set(CODES)
    assert set(EFFECTS.values()) == set(get_args(codes.Effect))
    assert {c for c, e in EFFECTS.items() if e == "unreadable"} == {
        "descriptor-unreadable",
        "file-missing",
        "schema-invalid",
        "file-empty",
        "resource-missing",
    }
    assert {c for c, e in EFFECTS.items() if e == "as-text"} == {"type-integer", "type-number", "type-date"}


@pytest.mark.parametrize("case", CASES)
def test_readable_means_no_row_column_or_file_was_left_out(case: str, tmp_path: Path) -> None:
    """For each bad fixture: the policy blocks exactly when its reading problems lose data."""
    expect = json.loads((BAD / case / "expect.json").read_text())
    pkg = make_package(tmp_path / "pkg", BAD / case)
    report = Report()
    package = load_package(pkg, report)
    lost = {c for c in report.counts if EFFECTS[c] in ("unreadable", "lost")}
    assert blocking(report, "readable") == lost
    if lost or package is None:
        with pytest.raises(UsageError, match="cannot be read without losing data"):
            read_folder(pkg)
    else:
        assert read_folder(pkg) is not None
    if CODES[expect["code"]].severity == "error" and "against" not in expect:  # those need --against
        with pytest.raises(UsageError):
            load_valid(pkg)


def test_a_cell_kept_as_text_does_not_stop_a_comparison(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "type-integer")
    package = read_folder(pkg)
    assert package.tables["claims"].invalid_text["value"]


def test_a_zip_is_read_whole_and_its_folder_removed_after(tmp_path: Path) -> None:
    """open_readable unpacks a zip for as long as the with block, and reads it like a folder."""
    import zipfile

    pkg = make_package(tmp_path / "pkg")
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(pkg.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(pkg).as_posix())
    with open_readable(str(archive), "the zip") as package:
        unpacked = package.root
        assert (unpacked / "datapackage.json").is_file()
        assert len(package.tables["claims"].frame) == len(read_folder(pkg).tables["claims"].frame)
    assert not unpacked.exists()


def test_a_broken_side_is_refused_with_what_it_loses(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "row-ragged")
    with (
        pytest.raises(UsageError, match=r"the old side cannot be read without losing data: .*row-ragged"),
        open_readable(pkg, "the old side"),
    ):
        pass
