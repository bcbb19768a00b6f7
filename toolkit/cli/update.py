"""`claims update`: the upstreams the package follows, brought up to date from their git history."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_OK, WAIT, flag, run_guarded, to_stderr


class UpdateFormat(StrEnum):
    text = "text"
    json = "json"


def update(
    names: Annotated[
        list[str] | None, typer.Argument(help="The upstreams (mappings that name a repository); all of them if none.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from", help="Another address of the repository: a local clone, a bundle, a URL (one upstream)."
        ),
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="The commit to stop at (default: the branch's head).")] = None,
    dry_run: Annotated[bool, flag("--dry-run", help="Say what would come in; write nothing.")] = False,
    pr_body: Annotated[
        Path | None, typer.Option("--pr-body", help="Also write a pull request's description (Markdown) to this file.")
    ] = None,
    wait: Annotated[float, WAIT] = 0.0,
    format: Annotated[UpdateFormat, typer.Option("--format", help="text, or json for scripts.")] = UpdateFormat.text,
    package: Annotated[Path, typer.Option("--package", "-p", help="Package folder.")] = Path("."),
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Fetch each followed upstream's repository; when commits after the one the package last
    imported change a file its mapping reads, import what the newest of them publishes (under the
    package's lock and journal) and report the figures the commits in between gave otherwise. Up to
    date: says so and touches nothing. A history rewritten (the recorded commit gone) is refused.
    Exit 0, or 2 when an upstream cannot be fetched or read or its files are refused.

    Example: claims update ua-general-staff --from ../2022-Ukraine-Russia-War-Dataset.bundle --pr-body body.md
    """
    from ..core.files import atomic_write
    from ..upstream.update import update_report
    from ..upstream.update_render import render_json, render_pr_body, render_text

    report = run_guarded(
        lambda: update_report(package, names or [], source=source, to=to, dry_run=dry_run, wait=wait, notify=to_stderr),
        debug,
        command="update",
        format=format.value,
    )
    typer.echo(render_json(report) if format is UpdateFormat.json else render_text(report), nl=False)
    if pr_body is not None:
        run_guarded(lambda: atomic_write(pr_body, render_pr_body(report).encode("utf-8")), debug)
    raise typer.Exit(EXIT_OK)
