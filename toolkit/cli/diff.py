"""`claims diff`: what changed between two releases."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, finish_interrupted_write, flag, run_guarded


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    csv = "csv"


def diff(
    old: Annotated[str, typer.Argument(help="Old side: package folder, datapackage.json, release zip or git ref.")],
    new: Annotated[str, typer.Argument(help="New side, same forms.")] = ".",
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    exit_code: Annotated[
        bool, flag("--exit-code", help="Exit 1 when there are changes, like `git diff --exit-code`.")
    ] = False,
    repo: Annotated[Path | None, typer.Option("--repo", help="Git repository for refs (default: here).")] = None,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Show what changed between two releases: rows, cells, schemas, descriptor, and the version bump.

    Git refs are read with `git archive`; the working tree is never touched.

    Example: claims diff v0.1.0 . --format markdown
    """
    from ..compare.diff import diff_packages
    from ..compare.render import RENDERERS

    for side in (old, new):  # a package folder a killed write left half-applied: finished or undone first
        given = Path(side)
        if given.is_dir() or given.name == "datapackage.json":
            finish_interrupted_write(given if given.is_dir() else given.parent)
    result = run_guarded(lambda: diff_packages(old, new, repo), debug, command="diff", format=format.value)
    typer.echo(RENDERERS[format.value](result), nl=False)
    raise typer.Exit(EXIT_INVALID if exit_code and result.has_changes else EXIT_OK)
