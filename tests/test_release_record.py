"""Releases resolve from the history's own record, in any clone, with or without tags."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import UsageError
from toolkit.repo.release_record import ShallowHistory, find_releases, resolve_release

from .conftest import ROOT, edit, git, init_repo, make_package

CLAIMS = "data/claims.csv"
runner = CliRunner()


def _commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture(scope="module")
def released_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository released twice with `claims release`, then a change that is not released.

    Made once per module (three seconds of releases) and copied for each test, which may change it.
    """
    repo = make_package(tmp_path_factory.mktemp("released") / "origin")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    (repo / ".gitignore").write_text("dist/\n")
    init_repo(repo)
    assert runner.invoke(app, ["release", str(repo), "--yes"]).exit_code == 0
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    _commit(repo, "correct C0001")
    result = runner.invoke(app, ["release", str(repo), "--yes"])
    assert result.exit_code == 0, result.output
    edit(repo, CLAIMS, ",fixture troops,", ",fixture units,")
    _commit(repo, "unreleased change")
    return repo


@pytest.fixture
def two_releases(released_once: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(released_once, tmp_path / "origin", symlinks=True))


def _clone_without_tags(origin: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", "--no-tags", str(origin), str(dest)], check=True)
    assert git(dest, "tag", "--list") == ""
    return dest


def test_a_clone_without_tags_finds_both_releases(two_releases: Path, tmp_path: Path) -> None:
    clone = _clone_without_tags(two_releases, tmp_path / "clone")
    assert [r.version for r in find_releases(clone)] == ["0.1.0", "0.1.1"]
    for name in ("v0.1.0", "0.1.0", "v0.1.1", "latest"):
        assert resolve_release(clone, name).commit == resolve_release(two_releases, name).commit


def test_diff_and_against_name_releases_in_a_clone_without_tags(
    two_releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = _clone_without_tags(two_releases, tmp_path / "clone")
    monkeypatch.chdir(clone)
    result = runner.invoke(app, ["diff", "v0.1.0", "0.1.1", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"C0001"' in result.stdout and "fixture army soldiers" in result.stdout
    result = runner.invoke(app, ["diff", "latest", ".", "--exit-code"])
    assert result.exit_code == 1 and "fixture units" in result.stdout
    assert runner.invoke(app, ["validate", ".", "--against", "v0.1.0"]).exit_code == 0
    assert runner.invoke(app, ["validate", ".", "--against", "latest"]).exit_code == 0


def test_a_tag_that_disagrees_with_the_history_is_an_error_naming_both(two_releases: Path) -> None:
    git(two_releases, "tag", "-f", "v0.1.0", "HEAD")
    with pytest.raises(UsageError, match=r"tag v0\.1\.0 names commit .* history records release 0\.1\.0 at"):
        resolve_release(two_releases, "v0.1.0")
    result = runner.invoke(app, ["diff", "v0.1.0", str(two_releases), "--repo", str(two_releases)])
    assert result.exit_code == 2 and "move or delete the tag" in result.stderr


def test_an_unknown_release_lists_the_known_ones(two_releases: Path) -> None:
    with pytest.raises(UsageError, match=r"v9\.9\.9: no such release; the history records 0\.1\.0, 0\.1\.1"):
        resolve_release(two_releases, "v9.9.9")


def test_the_next_release_is_planned_against_the_newest_recorded_one(two_releases: Path, tmp_path: Path) -> None:
    clone = _clone_without_tags(two_releases, tmp_path / "clone")
    git(clone, "config", "user.name", "t")
    git(clone, "config", "user.email", "t@example.org")
    result = runner.invoke(app, ["release", str(clone), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "previous release: v0.1.1" in result.stdout and "0.1.1 -> 0.1.2 (patch" in result.stdout


def test_lineage_comes_from_the_history(two_releases: Path, tmp_path: Path) -> None:
    from toolkit.compare.lineage import claim_lineage
    from toolkit.problems.report import Report
    from toolkit.read.load import load_package

    clone = _clone_without_tags(two_releases, tmp_path / "clone")
    package = load_package(clone, Report())
    assert package is not None
    lineage = claim_lineage(clone, package).set_index("claim_id")
    assert lineage.loc["C0001"].tolist() == ["0.1.0", "0.1.1"]
    assert lineage.loc["C0002"].tolist() == ["0.1.0", "unreleased"]  # changed after 0.1.1
    assert lineage.loc["C0003"].tolist() == ["0.1.0", "0.1.0"]


def test_history_names_the_columns_that_changed(two_releases: Path, tmp_path: Path) -> None:
    from toolkit.compare.lineage import release_history
    from toolkit.problems.report import Report
    from toolkit.read.load import load_package

    clone = _clone_without_tags(two_releases, tmp_path / "clone")
    package = load_package(clone, Report())
    assert package is not None
    history, label = release_history(clone, package)
    assert label == "unreleased"
    rows = {(r.claim_id, r.release): (r.event, r.columns) for r in history.itertuples()}
    assert rows[("C0001", "0.1.0")] == ("added", "")
    assert rows[("C0001", "0.1.1")] == ("changed", "subject")
    assert rows[("C0002", "unreleased")] == ("changed", "subject")
    assert ("C0003", "0.1.1") not in rows  # unchanged rows have no event


def test_outside_git_a_release_name_is_a_usage_error(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    result = runner.invoke(app, ["validate", str(pkg), "--against", "v0.1.0"])
    assert result.exit_code == 1 and "not a git repository" in result.stdout


def _history(repo: Path) -> str:
    """'full', 'shallow', or 'none' (not a git checkout, e.g. an unpacked source archive)."""
    try:
        return "shallow" if git(repo, "rev-parse", "--is-shallow-repository").strip() == "true" else "full"
    except subprocess.CalledProcessError:
        return "none"


@pytest.mark.skipif(_history(ROOT) == "none", reason="the project is not a git checkout here")
def test_this_repository_s_0_1_0_resolves_in_a_clone_without_tags_or_is_refused_when_shallow(tmp_path: Path) -> None:
    if _history(ROOT) == "shallow":  # a CI checkout of depth 1: refused, never resolved to the cut
        with pytest.raises(ShallowHistory, match="git fetch --unshallow"):
            resolve_release(ROOT, "v0.1.0")
        return
    clone = _clone_without_tags(ROOT, tmp_path / "clone")
    release = resolve_release(clone, "v0.1.0")
    assert git(clone, "show", f"{release.commit}:datapackage.json").count('"version": "0.1.0"') == 1
    result = runner.invoke(app, ["diff", "v0.1.0", str(clone), "--repo", str(clone)])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(_history(ROOT) == "none", reason="the project is not a git checkout here")
def test_the_pre_commit_snippet_names_a_release_commit() -> None:
    import re

    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    rev, version = re.search(r"rev: ([0-9a-f]{40})\s+# release (\S+)", text).groups()
    if _history(ROOT) == "shallow":
        with pytest.raises(ShallowHistory):
            resolve_release(ROOT, version)
        return
    assert resolve_release(ROOT, version).commit == rev


# shallow clones: a release at the cut is refused, never resolved to the cut ------------------------


@pytest.fixture
def removed(two_releases: Path) -> Path:
    """two_releases, then a commit that removes claim C0003 without a version bump."""
    path = two_releases / CLAIMS
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("C0003,")))
    _commit(two_releases, "remove C0003")
    return two_releases


def _shallow(origin: Path, dest: Path, depth: int) -> Path:
    subprocess.run(["git", "clone", "-q", "--depth", str(depth), origin.as_uri(), str(dest)], check=True)
    assert git(dest, "rev-parse", "--is-shallow-repository").strip() == "true"
    return dest


COMMANDS = {
    "check": ["check", "--base", "latest"],
    "pre-commit hook": ["check", "--base", "main"],  # .pre-commit-hooks.yaml: also checks the last release
    "diff": ["diff", "latest", ".", "--exit-code"],
    "validate": ["validate", ".", "--against", "0.1.0", "--no-cache"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_removal_found_in_a_full_clone_is_refused_in_a_depth_1_clone(
    removed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(removed)
    full = runner.invoke(app, COMMANDS[command])
    assert full.exit_code == 1, full.output  # the removal is found
    monkeypatch.chdir(_shallow(removed, tmp_path / "shallow", 1))
    shallow = runner.invoke(app, COMMANDS[command])
    assert shallow.exit_code == 2, shallow.output  # never 0: the change is not compared with itself
    assert "history is shallow" in shallow.stderr and "git fetch --unshallow" in shallow.stderr
    assert "fetch-depth: 0" in shallow.stderr and "internal error" not in shallow.output


def test_a_release_with_its_start_in_the_clone_resolves(removed: Path, tmp_path: Path) -> None:
    # depth 4: remove, unreleased, Release v0.1.1, and its parent (which still declares 0.1.0: the cut)
    clone = _shallow(removed, tmp_path / "shallow", 4)
    releases = {r.version: r for r in find_releases(clone)}
    assert releases["0.1.1"].proven and not releases["0.1.0"].proven
    assert resolve_release(clone, "latest").commit == resolve_release(removed, "latest").commit
    with pytest.raises(ShallowHistory, match=r"release 0\.1\.0 cannot be told"):
        resolve_release(clone, "0.1.0")
    out = runner.invoke(app, ["diff", "latest", str(clone), "--repo", str(clone), "--exit-code"])
    assert out.exit_code == 1 and "C0003" in out.stdout


def test_release_and_lineage_refuse_a_shallow_history(removed: Path, tmp_path: Path) -> None:
    clone = _shallow(removed, tmp_path / "shallow", 1)
    out = runner.invoke(app, ["release", str(clone), "--dry-run"])
    assert out.exit_code == 2 and "git fetch --unshallow" in out.stderr
    out = runner.invoke(app, ["build", str(clone), "--out", str(tmp_path / "dist")])
    assert out.exit_code in (1, 2) and "internal error" not in out.output


def test_refs_and_releases_from_a_subfolder(two_releases: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(two_releases / "data")
    result = runner.invoke(app, ["diff", "HEAD", "."])
    assert result.exit_code == 0 and "claims: 0 added, 0 removed, 0 changed" in result.stdout, result.output
    result = runner.invoke(app, ["diff", "v0.1.0", ".", "--exit-code"])
    assert result.exit_code == 1 and "/tmp/claims-" not in result.output
    assert runner.invoke(app, ["validate", "--against", "latest"]).exit_code == 0
