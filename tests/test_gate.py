"""claims check: the pull-request gate, on a scratch repository with a base and a contributor branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.contribute.gate import check_contribution
from toolkit.contribute.render import COMMENT_MARKER, MAX_COMMENT, render_markdown

from .conftest import edit, git, init_repo, make_package

CLAIMS = "data/claims.csv"
runner = CliRunner()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_package(tmp_path / "repo")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    init_repo(repo, "base")
    git(repo, "checkout", "-qb", "contribution")
    return repo


def _delete(repo: Path) -> None:
    path = repo / CLAIMS
    path.write_text("".join(line for line in path.read_text().splitlines(True) if not line.startswith("C0003,")))


def _reuse(repo: Path) -> None:
    edit(repo, CLAIMS, "C0002,S0001,", "C0002,S0002,")


def _change_figure(repo: Path) -> None:
    edit(repo, CLAIMS, '"Between 5,000 and 7,000",range,,5000,7000', '"7,000",exact,7000,7000,7000')


def _draft(repo: Path) -> None:
    edit(repo, CLAIMS, "went home.,reported,,", "went home.,reported,,DRAFT from claims extract: check it.")


def _formula(repo: Path) -> None:
    edit(repo, CLAIMS, "went home.,reported,,", 'went home.,reported,,"=HYPERLINK(""http://x.example"",""x"")"')


def _breaking(repo: Path) -> None:
    text = (repo / "schemas/claims.schema.json").read_text()
    old = '"example": "Russian armed forces personnel",\n     "constraints": {"required": true}}'
    assert old in text
    new = old.replace('{"required": true}', '{"required": true, "maxLength": 2000}')
    (repo / "schemas/claims.schema.json").write_text(text.replace(old, new))


CASES = [
    (_delete, "claim-id-removed"),
    (_reuse, "claim-id-reused"),
    (_change_figure, "claim-id-reused"),
    (_draft, "draft-unfinished"),
    (_formula, "text-formula"),
    (_breaking, "version-not-bumped"),
]


@pytest.mark.parametrize(("change", "code"), CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_each_bad_contribution_fails_with_its_code(repo: Path, change, code: str) -> None:
    change(repo)
    git(repo, "commit", "-qam", "contribution")
    result = runner.invoke(app, ["check", str(repo), "--base", "main", "--format", "json"])
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    assert out["ok"] is False and code in out["validate"]["counts"], out["validate"]["counts"]


def test_a_clean_contribution_passes_and_says_what_it_adds(repo: Path) -> None:
    line = (repo / CLAIMS).read_text().splitlines()[4].replace("C0004", "C0005")
    (repo / CLAIMS).write_text((repo / CLAIMS).read_text() + line + "\n")
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    git(repo, "commit", "-qam", "contribution")
    result = check_contribution(repo, "main")
    assert result.ok and result.diff.resources["claims"].added == ["C0005"]
    assert result.diff.bump()[0] == "minor"
    comment = runner.invoke(app, ["check", str(repo), "--base", "main", "--format", "markdown"])
    assert comment.exit_code == 0 and comment.stdout.startswith(COMMENT_MARKER)
    assert "✅ claims check" in comment.stdout and "`C0005`" in comment.stdout


def test_a_breaking_change_with_a_major_version_passes(repo: Path) -> None:
    _breaking(repo)
    edit(repo, "datapackage.json", '"version": "0.1.0"', '"version": "1.0.0"')
    git(repo, "commit", "-qam", "contribution")
    assert check_contribution(repo, "main").ok


def test_the_last_release_is_checked_too(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    assert runner.invoke(app, ["release", str(repo), "--yes"]).exit_code == 0
    _delete(repo)  # removed on main after the release: the base no longer has C0003 either
    git(repo, "commit", "-qam", "remove on main")
    git(repo, "checkout", "-qb", "later")
    result = check_contribution(repo, "main")
    assert result.against == ["main", "v0.1.0"]
    assert "claim-id-removed" in result.report.counts


def test_github_annotations_point_at_rows(repo: Path) -> None:
    _draft(repo)
    git(repo, "commit", "-qam", "contribution")
    result = runner.invoke(app, ["check", str(repo), "--base", "main", "--format", "github"])
    assert "::error file=data/claims.csv,line=4,title=draft-unfinished (notes)::C0003: " in result.stdout


def test_an_unreadable_base_is_a_usage_error(repo: Path) -> None:
    result = runner.invoke(app, ["check", str(repo), "--base", "no-such-branch"])
    assert result.exit_code == 2 and "no-such-branch" in result.stderr


def test_a_big_import_reads_as_a_summary_in_the_comment(repo: Path) -> None:
    path = repo / CLAIMS
    lines = path.read_text().splitlines()
    extra = [lines[1].replace("C0001", f"C{n:04d}") for n in range(5, 9000)]
    path.write_text("\n".join(lines + extra) + "\n")
    git(repo, "commit", "-qam", "many")
    text = render_markdown(check_contribution(repo, "main"))
    assert "| S0001 | desertions | 8,995 | C0005 | C8999 |" in text
    assert len(text) < 20_000 and "cut to fit a comment" not in text


def test_a_huge_comment_is_cut_to_fit(repo: Path) -> None:
    """Corrections are listed one by one (a person must look at each): 900 long ones overflow."""
    path = repo / CLAIMS
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1].replace("C0001", f"C{n:04d}") for n in range(5, 905)]) + "\n")
    git(repo, "commit", "-qam", "a base of 904 claims")
    git(repo, "push", "-q", ".", "HEAD:main")
    text = path.read_text().replace(
        ",reported,,,", ",reported,,A note long enough to fill a comment. " + "x" * 200 + ","
    )
    path.write_text(text)
    git(repo, "commit", "-qam", "notes")
    text = render_markdown(check_contribution(repo, "main"))
    assert len(text) <= MAX_COMMENT + 200 and "cut to fit a comment" in text


def test_the_workflow_runs_only_the_gate_and_finds_its_comment_by_the_marker() -> None:
    import re

    from .conftest import ROOT

    workflow = (ROOT / ".github" / "workflows" / "check.yml").read_text()
    commands = set(re.findall(r"\bclaims (\w[\w-]*)", workflow))
    assert commands == {"check"}, commands
    assert f'startswith("{COMMENT_MARKER}")' in workflow and "pull-requests: write" in workflow
    assert "--comment claims-check.md" in workflow
