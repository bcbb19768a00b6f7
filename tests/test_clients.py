"""The clients downstream users already have, loading what the package publishes: the JavaScript
Data Package libraries (npm datapackage and tableschema, tests/clients/package.json) and the
legacy Python `datapackage`, on this repository's package, its release zip and every CSV a
release ships with a Table Schema. Relations (foreign keys) are checked by each library.

The npm packages are installed from the registry into a temporary folder. Without node and npm
the JavaScript tests skip, unless CLAIMS_REQUIRE_NODE is set (.ci/run sets it): then they fail.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.publish.build import build_dist

from .conftest import ROOT

CLIENTS = Path(__file__).resolve().parent / "clients"
TABLES = ["claims", "sources", "claimants", "metrics", "series_corrections", "series_revisions"]


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.fixture(scope="module")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (shutil.which("node") and shutil.which("npm")):
        if os.environ.get("CLAIMS_REQUIRE_NODE"):
            pytest.fail("node and npm are required (CLAIMS_REQUIRE_NODE is set): install nodejs and npm")
        pytest.skip("node and npm are not installed")
    work = tmp_path_factory.mktemp("js")
    shutil.copyfile(CLIENTS / "package.json", work / "package.json")
    done = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return work / "node_modules"


def _node(modules: Path, script: str, *args: str) -> dict:
    done = subprocess.run(
        ["node", str(CLIENTS / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NODE_PATH": str(modules), "TZ": "UTC"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's downloads, without the site."""
    return build_dist(ROOT, tmp_path_factory.mktemp("dist"), site=False).folder


def _expected(folder: Path) -> dict[str, int]:
    return {name: _rows(folder / "data" / f"{name}.csv") for name in TABLES}


def test_the_javascript_library_loads_the_package_with_its_relations(node_modules: Path) -> None:
    assert _node(node_modules, "load_package.js", str(ROOT / "datapackage.json")) == _expected(ROOT)


def test_the_javascript_library_loads_the_release_zip(node_modules: Path, release: Path) -> None:
    [archive] = release.glob("war-claims-*.zip")
    assert _node(node_modules, "load_package.js", str(archive)) == _expected(ROOT)


def test_every_csv_shipped_with_a_schema_loads_in_tableschema_js(node_modules: Path, release: Path) -> None:
    pairs = [(csv_path, csv_path.with_name(csv_path.name[:-4] + ".schema.json")) for csv_path in release.glob("*.csv")]
    pairs = [(c, s) for c, s in pairs if s.exists()]
    assert len(pairs) >= 20  # the comparisons (long and wide), the daily series, the disagreements
    got = _node(node_modules, "load_tables.js", *[str(p) for pair in pairs for p in pair])
    assert got == {str(c): _rows(c) for c, _ in pairs}


def test_files_for_programs_have_no_byte_order_mark_and_the_spreadsheet_csv_has_one(release: Path) -> None:
    """A BOM before a quoted header breaks the JavaScript CSV parser; Excel needs one to read UTF-8."""
    for path in release.glob("*.csv"):
        starts = path.read_bytes()[:3] == b"\xef\xbb\xbf"
        assert starts == path.name.endswith("-claims-flat.csv"), path.name
    for path in (ROOT / "data").glob("*.csv"):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_the_release_zip_lists_every_folder_before_its_files(release: Path) -> None:
    [archive] = release.glob("war-claims-*.zip")
    names = zipfile.ZipFile(archive).namelist()
    for i, name in enumerate(names):
        bare = name.rstrip("/")
        folder = bare.rsplit("/", 1)[0] + "/" if "/" in bare else ""
        assert not folder or folder in names[:i], name


@pytest.mark.parametrize("where", ["folder", "zip"])
def test_the_legacy_python_library_loads_it_with_its_relations(release: Path, where: str) -> None:
    datapackage = pytest.importorskip("datapackage")
    source = str(ROOT / "datapackage.json") if where == "folder" else str(next(release.glob("war-claims-*.zip")))
    package = datapackage.Package(source)
    assert package.valid, package.errors
    counts = {r.name: len(r.read(relations=True, keyed=True)) for r in package.resources}
    assert counts == _expected(ROOT)


def _readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using it from code", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readmes_python_lines_run_on_the_package_and_its_release(release: Path, tmp_path: Path) -> None:
    """What a reader pastes: each block run as it is written, in a folder holding the package and the
    release's files (the version the blocks name replaced by the one built)."""
    blocks = _readme_python_blocks()
    assert len(blocks) >= 5
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    for name in ("datapackage.json", "data", "schemas"):
        (tmp_path / name).symlink_to(ROOT / name)
    for path in release.iterdir():
        (tmp_path / path.name).symlink_to(path)
    checks = {
        "frictionless": "assert 'claim_id' in claims.columns and len(claims) > 1000",
        "pd.read_csv": "assert str(claims['period_end'].dtype).startswith('datetime64')\n"
        "assert claims['supersedes'].dtype != 'float64' and claims['claim_id'].is_unique",
        "read_parquet": "assert str(flat['period_end'].dtype).startswith('date32')",
        "duckdb": "",
        "sqlite3": "assert con.execute('SELECT count(*) FROM claims_flat').fetchone()[0] > 1000",
    }
    ran = set()
    for block in blocks:
        code = re.sub(r'version = "[^"]+"', f'version = "{version}"', block)
        [what] = [key for key in checks if key in code]
        ran.add(what)
        done = subprocess.run(
            [sys.executable, "-c", code + "\n" + checks[what]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{what}: {done.stderr}"
    assert ran == set(checks)
