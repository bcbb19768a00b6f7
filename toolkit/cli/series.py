"""`claims import`: an upstream series into the package, driven by its mapping file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, flag, run_guarded

if TYPE_CHECKING:
    from ..contribute.series_import import ImportResult, RebuildResult


def import_series(
    mapping: Annotated[str, typer.Argument(help="The series: a mapping in mappings/ (e.g. ua-general-staff).")],
    folder: Annotated[
        Path | None, typer.Argument(help="The snapshot: a folder laid out like the upstream repository.")
    ] = None,
    commit: Annotated[
        str | None,
        typer.Option("--commit", help="The snapshot's upstream commit (full hash), unless FOLDER is a checkout."),
    ] = None,
    retrieved: Annotated[str, typer.Option("--retrieved", help="The day the snapshot was taken, YYYY-MM-DD.")] = "",
    rebuild: Annotated[
        bool, flag("--rebuild", help="Derive the series' rows again from its archived snapshots (no FOLDER).")
    ] = False,
    check: Annotated[
        bool, flag("--check", help="With --rebuild: write nothing; exit 1 if data/ would change.")
    ] = False,
    dry_run: Annotated[bool, flag("--dry-run", help="Show what the import would do; write nothing.")] = False,
    package: Annotated[Path, typer.Option("--package", "-p", help="Package folder.")] = Path("."),
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Import a snapshot of an upstream series: one claim per day and category, each anchored to the
    archived file by a JSON Pointer; new days only, past figures never rewritten (a changed one is
    superseded), days missing upstream reported and kept.

    Exit 0 when imported (or nothing new), 1 when the snapshot holds data the package would
    reject, 2 when the snapshot or the mapping cannot be used; a refusal writes nothing.

    Example: claims import ua-general-staff ../2022-Ukraine-Russia-War-Dataset
    """
    from ..contribute.series_import import import_snapshot, rebuild_series

    if rebuild == (folder is not None):
        typer.echo("error: give either a snapshot FOLDER or --rebuild", err=True)
        raise typer.Exit(EXIT_USAGE)
    if folder is None:
        done = run_guarded(lambda: rebuild_series(package, mapping, check=check), debug)
        raise typer.Exit(_report_rebuild(done, check))
    snapshot = folder
    result = run_guarded(
        lambda: import_snapshot(package, mapping, snapshot, commit=commit, retrieved=retrieved, dry_run=dry_run),
        debug,
    )
    _report_import(result, dry_run)
    raise typer.Exit(EXIT_OK)


def _report_import(result: ImportResult, dry_run: bool) -> None:
    plan = result.plan
    typer.echo(f"{result.mapping}: snapshot {result.commit[:12]} (figures to {result.last_day})")
    if not result.changed:
        typer.echo("nothing to import: the package holds every figure of this snapshot already")
        return
    if plan.new_days:
        typer.echo(f"  new days: {len(plan.new_days):,} ({plan.new_days[0]} to {plan.new_days[-1]})")
    if plan.new_claims:
        typer.echo(f"  new claims: {len(plan.new_claims):,} ({plan.new_claims[0]} to {plan.new_claims[-1]})")
    for old, new in plan.superseded[:20]:
        typer.echo(f"  superseded: {old} by {new} (the snapshot gives another figure for that day)")
    if len(plan.superseded) > 20:
        typer.echo(f"  ... and {len(plan.superseded) - 20} more superseded")
    if plan.sources_added:
        typer.echo(f"  new sources: {', '.join(plan.sources_added)}")
    if plan.sources_moved:
        typer.echo(f"  sources now at commit {result.commit[:12]}: {', '.join(plan.sources_moved)}")
    if plan.corrections_added or plan.corrections_changed:
        typer.echo(f"  series corrections: {plan.corrections_added} added, {len(plan.corrections_changed)} changed")
    if plan.missing_days:
        days = ", ".join(str(d) for d in plan.missing_days[:10]) + (" ..." if len(plan.missing_days) > 10 else "")
        typer.echo(
            f"warning: {len(plan.missing_days)} day(s) the package holds are missing from the snapshot ({days}); "
            "nothing was deleted: their claims stay as they were",
            err=True,
        )
    if dry_run:
        typer.echo("dry run: nothing written.")
    else:
        typer.echo(
            f"wrote {len(result.written)} file(s): {', '.join(result.written[:6])}"
            + (" ..." if len(result.written) > 6 else "")
        )


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
