"""claims update: the invented series of tests/fixtures/upstream made into a git repository commit
by commit, followed by a package. What an update brings must be what importing a folder of the
newest commit brings, byte for byte; what it refuses must leave the package as it was."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import UsageError
from toolkit.upstream.series_import import import_snapshot
from toolkit.upstream.update import followed, update, update_report
from toolkit.upstream.update_render import render_json, render_pr_body, render_text

from .conftest import ROOT, UPSTREAM, run_step_with_gh_stubbed, series_package, snapshot

TODAY = dt.date(2026, 11, 25)
runner = CliRunner()


class Upstream:
    """A git repository that plays the compiler: each step replaces its files with a fixture
    snapshot's and commits them on a given day."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir()
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, day: str = "2024-01-01") -> str:
        stamp = f"{day}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        return subprocess.run(
            ["git", "-C", str(self.path), "-c", "user.name=c", "-c", "user.email=c@example.org", *args],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout

    def commit(self, snap: str, day: str) -> str:
        for old in self.path.iterdir():
            if old.name != ".git":
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        # new files, new times: a copy keeping the fixture's times and size could look unchanged to git
        shutil.copytree(UPSTREAM / snap, self.path, dirs_exist_ok=True, copy_function=shutil.copyfile)
        self.git("add", "-A")
        self.git("commit", "-qm", f"{snap} on {day}", day=day)
        return self.git("rev-parse", "HEAD").strip()

    def touch_other(self, day: str) -> str:
        (self.path / "README.md").write_text(f"Notes of {day}\n", encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-qm", "notes only", day=day)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    package = series_package(tmp_path / "pkg")
    (package / "mappings").mkdir()
    shutil.copyfile(UPSTREAM / "fixture-series.toml", package / "mappings" / "fixture-series.toml")
    return package


@pytest.fixture
def upstream(tmp_path: Path) -> Upstream:
    return Upstream(tmp_path / "upstream")


def _update(pkg: Path, upstream: Upstream, **options: object):
    [result] = update(pkg, ["fixture-series"], source=str(upstream.path), today=TODAY, **options)
    return result


def _table(pkg: Path, name: str) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader((pkg / "data" / f"{name}.csv").open(encoding="utf-8", newline="")))


def _data(pkg: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(pkg).items() if k.startswith(("data/", "seeds/"))}


def _folder_import(tmp_path: Path, name: str, steps: list[tuple[str, str, str]]) -> Path:
    """A package given the same snapshots by `claims import` of folders: (snapshot, commit, day)."""
    package = series_package(tmp_path / name)
    for snap, commit, day in steps:
        import_snapshot(
            package,
            str(UPSTREAM / "fixture-series.toml"),
            UPSTREAM / snap,
            commit=commit,
            commit_date=day,
            retrieved=TODAY.isoformat(),
            today=TODAY,
        )
    return package


def test_the_followed_upstreams_are_the_mappings_that_name_a_repository(pkg: Path) -> None:
    assert followed(pkg) == ["fixture-series"]
    assert followed(ROOT) == sorted(
        p.stem
        for p in (ROOT / "mappings").glob("*.toml")
        if "repository" in p.read_text() and "\nfollow = false" not in p.read_text()
    )


def test_a_mapping_that_says_follow_false_is_imported_from_folders_only(pkg: Path) -> None:
    mapping = pkg / "mappings" / "fixture-series.toml"
    mapping.write_text("follow = false\n" + mapping.read_text(encoding="utf-8"), encoding="utf-8")
    assert followed(pkg) == []
    with pytest.raises(UsageError, match="follow = false: its upstream is imported from folders only"):
        update(pkg, ["fixture-series"])


def test_an_update_imports_what_the_newest_commit_publishes_as_a_folder_import_would(
    pkg: Path, upstream: Upstream, tmp_path: Path
) -> None:
    a = upstream.commit("snap-a", "2024-01-03")
    first = _update(pkg, upstream)
    assert [c.sha for c in first.commits] == [a] and first.recorded == ""
    mid = upstream.commit("snap-mid", "2024-01-04")
    b = upstream.commit("snap-b", "2024-01-05")
    second = _update(pkg, upstream)
    assert second.recorded == a and second.target == b
    assert [(c.sha, c.day) for c in second.commits] == [(mid, "2024-01-04"), (b, "2024-01-05")]
    assert second.transients == []
    by_folders = _folder_import(tmp_path, "folders", [("snap-a", a, "2024-01-03"), ("snap-b", b, "2024-01-05")])
    assert _data(pkg) == _data(by_folders)
    # the snapshot in between is not archived: the newest file and the ones corrections rest on are
    assert not any(mid[:12] in path for path in _data(pkg))


