"""`claims import`: an upstream series into the package, driven by its mapping file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from .common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, WAIT, flag, run_guarded, to_stderr

if TYPE_CHECKING:
    from ..upstream.series_import import ImportResult, RebuildResult


class ImportFormat(StrEnum):
    text = "text"
    json = "json"


def import_series(
    mapping: Annotated[str, typer.Argument(help="The series: a mapping in mappings/ (e.g. ua-general-staff).")],
    folders: Annotated[
        list[Path] | None,
        typer.Argument(help="The snapshots, oldest first: folders laid out like the upstream repository."),
    ] = None,
    commit: Annotated[
        list[str] | None,
        typer.Option(
            "--commit",
            help="Each snapshot's upstream commit (full hash), in the order of the folders, unless checkouts.",
        ),
    ] = None,
    commit_date: Annotated[
        list[str] | None,
        typer.Option(
            "--commit-date",
            help="Each snapshot's commit day, YYYY-MM-DD, in the order of the folders, unless checkouts "
            "(recorded as published; dates the records of a file that has none).",
        ),
    ] = None,
    retrieved: Annotated[str, typer.Option("--retrieved", help="The day the snapshots were taken, YYYY-MM-DD.")] = "",
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
    """Import snapshots of an upstream series: a claim per figure (per day and category, or per
    record), each anchored to the archived file by a JSON Pointer; new figures only, past figures
    never rewritten (a changed one is superseded), days or figures missing upstream reported and
    kept. Several snapshots, oldest first, are imported as one change.

    Exit 0 when imported (or nothing new), 1 when a snapshot holds data the package would
    reject, 2 when a snapshot or the mapping cannot be used, or another process writes the
    package; a refusal writes nothing.

    Example: claims import ua-general-staff ../2022-Ukraine-Russia-War-Dataset
    """
    from ..upstream.series_import import SnapshotGiven, import_snapshots, rebuild_series

    folders, commits, dates = folders or [], commit or [], commit_date or []
    if wait < 0:
        _usage("--wait takes a number of seconds, 0 or more")
    if rebuild == bool(folders):
        _usage("give either snapshot FOLDERs or --rebuild")
    for option, given in (("--commit", commits), ("--commit-date", dates)):
        if given and len(given) != len(folders):
            _usage(f"give {option} once per FOLDER, in their order ({len(given)} for {len(folders)} folders)")
    shown = format.value
    if not folders:
        done = run_guarded(
            lambda: rebuild_series(package, mapping, check=check, wait=wait, notify=to_stderr), debug, format=shown
        )
        raise typer.Exit(_report_rebuild(done, check))
    snapshots = [
        SnapshotGiven(
            folder=folder,
            commit=commits[i] if commits else None,
            commit_date=dates[i] if dates else "",
            retrieved=retrieved,
        )
        for i, folder in enumerate(folders)
    ]
    results = run_guarded(
        lambda: import_snapshots(package, mapping, snapshots, dry_run=dry_run, wait=wait, notify=to_stderr),
        debug,
        command="import",
        format=shown,
    )
    _report_import(results, shown)
    raise typer.Exit(EXIT_OK)


def _usage(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _report_import(results: list[ImportResult], format: str) -> None:
    from ..upstream.import_render import render_json, render_text

    out, warnings = render_text(results)
    if warnings:
        typer.echo(warnings, err=True, nl=False)
    typer.echo(render_json(results) if format == "json" else out, nl=False)


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
