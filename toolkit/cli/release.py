"""`claims release` and `claims build`: versioned releases and the files journalists download."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..publish.build import BuildResult

from .common import (
    CHART_IMAGES_HELP,
    EXIT_OK,
    WAIT,
    finish_interrupted_write,
    flag,
    progress_on_terminal,
    run_guarded,
    to_stderr,
)


class Bump(StrEnum):
    major = "major"
    minor = "minor"
    patch = "patch"


def release(
    path: Annotated[Path, typer.Argument(help="Repository holding the package.")] = Path("."),
    bump: Annotated[Bump | None, typer.Option("--bump", help="Override the bump the diff proposes.")] = None,
    yes: Annotated[bool, flag("--yes", "-y", help="Do not ask for confirmation (for CI).")] = False,
    dry_run: Annotated[bool, flag("--dry-run", help="Show everything, write nothing.")] = False,
    wait: Annotated[float, WAIT] = 0.0,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Validate, diff against the last release, bump the version, write the changelog, commit, tag and build.

    Refuses when the package is invalid, the working tree is dirty or the tag exists; on any
    failure every file is left as it was. Then builds dist/.

    Example: claims release --dry-run
    """
    from ..publish.build import build_dist
    from ..publish.release import apply_release, plan_release

    run_guarded(lambda: finish_interrupted_write(path), debug)  # plan from a whole state, never a half-written one
    plan = run_guarded(lambda: plan_release(path.resolve(), bump.value if bump else None), debug)
    typer.echo(f"previous release: {plan.previous or '(none)'}")
    typer.echo(f"version: {plan.old_version} -> {plan.version} ({plan.bump or 'first release'}: {plan.reason})")
    typer.echo("files: " + ", ".join(str(p.relative_to(plan.repo)) for p in plan.writes))
    typer.echo("")
    typer.echo(plan.section)
    if dry_run:
        typer.echo("dry run: nothing written.")
        raise typer.Exit(EXIT_OK)
    if not yes and not typer.confirm(f"Release {plan.tag}?", default=False):
        typer.echo("not released.")
        raise typer.Exit(EXIT_OK)
    built: list = []
    with progress_on_terminal() as say:
        run_guarded(
            lambda: apply_release(
                plan, then=lambda: built.append(build_dist(plan.repo, progress=say)), wait=wait, notify=to_stderr
            ),
            debug,
        )
    typer.echo(f"committed and tagged {plan.tag}")
    _report_build(built[0])


def build(
    path: Annotated[Path, typer.Argument(help="Package folder.")] = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: dist/).")] = None,
    site: Annotated[
        bool, typer.Option("--site/--no-site", help="Write the site too (a page per series and per quoted figure).")
    ] = True,
    chart_images: Annotated[bool, flag("--chart-images", help=CHART_IMAGES_HELP)] = False,
    serial: Annotated[
        bool,
        flag("--serial", help="One process: no second process writing the downloads while the site is written."),
    ] = False,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Write dist/<version>/: the package zip, the flat CSV, a workbook, a SQLite database for Datasette, the site.

    The set is written beside the previous one and switched in whole, so a failed or interrupted
    build leaves the previous set as it was.

    Example: claims build --out dist
    """
    from ..publish.build import build_dist

    with progress_on_terminal() as say:
        run_guarded(lambda: finish_interrupted_write(path), debug)
        result = run_guarded(
            lambda: build_dist(path, out, progress=say, site=site, chart_images=chart_images, parallel=not serial),
            debug,
        )
    _report_build(result)


def _report_build(result: BuildResult) -> None:
    for file in result.files:
        typer.echo(f"built {file}")
    if result.site is not None:
        typer.echo(f"built {result.site.folder / 'index.html'} ({result.site.pages:,} pages)")
    for name, rows in result.workbook.left_out:
        typer.echo(
            f"note: {name} ({rows:,} rows) is too long for a workbook sheet and left out of the .xlsx; "
            "the flat CSV, the zip and the SQLite file carry it",
            err=True,
        )
