"""claims build: the release downloads, each opened the way its users open it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package
from frictionless import validate as fl_validate
from openpyxl import load_workbook
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.publish.build import build_dist

from .conftest import ROOT, edit, make_package

CLAIMS = "data/claims.csv"
runner = CliRunner()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(tmp_path: Path):
    pkg = make_package(tmp_path / "pkg")
    # data/ refuses = and @ starts, but "+1 ..." is allowed there and still runs in a spreadsheet
    edit(pkg, CLAIMS, "went home.,reported,,", "went home.,reported,,+1 more reported later")
    return pkg, build_dist(pkg, tmp_path / "dist")


def test_every_download_carries_the_version_and_is_byte_identical_when_built_twice(tmp_path: Path, built) -> None:
    pkg, first = built
    second = build_dist(pkg, tmp_path / "again")
    names = sorted(f.name for f in first.files)
    assert names == [
        "war-claims-0.1.0-claims-flat.csv",
        "war-claims-0.1.0-claims.parquet",
        "war-claims-0.1.0-datasette-metadata.json",
        "war-claims-0.1.0-reporters-disagree.csv",  # header only: the fixture has one compilation per claimant
        "war-claims-0.1.0-reporters-disagree.schema.json",
        "war-claims-0.1.0.xlsx",
        "war-claims-0.1.0.zip",
        "war-claims-v0_1_0.sqlite",
    ]
    assert first.folder == tmp_path / "dist" / "0.1.0"
    assert sorted(p.name for p in first.folder.iterdir()) == sorted([*names, "site"])
    for a, b in zip(sorted(first.files), sorted(second.files), strict=True):
        if a.suffix != ".sqlite":  # SQLite pages carry no time, but compare the dump to be sure
            assert sha256(a) == sha256(b), a.name
    databases = [next(f for f in result.files if f.suffix == ".sqlite") for result in (first, second)]
    dump = [list(sqlite3.connect(f).iterdump()) for f in databases]
    assert dump[0] == dump[1]


def test_the_zip_opens_in_frictionless_and_in_claims(built) -> None:
    _pkg, result = built
    archive = next(f for f in result.files if f.suffix == ".zip")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert names[0] == "datapackage.json" and not any(n.startswith("war-claims") for n in names)
    package = Package(str(archive))
    rows = package.get_resource("claims").read_rows()
    assert isinstance(rows[0]["value"], Decimal) and rows[0]["value"] == Decimal("50000")  # number: exact decimals
    assert rows[0]["period_start"] == dt.date(2022, 1, 1)
    assert fl_validate(str(archive)).valid
    assert validate_package(archive).ok()
    assert runner.invoke(app, ["validate", str(archive)]).exit_code == 0


def test_files_get_the_mode_of_an_ordinary_write(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    old = os.umask(0o022)
    try:
        result = build_dist(pkg, tmp_path / "dist")
    finally:
        os.umask(old)
    for file in result.files:
        assert file.stat().st_mode & 0o777 == 0o644, file.name
    assert result.folder.stat().st_mode & 0o777 == 0o755


def test_flat_csv_neutralises_formulas_and_keeps_data_as_written(built) -> None:
    pkg, result = built
    flat = next(f for f in result.files if f.name.endswith("claims-flat.csv")).read_bytes()
    assert flat.startswith(b"\xef\xbb\xbf") and b"\r\n" not in flat
    assert b"'+1 more reported later" in flat
    assert "'+1 more" not in (pkg / CLAIMS).read_text()


def test_workbook_cells_are_typed_and_the_sheets_made_for_people(built) -> None:
    _pkg, result = built
    book = load_workbook(next(f for f in result.files if f.suffix == ".xlsx"))
    assert book.sheetnames == ["about", "claims_flat", "sources", "claimants", "metrics", "data_dictionary"]
    about = {r[0].value: r[1].value for r in book["about"].iter_rows()}
    assert about["version"] == "0.1.0" and "CC-BY-4.0" in about["licence"] and "C0001" in about["how to cite"]
    sheet = book["claims_flat"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "claim_id" and all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}5"
    assert sheet.column_dimensions["A"].width >= 8
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["value"].value == 50000 and row["value"].data_type == "n"
    assert isinstance(row["period_start"].value, dt.datetime) and row["period_start"].is_date
    assert row["period_start"].value.date() == dt.date(2022, 1, 1)
    assert row["value_high"].value is None
    formula = next(c for r in sheet.iter_rows() for c in r if isinstance(c.value, str) and "more reported" in c.value)
    assert formula.value == "+1 more reported later" and formula.data_type == "s"  # text, never run
    dictionary = [[c.value for c in r] for r in book["data_dictionary"].iter_rows()]
    assert dictionary[[r[1] for r in dictionary].index("value")][:2] == ["claims", "value"]


def test_a_table_too_long_for_a_sheet_is_left_out_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.publish.workbook as workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    pkg = make_package(tmp_path / "pkg")
    line = (pkg / CLAIMS).read_text().splitlines()[4].replace("C0004", "C0005")
    (pkg / CLAIMS).write_text((pkg / CLAIMS).read_text() + line + "\n")
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert "claims_flat (5 rows) is too long for a workbook sheet" in result.stderr
    book = load_workbook(tmp_path / "dist" / "0.1.0" / "war-claims-0.1.0.xlsx")
    assert "claims_flat" not in book.sheetnames
    about = {r[0].value: r[1].value for r in book["about"].iter_rows()}
    assert "claims-flat.csv" in about["left out"]


def test_sqlite_has_keys_a_flat_view_and_datasette_metadata(built) -> None:
    _pkg, result = built
    db = next(f for f in result.files if f.suffix == ".sqlite")
    assert "." not in db.stem
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM claims WHERE claim_id = 'C0001'").fetchone() == (50000,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    flat = con.execute("SELECT claim_id, claimant_name, source_title FROM claims_flat ORDER BY claim_id").fetchall()
    assert len(flat) == 4 and all(r[1] and r[2] for r in flat)
    metadata = json.loads(next(f for f in result.files if f.name.endswith("metadata.json")).read_text())
    tables = metadata["databases"][db.stem]["tables"]
    assert metadata["license"] == "CC-BY-4.0" and tables["claims"]["columns"]["value"]
    assert "claims_flat" in tables


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_serves_the_database_and_the_view(built) -> None:
    pytest.importorskip("datasette", reason="datasette is not installed (pip install -e '.[datasette]')")
    _pkg, result = built
    db = next(f for f in result.files if f.suffix == ".sqlite")
    metadata = next(f for f in result.files if f.name.endswith("metadata.json"))
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "-m", str(metadata), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/{db.stem}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"{base}/claims.json?_shape=array", timeout=5) as response:
            claims = json.load(response)
        with urllib.request.urlopen(f"{base}/claims_flat.json?_shape=array", timeout=5) as response:
            flat = json.load(response)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/metadata.json", timeout=5) as response:
            served = json.load(response)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert {c["claim_id"] for c in claims} == {"C0001", "C0002", "C0003", "C0004"}
    assert flat[0]["claimant_name"] and served["license"] == "CC-BY-4.0"


_KILL_DURING = """
import os, signal, sys
from pathlib import Path
import toolkit.publish.build as build

