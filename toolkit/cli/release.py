"""`claims release` and `claims build`: versioned releases and the files journalists download."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..build import BuildResult, build_dist
from ..release import apply_release, plan_release
from .common import EXIT_OK, run_guarded


class Bump(StrEnum):
    major = "major"
    minor = "minor"
    patch = "patch"


def release(
    path: Annotated[Path, typer.Argument(help="Repository holding the package.")] = Path("."),
    bump: Annotated[Bump | None, typer.Option("--bump", help="Override the bump the diff proposes.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for CI).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show everything, write nothing.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Validate, diff against the newest vX.Y.Z tag, bump the version, write the changelog, commit and tag.

    Refuses when the package is invalid, the working tree is dirty or the tag exists; on any
    failure every file is left as it was. Then builds dist/.

    Example: claims release --dry-run
    """
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
    built: list[BuildResult] = []
    run_guarded(lambda: apply_release(plan, then=lambda: built.append(build_dist(plan.repo))), debug)
    typer.echo(f"committed and tagged {plan.tag}")
    for file in built[0].files:
        typer.echo(f"built {file.relative_to(plan.repo)}")


def build(
    path: Annotated[Path, typer.Argument(help="Package folder.")] = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: dist/).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Write dist/: the package zip, claims_flat.csv, an .xlsx with a data dictionary and a SQLite database.

    Example: claims build --out dist
    """
    result = run_guarded(lambda: build_dist(path, out), debug)
    for file in result.files:
        typer.echo(f"built {file}")
