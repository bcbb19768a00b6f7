"""problems/refusal.py: a command that cannot run says why and how to fix it in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.problems.refusal import COMMENT_MARKER, Refusal, render_github, render_json, render_markdown

from .conftest import init_repo, make_package

runner = CliRunner()
SHALLOW_FIX = "git fetch --unshallow"


def test_github_escapes_what_would_end_the_annotation() -> None:
    refusal = Refusal(command="check", message="50% of it\nsecond line, with: colons", exit_code=2)
    assert (
        render_github(refusal) == "::error title=claims check could not run::50%25 of it%0Asecond line, with: colons\n"
    )


def test_markdown_quotes_every_line_and_starts_with_the_comment_marker() -> None:
    text = render_markdown(Refusal(command="check", message="first\n\nthird", exit_code=2))
    assert text.splitlines()[:6] == [COMMENT_MARKER, "## ⛔ claims check could not run", "", "> first", ">", "> third"]
    assert "(exit 2)" in text


def test_json_is_a_versioned_document() -> None:
    out = json.loads(render_json(Refusal(command="diff", message="no such ref", exit_code=2, internal=False)))
    assert out == {
        "format": "claims-refusal",
        "format_version": 1,
        "command": "diff",
        "ok": False,
        "exit_code": 2,
        "internal_error": False,
        "error": "no such ref",
    }


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A released repository, made once per module (a release takes a second and a half)."""
    origin = make_package(tmp_path_factory.mktemp("released") / "origin")
    (origin / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    init_repo(origin)
    assert runner.invoke(app, ["release", str(origin), "--yes"]).exit_code == 0
    return origin


@pytest.fixture
def shallow(released: Path, tmp_path: Path) -> Path:
    """A depth-1 clone of a released repository: every comparison with a release is refused."""
    import subprocess

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", released.as_uri(), str(clone)], check=True)
    return clone


@pytest.mark.parametrize(
    ("args", "fmt"),
    [
        (["check", "--base", "main"], "github"),
        (["check", "--base", "main"], "markdown"),
        (["check", "--base", "main"], "json"),
        (["diff", "latest", "."], "json"),
        (["diff", "latest", "."], "markdown"),
        (["validate", ".", "--against", "latest"], "github"),
    ],
)
def test_a_refusal_is_told_in_the_format_asked_for(
    shallow: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], fmt: str
) -> None:
    monkeypatch.chdir(shallow)
    out = runner.invoke(app, [*args, "--format", fmt])
    assert out.exit_code == 2, out.output
    assert out.stderr.startswith("error: ") and SHALLOW_FIX in out.stderr  # the terminal line stays
    if fmt == "github":
        assert out.stdout.startswith(f"::error title=claims {args[0]} could not run::")
        assert SHALLOW_FIX in out.stdout and "fetch-depth: 0" in out.stdout
    elif fmt == "markdown":
        assert out.stdout.startswith(COMMENT_MARKER) and "> release" in out.stdout and SHALLOW_FIX in out.stdout
    else:
        doc = json.loads(out.stdout)
        assert doc["command"] == args[0] and doc["exit_code"] == 2 and SHALLOW_FIX in doc["error"]


def test_text_keeps_stdout_empty(shallow: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(shallow)
    out = runner.invoke(app, ["check", "--base", "main"])
    assert out.exit_code == 2 and out.stdout == "" and SHALLOW_FIX in out.stderr


def test_check_writes_the_refusal_as_its_pull_request_comment(
    shallow: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shallow)
    comment = tmp_path / "claims-check.md"
    out = runner.invoke(app, ["check", "--base", "main", "--format", "github", "--comment", str(comment)])
    assert out.exit_code == 2
    text = comment.read_text()
    assert text.startswith(COMMENT_MARKER) and SHALLOW_FIX in text and "could not run" in text


def test_a_refusal_outside_git_is_told_the_same_way(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    out = runner.invoke(app, ["diff", "v9.9.9", str(pkg), "--repo", str(pkg), "--format", "json"])
    assert out.exit_code == 2
    doc = json.loads(out.stdout)
    assert "not a git repository" in doc["error"] and doc["internal_error"] is False


def test_the_documented_refusal_has_every_key_the_output_has() -> None:
    import re

    from .conftest import ROOT

    text = (ROOT / "docs" / "validate-json.md").read_text(encoding="utf-8").split("## When the command cannot run")[1]
    block = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    documented = json.loads(re.sub(r"\s+//[^\n]*", "", block))
    produced = json.loads(render_json(Refusal(command="validate", message="x", exit_code=2)))
    assert documented.keys() == produced.keys()
