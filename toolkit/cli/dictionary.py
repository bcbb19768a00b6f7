"""`claims dictionary`: regenerate docs/data-dictionary.md from the schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, flag, run_guarded

TARGET = Path("docs/data-dictionary.md")


def dictionary(
    path: Annotated[Path, typer.Argument(help="Package folder.")] = Path("."),
    check: Annotated[bool, flag("--check", help="Only report whether the file is up to date.")] = False,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Write the data dictionary generated from schemas/ to docs/data-dictionary.md.

    Example: claims dictionary --check   (exit 1 when the committed file is stale)
    """
    from ..core.files import atomic_write
    from ..core.paths import find_descriptor, inside_folder
    from ..publish.dictionary import render_dictionary

    root = run_guarded(lambda: find_descriptor(path).parent, debug)
    text = run_guarded(lambda: render_dictionary(root), debug)
    target = run_guarded(lambda: inside_folder(root, TARGET.as_posix()), debug)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        if current != text:
            typer.echo(f"{target} is out of date: run `claims dictionary`.", err=True)
            raise typer.Exit(EXIT_INVALID)
        typer.echo(f"{target} is up to date.")
        raise typer.Exit(EXIT_OK)
    run_guarded(lambda: atomic_write(target, text.encode("utf-8")), debug)
    typer.echo(f"wrote {target}")
