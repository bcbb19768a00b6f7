"""claims release / claims build end to end, in a temporary git repository."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from frictionless import Package, validate
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.compare.diff import diff_packages
from toolkit.errors import UsageError
from toolkit.publish.release import apply_release, plan_release

from .conftest import ROOT, edit, git, init_repo, make_package, run_step_with_gh_stubbed, snapshot

CLAIMS = "data/claims.csv"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_package(tmp_path / "repo")
    # a repository with no release yet: the history records a release only with its CHANGELOG section
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n### Added\n- The first figures.\n")
    shutil.copy(ROOT / "CITATION.cff", repo / "CITATION.cff")
    (repo / ".gitignore").write_text("dist/\n")
    from toolkit.publish.dictionary import render_dictionary

    (repo / "docs").mkdir()
    (repo / "docs" / "data-dictionary.md").write_text(render_dictionary(repo))
    init_repo(repo)
    return repo


def release(repo: Path, *args: str):
    return CliRunner().invoke(app, ["release", str(repo), "--yes", *args])


def check_zip(repo: Path, version: str, tmp: Path) -> Path:
    archive = repo / "dist" / version / f"war-claims-{version}.zip"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(tmp)
    root = tmp  # datapackage.json at the zip's root
    descriptor = json.loads((root / "datapackage.json").read_text())
    assert descriptor["version"] == version
    for resource in descriptor["resources"]:
        data = (root / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert validate(str(root / "datapackage.json")).valid  # frictionless checks bytes and hash too
    assert validate_package(root).ok(strict=True)  # and so does claims
    assert Package(str(root / "datapackage.json")).get_resource("claims").read_rows()
    return archive


def test_two_releases_end_to_end(repo: Path, tmp_path: Path) -> None:
    first = release(repo)
    assert first.exit_code == 0, first.output
    assert git(repo, "tag", "--list").split() == ["v0.1.0"]
    zip1 = shutil.copy(check_zip(repo, "0.1.0", tmp_path / "z1"), tmp_path / "r1.zip")

    line = (repo / CLAIMS).read_text().splitlines()[4].replace("C0004", "C0005")
    (repo / CLAIMS).write_text((repo / CLAIMS).read_text() + line + "\n")  # add
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")  # correct C0001
    edit(repo, CLAIMS, "went home.,reported,,", "went home.,retracted,,Withdrawn by the fixture office.")  # retract
    git(repo, "commit", "-qam", "more data")
    second = release(repo)
    assert second.exit_code == 0, second.output
    assert "0.1.0 -> 0.2.0 (minor" in second.stdout
    assert git(repo, "tag", "--list").split() == ["v0.1.0", "v0.2.0"]
    changelog = (repo / "CHANGELOG.md").read_text()
    section = changelog.split("## [0.2.0]")[1].split("## [0.1.0]")[0]
    assert "### Added" in section and "C0005" in section.split("### Added")[1].split("###")[0]
    assert "C0001: subject fixture soldiers -> fixture army soldiers" in section
    assert "C0003: status retracted" in section.split("### Deprecated")[1]
    assert json.loads((repo / "datapackage.json").read_text())["version"] == "0.2.0"
    assert "version: 0.2.0" in (repo / "CITATION.cff").read_text()
    assert ", version 0.2.0." in (repo / "docs" / "data-dictionary.md").read_text()
    assert git(repo, "status", "--porcelain") == ""
    zip2 = check_zip(repo, "0.2.0", tmp_path / "z2")
    flat = list(
        csv.DictReader(
            io.StringIO((repo / "dist/0.2.0/war-claims-0.2.0-claims-flat.csv").read_text(encoding="utf-8-sig"))
        )
    )
    lineage = {r["claim_id"]: (r["first_release"], r["last_changed_release"]) for r in flat}
    assert lineage == {
        "C0001": ("0.1.0", "0.2.0"),  # corrected
        "C0002": ("0.1.0", "0.1.0"),
        "C0003": ("0.1.0", "0.2.0"),  # retracted
        "C0004": ("0.1.0", "0.1.0"),
        "C0005": ("0.2.0", "0.2.0"),  # added
    }
    diff = diff_packages(str(zip1), str(zip2))
    claims = diff.resources["claims"]
    assert claims.added == ["C0005"] and claims.removed == []
    assert {c.key for c in claims.cells} == {"C0001", "C0003"}
    assert diff.bump()[0] == "minor"


def test_dry_run_writes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = CliRunner().invoke(app, ["release", str(repo), "--dry-run"])
    assert result.exit_code == 0 and "dry run" in result.stdout
    assert snapshot(repo) == before and git(repo, "tag", "--list") == ""


def test_invalid_data_is_refused_and_nothing_changes(repo: Path) -> None:
    edit(repo, CLAIMS, ",at_least,", ",atleast,")
    git(repo, "commit", "-qam", "break")
    before = snapshot(repo)
    result = release(repo)
    assert result.exit_code == 2 and "invalid" in result.stderr
    assert snapshot(repo) == before and git(repo, "tag", "--list") == ""


def test_dirty_tree_is_refused(repo: Path) -> None:
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    before = snapshot(repo)
    result = release(repo)
    assert result.exit_code == 2 and "uncommitted" in result.stderr
    assert snapshot(repo) == before


def test_failure_midway_restores_everything(repo: Path) -> None:
    plan = plan_release(repo, date=dt.date(2026, 11, 25))
    git(repo, "tag", plan.tag)  # someone tags in between: `git tag` will fail after the commit
    before = snapshot(repo)
    head = git(repo, "rev-parse", "HEAD")
    with pytest.raises(UsageError, match="already exists"):
        apply_release(plan)
    assert snapshot(repo) == before
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""


def test_release_without_changes_is_refused(repo: Path) -> None:
    assert release(repo).exit_code == 0
    before = snapshot(repo)
    result = release(repo)
    assert result.exit_code == 2 and "nothing changed since v0.1.0" in result.stderr
    assert snapshot(repo) == before


def test_bump_override(repo: Path) -> None:
    assert release(repo).exit_code == 0
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    git(repo, "commit", "-qam", "fix")
    plan = plan_release(repo, bump="major")
    assert (plan.version, plan.bump) == ("1.0.0", "major") and "diff suggests patch" in plan.reason
    assert plan_release(repo).version == "0.1.1"


def test_build_into_an_unusable_folder_is_an_environment_error(repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(app, ["build", str(repo), "--out", str(blocker / "dist")])
    assert result.exit_code == 2
    assert "cannot use" in result.output and str(blocker) in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_unreleased_notes_move_into_the_new_section() -> None:
    from toolkit.publish.release import _insert_section

    changelog = "# Changelog\n\n## [Unreleased]\n\n### Changed\n- a note\n\n## [0.1.0] - 2026-11-25\n"
    out = _insert_section(changelog, "## [0.2.0] - 2026-12-01\n\n### Added\n\n- C0007\n")
    unreleased, rest = out.split("## [0.2.0] - 2026-12-01", 1)
    assert unreleased.rstrip().endswith("## [Unreleased]")  # left empty for the next changes
    new_section, older = rest.split("## [0.1.0]", 1)
    assert "- C0007" in new_section and "- a note" in new_section and "- a note" not in older


def test_notes_under_a_heading_the_release_also_writes_share_one_heading() -> None:
    from toolkit.publish.release import _insert_section

    changelog = (
        "# Changelog\n\n## [Unreleased]\n\n### Fixed\n- by hand\n\n### Changed\n- a note\n\n## [0.1.0] - 2026-11-25\n"
    )
    section = (
        "## [0.2.0] - 2026-12-01\n\nCompared with v0.1.0.\n\n### Changed\n\n- schema change\n\n### Added\n\n- C0007\n"
    )
    out = _insert_section(changelog, section)
    new = out.split("## [0.2.0] - 2026-12-01", 1)[1].split("## [0.1.0]", 1)[0]
    assert new.count("### Changed") == 1 and "- schema change\n- a note" in new
    assert new.index("### Added") < new.index("### Changed") < new.index("### Fixed")
    assert out.count("## [0.1.0]") == 1


def _state(repo: Path, head: str, tag: str) -> str:
    """ "none" (as before the release), "whole" (commit, tag, files) or what is wrong."""
    now = git(repo, "rev-parse", "HEAD")
    tags = git(repo, "tag", "--list", tag).strip()
    clean = git(repo, "status", "--porcelain") == ""
    if now == head and not tags and clean:
        return "none"
    if now != head and tags == tag and clean and git(repo, "rev-parse", f"{tag}^{{commit}}") == now:
        assert git(repo, "log", "-1", "--format=%s").strip() == f"Release {tag}"
        return "whole"
    return f"half: HEAD moved {now != head}, tag {tags!r}, clean {clean}"


def test_ctrl_c_at_any_step_leaves_the_whole_release_or_none(repo: Path, tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C (a real SIGINT to this process) before each step of a release in turn: every run
    ends with no release or the whole of it, never a commit without its tag or a dirty tree."""
    import os
    import signal

    from toolkit.publish import release as module

    outcomes: dict[int, str] = {}
    step = 0
    while True:
        step += 1
        work = tmp_path / f"run{step}"
        shutil.copytree(repo, work)
        plan = plan_release(work, date=dt.date(2026, 11, 25))
        head = git(work, "rev-parse", "HEAD")
        calls = [0]

        def counted(real, _calls=calls, _at=step):
            def call(*args, **kwargs):
                _calls[0] += 1
                if _calls[0] == _at:
                    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as the terminal sends it
                return real(*args, **kwargs)

            return call

        with monkeypatch.context() as patch:
            for name in ("git", "_with_input", "commit_files"):
                patch.setattr(module, name, counted(getattr(module, name)))
            then = counted(lambda: None)
            with contextlib.suppress(KeyboardInterrupt):
                apply_release(plan, then=then)
        outcomes[step] = _state(work, head, plan.tag)
        assert outcomes[step] in ("none", "whole"), (step, outcomes[step])
        if calls[0] < step:  # the run ended before this step: every step has been interrupted
            break
    assert outcomes[step] == "whole"  # not interrupted at all
    assert "none" in outcomes.values() and len(outcomes) > 8