def test_nothing_to_bring_touches_nothing(pkg: Path, upstream: Upstream) -> None:
    a = upstream.commit("snap-a", "2024-01-03")
    _update(pkg, upstream)
    before = snapshot(pkg)
    head = upstream.touch_other("2024-01-04")  # a commit that changes no file the mapping reads
    result = _update(pkg, upstream)
    assert result.up_to_date and result.recorded == a and result.target == head
    assert snapshot(pkg) == before
    out = runner.invoke(app, ["update", "fixture-series", "--from", str(upstream.path), "-p", str(pkg)])
    assert out.exit_code == 0, out.output
    assert f"fixture-series: up to date at {head[:12]}" in out.stdout and "nothing changed" in out.stdout
    assert snapshot(pkg) == before


def test_a_figure_changed_and_changed_back_is_reported_not_imported(pkg: Path, upstream: Upstream) -> None:
    upstream.commit("snap-b", "2024-01-05")
    _update(pkg, upstream)
    claims_before = (pkg / "data" / "claims.csv").read_bytes()
    slip = upstream.commit("snap-changed", "2024-01-06")  # the tanks of 2024-01-02: 12 -> 13
    upstream.commit("snap-b", "2024-01-07")  # and back
    result = _update(pkg, upstream)
    assert len(result.commits) == 2
    [transient] = result.transients
    assert (transient.day, transient.field, transient.value, transient.kept) == ("2024-01-02", "tanks", 13, 12)
    assert transient.first.sha == transient.last.sha == slip
    assert (pkg / "data" / "claims.csv").read_bytes() == claims_before  # no claim the claimant never made
    # and it does not vanish: the package records it, with the commits that show it and its claim
    [row] = _table(pkg, "series_revisions")
    [tanks] = [r for r in _table(pkg, "claims") if (r["period_end"], r["metric_id"]) == ("2024-01-02", "fixture_tanks")]
    assert row == {
        "upstream": "fixture-series",
        "path": "data/equipment.json",
        "day": "2024-01-02",
        "field": "tanks",
        "metric_id": "fixture_tanks",
        "claimant_id": "fixture_staff",
        "value": "13",
        "kept": "12",
        "claim_id": tanks["claim_id"],
        "first_commit": slip,
        "first_seen": "2024-01-06",
        "last_commit": slip,
        "last_seen": "2024-01-06",
        "url": f"https://example.org/fixture-series/blob/{slip}/data/equipment.json",
    }
    text = render_text(update_report_of(result))
    assert "1 figure(s) given otherwise by a commit in between: in series_revisions, not claims" in text
    assert f"data/equipment.json 2024-01-02 tanks: 13 in {slip[:12]}" in text


def update_report_of(result):  # type: ignore[no-untyped-def]
    from toolkit.upstream.update import UpdateReport

    return UpdateReport(results=[result])


def test_a_figure_the_newest_commit_keeps_changed_is_a_correction(pkg: Path, upstream: Upstream) -> None:
    upstream.commit("snap-b", "2024-01-05")
    _update(pkg, upstream)
    upstream.commit("snap-changed", "2024-01-06")
    report = update_report(pkg, ["fixture-series"], source=str(upstream.path), today=TODAY)
    [result] = report.results
    [superseded] = [s for i in result.imports for s in i.plan.superseded]
    assert result.transients == []
    assert report.bump == "minor"  # a claim superseded and one added: the diff's judgement
    body = render_pr_body(report)
    assert f"`{result.target[:12]}`" in body and f"{superseded[0]} superseded by {superseded[1]}" in body
    assert "| claims superseded (the upstream corrected them) | 1 |" in body


def test_a_rewritten_history_is_refused_and_nothing_changes(pkg: Path, upstream: Upstream) -> None:
    upstream.commit("snap-a", "2024-01-03")
    _update(pkg, upstream)
    before = snapshot(pkg)
    # the compiler rewrites its history: the commit the package imported is gone
    upstream.git("commit", "--amend", "-qm", "rewritten", day="2024-01-09")
    upstream.git("reflog", "expire", "--expire=now", "--all")
    upstream.git("gc", "-q", "--prune=now")
    shutil.rmtree(pkg / ".claims" / "upstream")  # a fresh machine: the mirror is fetched anew
    with pytest.raises(UsageError, match="history was rewritten"):
        _update(pkg, upstream)
    assert snapshot(pkg) == before
    out = runner.invoke(app, ["update", "fixture-series", "--from", str(upstream.path), "-p", str(pkg)])
    assert out.exit_code == 2 and "history was rewritten" in out.stderr and "Nothing was imported" in out.stderr
    assert snapshot(pkg) == before