BUILD = os.getpid()  # the downloads are written by a second process: kill the build itself

def die(*args, **kwargs):
    Path(sys.argv[3]).write_text(str(os.getpid()))
    os.kill(BUILD, signal.SIGKILL)
    signal.pause()

build.write_database = die
build.build_dist(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"):
            return True  # a zombie: dead, waiting for its new parent to collect it
        time.sleep(0.05)
    return False


def test_a_build_killed_midway_leaves_the_previous_set_intact(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    out = tmp_path / "dist"
    before = build_dist(pkg, out)
    hashes = {f.name: sha256(f) for f in before.files}
    edit(pkg, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    writer = tmp_path / "writer.pid"
    proc = subprocess.run([sys.executable, "-c", _KILL_DURING, str(pkg), str(out), str(writer)], cwd=ROOT, check=False)
    assert proc.returncode == -signal.SIGKILL
    assert _gone(int(writer.read_text()))  # the process writing the downloads died with the build
    assert {f.name: sha256(f) for f in (out / "0.1.0").iterdir() if f.is_file()} == hashes  # nothing new mixed in
    after = build_dist(pkg, out)  # the next build clears what the killed one left
    assert sorted(p.name for p in out.iterdir()) == [".build.lock", "0.1.0"]
    assert {f.name: sha256(f) for f in after.files} != hashes


def _build_failing_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, fail) -> tuple:
    """A set built, then `claims build` again with one of build's steps replaced by fail: the
    package, the output folder, the first set's hashes and the second command's result."""
    pkg = make_package(tmp_path / "pkg")
    out = tmp_path / "dist"
    before = {f.name: sha256(f) for f in build_dist(pkg, out).files}
    import toolkit.publish.build as build

    monkeypatch.setattr(build, step, fail)
    return pkg, out, before, runner.invoke(app, ["build", str(pkg), "--out", str(out)])


def test_a_full_disk_is_an_environment_error_and_the_old_set_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", "war-claims-0.1.0.xlsx")

    _pkg, out, before, result = _build_failing_at(tmp_path, monkeypatch, "write_claims_workbook", full)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert "internal error" not in result.output and "war-claims-0.1.0.xlsx" in result.stderr
    assert {f.name: sha256(f) for f in (out / "0.1.0").iterdir() if f.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == [".build.lock", "0.1.0"]


def test_the_build_in_two_processes_writes_the_same_bytes_as_in_one(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    two = build_dist(pkg, tmp_path / "two", parallel=True)
    one = build_dist(pkg, tmp_path / "one", parallel=False)
    files = {p.relative_to(two.folder): p for p in two.folder.rglob("*") if p.is_file()}
    assert len(files) > 20 and sorted(files) == sorted(
        p.relative_to(one.folder) for p in one.folder.rglob("*") if p.is_file()
    )
    for rel, path in files.items():
        if path.suffix != ".sqlite":
            assert path.read_bytes() == (one.folder / rel).read_bytes(), rel
    dumps = [list(sqlite3.connect(f / "war-claims-v0_1_0.sqlite").iterdump()) for f in (two.folder, one.folder)]
    assert dumps[0] == dumps[1]
    assert two.workbook == one.workbook


def test_a_downloads_process_killed_from_outside_is_an_environment_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would

    pkg, out, before, result = _build_failing_at(tmp_path, monkeypatch, "write_database", killed)
    assert result.exit_code == 2, result.output
    assert "ended without finishing" in result.stderr and "internal error" not in result.output
    assert {f.name: sha256(f) for f in (out / "0.1.0").iterdir() if f.is_file()} == before
    monkeypatch.undo()
    serial = runner.invoke(app, ["build", str(pkg), "--out", str(out), "--serial"])
    assert serial.exit_code == 0, serial.output


def test_no_site_builds_only_the_downloads(tmp_path: Path) -> None:
    result = build_dist(make_package(tmp_path / "pkg"), tmp_path / "dist", site=False)
    assert result.site is None and not (result.folder / "site").exists() and len(result.files) == 8


def test_two_versions_are_two_sets(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    out = tmp_path / "dist"
    build_dist(pkg, out)
    edit(pkg, "datapackage.json", '"version": "0.1.0"', '"version": "0.2.0"')
    build_dist(pkg, out)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["0.1.0", "0.2.0"]
    files = [p for p in (out / "0.2.0").iterdir() if p.is_file()]  # and the site/ folder
    assert files and all("0.2.0" in p.name or "0_2_0" in p.name for p in files)


def test_zip_bombs_and_escaping_entries_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("datapackage.json", "{}")
        with zf.open("data/claims.csv", "w", force_zip64=True) as out:
            block = b"0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB packed: a thousand to one
                out.write(block)
    result = runner.invoke(app, ["validate", str(bomb)])
    assert result.exit_code == 2 and "refusing the zip" in result.stderr
    escape = tmp_path / "escape.zip"
    with zipfile.ZipFile(escape, "w") as zf:
        zf.writestr("datapackage.json", "{}")
        zf.writestr("../outside.txt", "x")
    result = runner.invoke(app, ["diff", str(escape), str(escape)])
    assert result.exit_code == 2 and "outside the folder" in result.stderr
    assert not (tmp_path / "outside.txt").exists()


def test_build_into_an_unusable_folder_is_an_environment_error(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["build", str(pkg), "--out", str(blocker / "dist")])
    assert result.exit_code == 2
    assert "cannot use" in result.output and str(blocker) in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    shutil.rmtree(pkg)