def test_ctrl_c_from_the_terminal_never_leaves_half_a_release(repo: Path, tmp_path: Path) -> None:
    """`claims release --yes` in a process group of its own, Ctrl-C sent to the whole group (git's
    processes included) at moments spread over the run: the whole release or none, and it says which."""
    import os
    import signal
    import subprocess
    import sys
    import time

    head = git(repo, "rev-parse", "HEAD")
    results = []
    for delay in (0.4, 0.8, 1.2, 1.6, 2.4):
        work = tmp_path / f"term{delay}"
        shutil.copytree(repo, work)
        proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit", "release", str(work), "--yes"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        state = _state(work, head, "v0.1.0")
        assert state in ("none", "whole"), (delay, state, err.decode())
        # what it says is what it left
        if b"was undone" in err:
            assert state == "none"
        if b"committed and tagged v0.1.0" in out:
            assert state == "whole"
        results.append(state)
    assert "none" in results


RELEASE_FLOW = ROOT / ".github" / "workflows" / "release.yml"
GH_RELEASE_STUB = """#!/usr/bin/env bash
# gh as the release workflow calls it: `release view` finds the release when $EXISTS is a file;
# every other call is logged.
if [ "$1 $2" = "release view" ]; then [ -f "$EXISTS" ]; exit $?; fi
echo "$*" >> "$GH_LOG"
"""