def test_a_commit_before_the_recorded_one_is_refused(pkg: Path, upstream: Upstream) -> None:
    a = upstream.commit("snap-a", "2024-01-03")
    upstream.commit("snap-b", "2024-01-05")
    _update(pkg, upstream)
    before = snapshot(pkg)
    with pytest.raises(UsageError, match="is not an ancestor"):
        _update(pkg, upstream, to=a)
    assert snapshot(pkg) == before


def test_an_unreachable_upstream_is_a_usage_error_that_changes_nothing(pkg: Path, tmp_path: Path) -> None:
    before = snapshot(pkg)
    for where in [str(tmp_path / "nowhere"), f"file://{tmp_path / 'nowhere'}"]:
        out = runner.invoke(app, ["update", "fixture-series", "--from", where, "-p", str(pkg)])
        assert out.exit_code == 2, out.output
        assert "cannot fetch the upstream fixture-series" in out.stderr and "Traceback" not in out.output
    assert snapshot(pkg) == before
    out = runner.invoke(app, ["update", "no-such-series", "-p", str(pkg)])
    assert out.exit_code == 2 and "no-such-series" in out.stderr


def test_a_dry_run_writes_nothing_but_says_what_would_come(pkg: Path, upstream: Upstream) -> None:
    upstream.commit("snap-a", "2024-01-03")
    before = snapshot(pkg)
    out = runner.invoke(
        app, ["update", "fixture-series", "--from", str(upstream.path), "--dry-run", "--format", "json", "-p", str(pkg)]
    )
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    [one] = body["upstreams"]
    assert one["dry_run"] and one["new_days"] == 3 and one["first_new_day"] == "2024-01-01"
    assert snapshot(pkg) == before


def test_the_cli_writes_the_pull_requests_body(pkg: Path, upstream: Upstream, tmp_path: Path) -> None:
    upstream.commit("snap-a", "2024-01-03")
    _update(pkg, upstream)
    upstream.commit("snap-b", "2024-01-05")
    body = tmp_path / "body.md"
    out = runner.invoke(
        app, ["update", "fixture-series", "--from", str(upstream.path), "--pr-body", str(body), "-p", str(pkg)]
    )
    assert out.exit_code == 0, out.output
    assert "fixture-series: brought 1 commit(s)" in out.stdout and "2 new day(s)" in out.stdout
    text = body.read_text(encoding="utf-8")
    assert text.startswith("## Upstream update") and "| new days | 2 (2024-01-04 to 2024-01-05) |" in text
    assert "Semantic version: **minor**" in text


HOLD = """
import sys, time
from pathlib import Path
from toolkit.core.package_lock import package_lock
root, ready = Path(sys.argv[1]), Path(sys.argv[2])
with package_lock(root, command="update fixture-series"):
    ready.write_text("held")
    time.sleep(30)
"""


def test_a_second_update_while_one_runs_is_refused(pkg: Path, upstream: Upstream, tmp_path: Path) -> None:
    upstream.commit("snap-a", "2024-01-03")
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(pkg), str(ready)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        before = snapshot(pkg)
        out = runner.invoke(app, ["update", "fixture-series", "--from", str(upstream.path), "-p", str(pkg)])
        assert out.exit_code == 2 and f"process {proc.pid} (claims update fixture-series)" in out.stderr
        assert snapshot(pkg) == before and not (pkg / ".claims" / "upstream").exists()  # not even fetched
    finally:
        proc.kill()
        proc.wait()


def test_json_output_names_its_format_and_the_transients(pkg: Path, upstream: Upstream) -> None:
    upstream.commit("snap-b", "2024-01-05")
    _update(pkg, upstream)
    upstream.commit("snap-changed", "2024-01-06")
    upstream.commit("snap-b", "2024-01-07")
    report = update_report(pkg, ["fixture-series"], source=str(upstream.path), today=TODAY)
    body = json.loads(render_json(report))
    assert body["format"] == "claims-update" and body["format_version"] == 1
    [one] = body["upstreams"]
    assert [(t["day"], t["field"], t["value"], t["kept"]) for t in one["transients"]] == [
        ("2024-01-02", "tanks", 13, 12)
    ]
    # no claim added or changed; a row of series_revisions added: new data, a minor version
    assert one["new_claims"] == 0 and one["superseded"] == [] and body["bump"] == "minor"


WORKFLOW = ROOT / ".github" / "workflows" / "update.yml"
GH_STUB = """#!/usr/bin/env bash
# gh as the workflow calls it: each call logged; `pr list` answers the open pull request's number.
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "pr list" ] && [ -f "$PR_NUMBER" ]; then cat "$PR_NUMBER"; fi
"""


