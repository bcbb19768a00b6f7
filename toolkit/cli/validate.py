"""`claims validate`: check the package and report every problem."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..render import RENDERERS
from ..validate import validate_package
from .common import EXIT_INVALID, EXIT_OK, flag, run_guarded


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


def validate(
    path: Annotated[Path, typer.Argument(help="Package folder or its datapackage.json.")] = Path("."),
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    strict: Annotated[bool, flag("--strict", help="Warnings fail the run too.")] = False,
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="Previous release (git ref, folder or zip): claim IDs must not vanish or change meaning.",
        ),
    ] = None,
    allow_remote: Annotated[
        bool, flag("--allow-remote", help="Fetch resources and schemas given as http(s) URLs.")
    ] = False,
    max_problems: Annotated[
        int, typer.Option("--max-problems", min=1, help="Show at most this many problems (all are counted).")
    ] = 1000,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Validate the data package: structure, types, constraints, row logic, references, provenance.

    Exit code 0 when valid, 1 when there are errors (or warnings with --strict), 2 on a usage or
    environment error.

    Example: claims validate . --format github --against v0.1.0
    """
    report = run_guarded(
        lambda: validate_package(path, against=against, limit=max_problems, allow_remote=allow_remote), debug
    )
    typer.echo(RENDERERS[format.value](report, strict), nl=False)
    raise typer.Exit(EXIT_OK if report.ok(strict) else EXIT_INVALID)
