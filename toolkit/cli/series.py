"""`claims import`: an upstream series into the package, driven by its mapping file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, WAIT, flag, run_guarded, to_stderr

if TYPE_CHECKING:
    from ..contribute.series_import import ImportResult, RebuildResult


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


def import_series(
    mapping: Annotated[str, typer.Argument(help="The series: a mapping in mappings/ (e.g. ua-general-staff).")],
    folder: Annotated[
        Path | None, typer.Argument(help="The snapshot: a folder laid out like the upstream repository.")
    ] = None,
    commit: Annotated[
        str | None,
        typer.Option("--commit", help="The snapshot's upstream commit (full hash), unless FOLDER is a checkout."),
    ] = None,
    commit_date: Annotated[
        str,
        typer.Option(
            "--commit-date",
            help="The day of the snapshot's commit, YYYY-MM-DD, unless FOLDER is a checkout (recorded as published).",
        ),
    ] = "",
    retrieved: Annotated[str, typer.Option("--retrieved", help="The day the snapshot was taken, YYYY-MM-DD.")] = "",
    rebuild: Annotated[
        bool, flag("--rebuild", help="Derive the series' rows again from its archived snapshots (no FOLDER).")
    ] = False,
    check: Annotated[
        bool, flag("--check", help="With --rebuild: write nothing; exit 1 if data/ would change.")
    ] = False,
    dry_run: Annotated[bool, flag("--dry-run", help="Show what the import would do; write nothing.")] = False,
    wait: Annotated[float, WAIT] = 0.0,
    format: Annotated[ImportFormat, typer.Option("--format", help="text, or json for scripts.")] = ImportFormat.text,
    package: Annotated[Path, typer.Option("--package", "-p", help="Package folder.")] = Path("."),
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Import a snapshot of an upstream series: one claim per day and category, each anchored to the
    archived file by a JSON Pointer; new days only, past figures never rewritten (a changed one is
    superseded), days missing upstream reported and kept.

    Exit 0 when imported (or nothing new), 1 when the snapshot holds data the package would
    reject, 2 when the snapshot or the mapping cannot be used, or another process writes the
    package; a refusal writes nothing.

    Example: claims import ua-general-staff ../2022-Ukraine-Russia-War-Dataset
    """
    from ..contribute.series_import import import_snapshot, rebuild_series

    if wait < 0:
        typer.echo("error: --wait takes a number of seconds, 0 or more", err=True)
        raise typer.Exit(EXIT_USAGE)
    if rebuild == (folder is not None):
        typer.echo("error: give either a snapshot FOLDER or --rebuild", err=True)
        raise typer.Exit(EXIT_USAGE)
    shown = format.value
    if folder is None:
        done = run_guarded(
            lambda: rebuild_series(package, mapping, check=check, wait=wait, notify=to_stderr), debug, format=shown
        )
        raise typer.Exit(_report_rebuild(done, check))
    snapshot = folder
    result = run_guarded(
        lambda: import_snapshot(
            package,
            mapping,
            snapshot,
            commit=commit,
            commit_date=commit_date,
            retrieved=retrieved,
            dry_run=dry_run,
            wait=wait,
            notify=to_stderr,
        ),
        debug,
        command="import",
        format=shown,
    )
    _report_import(result, shown)
    raise typer.Exit(EXIT_OK)


def _report_import(result: ImportResult, format: str) -> None:
    from ..contribute.import_render import render_json, render_text

    out, warnings = render_text(result)
    if warnings:
        typer.echo(warnings, err=True, nl=False)
    typer.echo(render_json(result) if format == "json" else out, nl=False)


def _report_rebuild(result: RebuildResult, check: bool) -> int:
    replayed = ", ".join(c[:12] for c in result.snapshots)
    if not result.differs:
        typer.echo(
            f"{result.mapping}: rebuilt from the archived snapshots ({replayed}): data/ is the same, byte for byte"
        )
        return EXIT_OK
    tables = ", ".join(result.differs)
    if check:
        typer.echo(f"{result.mapping}: rebuilding from the archived snapshots ({replayed}) would change {tables}")
        return EXIT_INVALID
    typer.echo(f"{result.mapping}: rebuilt from the archived snapshots ({replayed}); rewrote {tables}")
    return EXIT_OK
