"""`claims check`: the gate a contribution passes, the same in CI, the pre-commit hook and by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, ReportFormat, finish_interrupted_write, flag, run_guarded


def check(
    path: Annotated[Path, typer.Argument(help="Package folder (found from any subfolder).")] = Path("."),
    base: Annotated[
        str, typer.Option("--base", help="What the change is compared with: a branch, release, folder or zip.")
    ] = "main",
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    comment: Annotated[
        Path | None,
        typer.Option("--comment", help="Also write the Markdown report (the pull-request comment) to this file."),
    ] = None,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Validate every layer against the base and the last release, and show what the change does.

    Fails (exit 1) on any error: a removed or reused claim ID, a changed figure under an old ID,
    a DRAFT note, a formula cell, a breaking change without a new major version, and everything
    `claims validate` reports. Exit 2 when the base cannot be read (a shallow clone, say): the
    cause and the fix are then told in the chosen format too, and written to --comment.

    Example: claims check --base origin/main --format markdown
    """
    from ..contribute.gate import CheckResult, check_contribution
    from ..contribute.render import RENDERERS, render_markdown
    from ..core.files import atomic_write

    def gate() -> CheckResult:
        finish_interrupted_write(path)
        return check_contribution(path, base)

    result = run_guarded(gate, debug, command="check", format=format.value, comment=comment)
    typer.echo(RENDERERS[format.value](result), nl=False)
    if comment is not None:
        run_guarded(lambda: atomic_write(comment, render_markdown(result).encode("utf-8")), debug)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_INVALID)
