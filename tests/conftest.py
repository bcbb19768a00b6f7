"""Shared helpers: build a package in a temporary folder from the good fixture plus overrides."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.testing
from hypothesis import HealthCheck, settings

# CliRunner.invoke turns the typer app into a click command on every call (70 ms: 11 per bad
# fixture in test_contract alone); the app never changes during a run, so build it once.
typer.testing._get_command = functools.cache(typer.testing._get_command)

# Fuzzing profiles (tests/test_fuzz.py): "ci" is the default, short enough for every run; "long"
# is for a person with time: pytest -m fuzz --hypothesis-profile long
settings.register_profile("ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def make_package(dest: Path, overlay: Path | None = None) -> Path:
    """The good fixture with the repository's schemas, then overlay's files on top."""
    shutil.copytree(GOOD, dest)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    if overlay is not None:
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != "expect.json":
                target = dest / path.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return dest


@pytest.fixture
def good_package(tmp_path: Path) -> Path:
    return make_package(tmp_path / "pkg")


def edit(pkg: Path, rel: str, old: str, new: str) -> None:
    """Replace the first occurrence of old in a package file, failing if it is not there."""
    path = pkg / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (outside .git, dist and the toolkit's working folder .claims, which holds
    the write lock's guard), to prove a failed command changed nothing."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not {".git", "dist", ".claims"} & set(p.parts)
    }


def git(repo: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The validation cache of the test run lives in a folder of its own, never the user's."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


def init_repo(repo: Path, message: str = "start") -> Path:
    """repo as a git repository on branch main with everything committed, by a test author."""
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "t")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return repo


def bad_case(case: str, tmp_path: Path) -> tuple[dict, Path, str | None]:
    """A bad fixture made into a package: (its expect.json, the package, what to pass as --against)."""
    import json

    expect = json.loads((BAD / case / "expect.json").read_text())
    package = make_package(tmp_path / "new", BAD / case)
    against = expect.get("against")
    if against == "good":
        against = str(make_package(tmp_path / "old"))
    return expect, package, against


UPSTREAM = FIXTURES / "upstream"
SERIES_RESOURCE = {
    "name": "series_corrections",
    "path": "data/series_corrections.csv",
    "type": "table",
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "schema": "schemas/series_corrections.schema.json",
}


REVISIONS_RESOURCE = SERIES_RESOURCE | {
    "name": "series_revisions",
    "path": "data/series_revisions.csv",
    "schema": "schemas/series_revisions.schema.json",
}


def series_package(dest: Path) -> Path:
    """The good fixture with the series_corrections and series_revisions resources declared and empty, ready for
    `claims import` with the mapping in tests/fixtures/upstream."""
    import json

    pkg = make_package(dest)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] += [SERIES_RESOURCE, REVISIONS_RESOURCE]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    for name in ("series_corrections", "series_revisions"):
        header = (ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        (pkg / "data" / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    return pkg


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Test IDs a shell and a test selector take as they are: a parameter's text (a hostile cell,
    a phrase with spaces) is shown as letters, digits and underscores, so `pytest 'file::test[id]'`
    (and mutmut, which selects tests that way) finds the test. pytest numbers any duplicates."""
    if isinstance(val, str):
        return re.sub(r"[^A-Za-z0-9_.]+", "_", val).strip("_")[:48] or "empty"
    return None


def run_step_with_gh_stubbed(
    script: str, cwd: Path, tmp_path: Path, gh: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A workflow step's script run as the runner would, with `gh` a stub (its text, gh) first on
    the PATH and this Python's tools (claims) next: the workflow's own commands, no network."""
    stub = tmp_path / "bin"
    stub.mkdir(exist_ok=True)
    (stub / "gh").write_text(gh, encoding="utf-8")
    (stub / "gh").chmod(0o755)
    path = f"{stub}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env={**os.environ, "PATH": path, **env}, capture_output=True, text=True
    )
