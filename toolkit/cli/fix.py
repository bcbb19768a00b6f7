"""`claims fix`: rewrite every table in its canonical form (like `ruff format` for the package)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, WAIT, finish_interrupted_write, flag, run_guarded, to_stderr


def fix(
    path: Annotated[Path, typer.Argument(help="Package folder (found from any subfolder).")] = Path("."),
    check: Annotated[bool, flag("--check", help="Change nothing; exit 1 if a file is not in canonical form.")] = False,
    wait: Annotated[float, WAIT] = 0.0,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Rewrite data/ in canonical form: UTF-8 without BOM, LF, quotes only where needed, NFC, no
    spaces around values, the schema's column order. Never changes a value; atomic per file.

    Example: claims fix   (after saving data/claims.csv from a spreadsheet)
    """
    from ..contribute.fix import apply_fixes, fix_package

    run_guarded(lambda: finish_interrupted_write(path), debug)
    result = run_guarded(lambda: fix_package(path), debug)
    for item in result.files:
        if item.refused:
            typer.echo(f"{item.file}: not fixed: {item.refused}", err=True)
        elif item.changed:
            verb = "would fix" if check else "fixed"
            typer.echo(f"{item.file}: {verb}: {'; '.join(item.changes)}")
    if not check:
        run_guarded(lambda: apply_fixes(result, wait=wait, notify=to_stderr), debug)
    if not result.changed and not result.refused:
        typer.echo("every table is in canonical form")
    failed = result.refused or (check and result.changed)
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)
