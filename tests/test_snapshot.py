"""Reading a snapshot as the package is read: no link or FIFO out of the snapshot folder, figures
and integers of bounded size, and every day the package holds that a newer snapshot lacks named,
even when the newer file is empty. Each refusal names the file and the record and writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.upstream.series_import import import_snapshot

from .conftest import UPSTREAM, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-series.toml")
TODAY = dt.date(2026, 11, 25)
A, B = "a" * 40, "b" * 40
runner = CliRunner()


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return series_package(tmp_path / "pkg")


def _copy(tmp_path: Path, name: str = "snap-b") -> Path:
    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / name, folder)
    return folder


def _cli(pkg: Path, folder: Path, *extra: str):
    return runner.invoke(app, ["import", MAPPING, str(folder), "--commit", B, "-p", str(pkg), *extra])


def test_a_licence_that_links_out_of_the_snapshot_is_refused(pkg: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("a file of the machine, not of the snapshot\n")
    folder = _copy(tmp_path)
    (folder / "LICENSE").unlink()
    (folder / "LICENSE").symlink_to(outside)
    before = snapshot(pkg)
    out = _cli(pkg, folder)
    assert out.exit_code == 2, out.output
    assert "LICENSE" in out.stderr and "symbolic link" in out.stderr and "nothing was written" in out.stderr
    assert snapshot(pkg) == before


def test_a_data_file_that_links_inside_the_snapshot_is_refused_too(pkg: Path, tmp_path: Path) -> None:
    """A link is refused wherever it points: what is archived must be the file at its path."""
    folder = _copy(tmp_path)
    (folder / "data/copy.json").write_bytes((folder / "data/equipment.json").read_bytes())
    (folder / "data/equipment.json").unlink()
    (folder / "data/equipment.json").symlink_to("copy.json")
    out = _cli(pkg, folder)
    assert out.exit_code == 2 and "data/equipment.json" in out.stderr and "symbolic link" in out.stderr


def test_a_data_folder_that_links_out_is_refused(pkg: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(UPSTREAM / "snap-b" / "data", elsewhere)
    folder = _copy(tmp_path)
    shutil.rmtree(folder / "data")
    (folder / "data").symlink_to(elsewhere, target_is_directory=True)
    out = _cli(pkg, folder)
    assert out.exit_code == 2 and "symbolic link" in out.stderr
    assert not (pkg / "seeds" / "fixture-series").exists()


def test_a_fifo_in_place_of_a_file_is_refused_without_blocking(pkg: Path, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "data/personnel.json").unlink()
    os.mkfifo(folder / "data/personnel.json")
    out = _cli(pkg, folder)  # a read of a FIFO with no writer would block for ever
    assert out.exit_code == 2, out.output
    assert "data/personnel.json" in out.stderr and "not a regular file" in out.stderr


def test_a_file_larger_than_the_bound_is_refused_unread(pkg: Path, tmp_path: Path, monkeypatch) -> None:
    from toolkit.upstream import snapshot as module

    monkeypatch.setattr(module, "MAX_FILE_BYTES", 200)
    folder = _copy(tmp_path)
    out = _cli(pkg, folder)
    assert out.exit_code == 2
    assert "data/equipment.json" in out.stderr and "larger than 200 bytes" in out.stderr


def _edit_equipment(folder: Path, record: int, field: str, raw_number: str) -> None:
    """Put a number into the file as its digits, as json.dumps could not write 10**400 exactly."""
    path = folder / "data/equipment.json"
    records = json.loads(path.read_text())
    records[record][field] = "@@NUMBER@@"
    path.write_text(json.dumps(records, indent=4).replace('"@@NUMBER@@"', raw_number))


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        ("1" + "0" * 400, "a figure of 401 digits"),  # 10^400
        ("7" * 5001, "a figure of 5,001 digits"),  # longer than Python converts to an int
        ("1" + "0" * 16, "a figure of 17 digits"),  # past 2**53: no reader's float holds it exactly
    ],
    ids=["ten_to_the_400", "digits_5001", "digits_17"],
)
def test_an_enormous_figure_is_refused_at_its_record(pkg: Path, tmp_path: Path, digits: str, message: str) -> None:
    folder = _copy(tmp_path)
    _edit_equipment(folder, 3, "tanks", digits)
    before = snapshot(pkg)
    out = _cli(pkg, folder)
    assert out.exit_code == 2, out.output
    assert "data/equipment.json record 3 (/3), field 'tanks'" in out.stderr and message in out.stderr
    assert "bug in claims" not in out.output and "Traceback" not in out.output
    assert snapshot(pkg) == before


def test_a_float_that_overflows_is_refused_at_its_record(pkg: Path, tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_equipment(folder, 2, "tanks", "1e400")
    out = _cli(pkg, folder)
    assert out.exit_code == 2 and "record 2 (/2), field 'tanks'" in out.stderr and "not a whole number" in out.stderr
    assert "bug in claims" not in out.output


def test_an_empty_file_names_every_day_it_no_longer_has(pkg: Path, tmp_path: Path) -> None:
    import_snapshot(pkg, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    folder = _copy(tmp_path)
    (folder / "data/personnel.json").write_text("[]\n")
    result = import_snapshot(pkg, MAPPING, folder, commit=B, today=TODAY, dry_run=True)
    assert result.plan.missing_days == [dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)]
    out = _cli(pkg, folder, "--dry-run")
    assert out.exit_code == 0, out.output
    assert "3 day(s) the package holds are missing from the snapshot" in out.stderr
    assert "data/personnel.json" in out.stderr


def test_the_json_report_lists_the_missing_days_by_file(pkg: Path, tmp_path: Path) -> None:
    import_snapshot(pkg, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    folder = _copy(tmp_path)
    (folder / "data/personnel.json").write_text("[]\n")
    out = _cli(pkg, folder, "--dry-run", "--format", "json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert (report["format"], report["format_version"], report["dry_run"], report["written"]) == (
        "claims-import",
        1,
        True,
        [],
    )
    [snapshot_] = report["snapshots"]
    assert snapshot_["commit"] == B and snapshot_["missing_days"] == {
        "data/personnel.json": {"count": 3, "days": ["2024-01-01", "2024-01-02", "2024-01-03"]}
    }
