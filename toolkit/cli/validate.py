"""`claims validate`: check the package and report every problem."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..problems.report import Report

from .common import EXIT_INVALID, EXIT_OK, ReportFormat, finish_interrupted_write, flag, run_guarded


def validate(
    path: Annotated[Path, typer.Argument(help="Package folder or its datapackage.json.")] = Path("."),
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
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
    no_cache: Annotated[
        bool, flag("--no-cache", help="Check everything again, even when no input changed since the last run.")
    ] = False,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Validate the data package: structure, types, constraints, row logic, references, provenance.

    Exit code 0 when valid, 1 when there are errors (or warnings with --strict), 2 on a usage or
    environment error.

    Example: claims validate . --format github --against v0.1.0
    """
    from ..problems.render import RENDERERS

    report = run_guarded(
        lambda: _validate(path, against, max_problems, allow_remote, no_cache),
        debug,
        command="validate",
        format=format.value,
    )
    typer.echo(RENDERERS[format.value](report, strict), nl=False)
    raise typer.Exit(EXIT_OK if report.ok(strict) else EXIT_INVALID)


def _validate(path: Path, against: str | None, limit: int, allow_remote: bool, no_cache: bool) -> Report:
    """The report, from the cache when every input is as it was (cli/cache.py); else computed and kept."""
    from ..core.paths import find_descriptor
    from ..problems.report import Report
    from . import cache

    if not path.is_file() or path.suffix.lower() == ".json":
        finish_interrupted_write(path)
    key = None
    if cache.enabled() and not no_cache and not against and not allow_remote and not path.is_file():
        key = cache.cache_key(find_descriptor(path).parent, {"limit": limit})
        data = cache.load(key) if key else None
        if data is not None:
            return Report.from_dict(data)
    from ..check.validate import validate_package

    report = validate_package(path, against=against, limit=limit, allow_remote=allow_remote)
    if key:
        cache.store(key, report.to_dict())
    return report