def _release_step(repo: Path, tmp_path: Path, tag: str) -> subprocess.CompletedProcess:
    """The release workflow's script, run in repo with gh replaced by a recorder."""

    import yaml

    flow = yaml.safe_load(RELEASE_FLOW.read_text(encoding="utf-8"))
    assert flow[True] == {"push": {"tags": ["v*"]}} and flow["permissions"] == {"contents": "write"}
    [job] = flow["jobs"].values()
    step = next(s for s in job["steps"] if s.get("name") == "Build and attach the downloads")
    env = {
        "TAG": tag,
        "NOTES": str(tmp_path / "notes.md"),
        "GH_LOG": str(tmp_path / "gh.log"),
        "EXISTS": str(tmp_path / "exists"),
    }
    return run_step_with_gh_stubbed(step["run"], repo, tmp_path, GH_RELEASE_STUB, env)


def test_the_release_workflow_attaches_every_download_of_the_tagged_version(repo: Path, tmp_path: Path) -> None:
    plan = plan_release(repo, date=dt.date(2026, 1, 2))
    apply_release(plan)
    version = plan.version
    done = _release_step(repo, tmp_path, f"v{version}")
    assert done.returncode == 0, done.stdout + done.stderr
    built = sorted(p.name for p in (repo / "dist" / version).glob("war-claims-*"))
    assert {f"war-claims-{version}.zip", f"war-claims-{version}.xlsx", f"war-claims-{version}-claims-flat.csv"} <= set(
        built
    )
    [call] = (tmp_path / "gh.log").read_text().splitlines()
    head, _, rest = call.partition(" dist/")
    assert head == f"release create v{version}"
    files = ("dist/" + rest).split(" --title ")[0].split()
    assert sorted(Path(f).name for f in files) == built
    assert "--notes-file" in call and "- The first figures." in (tmp_path / "notes.md").read_text()
    assert "## [" not in (tmp_path / "notes.md").read_text()  # the version's section only
    # the release exists already (made by hand): its files are replaced, not a second release
    (tmp_path / "exists").write_text("")
    assert _release_step(repo, tmp_path, f"v{version}").returncode == 0
    last = (tmp_path / "gh.log").read_text().splitlines()[-1]
    assert last.startswith(f"release upload v{version} dist/{version}/war-claims-") and last.endswith("--clobber")
    # a tag that is not the descriptor's version attaches nothing
    done = _release_step(repo, tmp_path, "v9.9.9")
    assert done.returncode == 1 and f"does not name the descriptor's version {version}" in done.stderr
    assert len((tmp_path / "gh.log").read_text().splitlines()) == 2