def _workflow() -> dict:
    import yaml

    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_runs_daily_and_never_pushes_to_main() -> None:
    flow = _workflow()
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"] and "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write"}
    [job] = flow["jobs"].values()
    script = next(s for s in job["steps"] if s.get("name") == "Update and propose")["run"]
    assert "claims update --pr-body" in script
    pushes = [line.strip() for line in script.splitlines() if "git push" in line]
    assert pushes == ['git push --force origin "HEAD:refs/heads/$BRANCH"']
    assert next(s for s in job["steps"] if s.get("name") == "Update and propose")["env"]["BRANCH"] != "main"


def test_every_workflow_passes_githubs_schema_and_a_broken_one_does_not(tmp_path: Path) -> None:
    """check-jsonschema with the GitHub workflow schema it vendors (actionlint's PyPI wrapper
    downloads its binary at install time, which this machine cannot)."""
    lint = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
    flows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert str(WORKFLOW) in flows
    done = subprocess.run([*lint, *flows], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    done = subprocess.run([*lint, str(broken)], capture_output=True, text=True)
    assert done.returncode == 1 and "runs-on" in done.stdout + done.stderr


def _run_step(pkg: Path, tmp_path: Path, upstream: Path) -> subprocess.CompletedProcess:
    """The workflow's script, run in pkg with gh stubbed; git reads the mapping's repository
    address (https://example.org/fixture-series) as the local upstream, by git's own insteadOf."""
    [job] = _workflow()["jobs"].values()
    step = next(s for s in job["steps"] if s.get("name") == "Update and propose")
    env = {
        "BRANCH": step["env"]["BRANCH"],
        "BODY": str(tmp_path / "update.md"),
        "SUMMARY": str(tmp_path / "update.txt"),
        "GH_LOG": str(tmp_path / "gh.log"),
        "PR_NUMBER": str(tmp_path / "pr-number"),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{upstream}.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://example.org/fixture-series",
    }
    return run_step_with_gh_stubbed(step["run"], pkg, tmp_path, GH_STUB, env)


def test_the_workflows_commands_propose_one_pull_request_and_keep_it_current(
    pkg: Path, upstream: Upstream, tmp_path: Path
) -> None:
    from .conftest import git, init_repo

    init_repo(pkg)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(pkg), str(origin)], check=True)
    git(pkg, "remote", "add", "origin", str(origin))
    main = git(origin, "rev-parse", "main").strip()
    branch = "claims/upstream-update"

    upstream.commit("snap-a", "2024-01-03")
    done = _run_step(pkg, tmp_path, upstream.path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(origin, "rev-parse", "main").strip() == main  # main untouched
    proposed = git(origin, "show", f"{branch}:data/claims.csv")
    assert proposed.count("fixture_people") == 3
    log = (tmp_path / "gh.log").read_text().splitlines()
    assert log[-1].startswith("pr create --base main --head claims/upstream-update")
    assert (tmp_path / "update.md").read_text().startswith("## Upstream update")

    # the next day, from main again (the pull request is open): the branch and its description move on
    git(pkg, "switch", "-q", "main")
    git(pkg, "reset", "-q", "--hard", "main")
    (tmp_path / "pr-number").write_text("7\n")
    upstream.commit("snap-b", "2024-01-05")
    done = _run_step(pkg, tmp_path, upstream.path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(origin, "rev-parse", "main").strip() == main
    assert git(origin, "show", f"{branch}:data/claims.csv").count("fixture_people") == 5
    log = (tmp_path / "gh.log").read_text().splitlines()
    assert log[-1].startswith("pr edit 7 --body-file") and sum(x.startswith("pr create") for x in log) == 1

    # merged, and nothing new upstream: nothing to propose, nothing pushed
    git(pkg, "switch", "-q", "main")
    git(pkg, "merge", "-q", "--ff-only", branch)
    calls = len(log)
    done = _run_step(pkg, tmp_path, upstream.path)
    assert done.returncode == 0 and "nothing to propose" in done.stdout
    assert len((tmp_path / "gh.log").read_text().splitlines()) == calls


def test_the_workflow_fails_and_pushes_nothing_when_the_update_is_refused(pkg: Path, tmp_path: Path) -> None:
    from .conftest import git, init_repo

    init_repo(pkg)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(pkg), str(origin)], check=True)
    git(pkg, "remote", "add", "origin", str(origin))
    done = _run_step(pkg, tmp_path, tmp_path / "gone")
    assert done.returncode == 2 and "cannot fetch the upstream fixture-series" in done.stderr
    assert git(origin, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/main"]
    assert not (tmp_path / "gh.log").exists()
