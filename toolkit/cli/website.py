"""`claims site`: the static site of a release, on its own (claims build writes it with the downloads)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import CHART_IMAGES_HELP, finish_interrupted_write, flag, progress_on_terminal, run_guarded


def site(
    path: Annotated[Path, typer.Argument(help="Package folder.")] = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: dist/).")] = None,
    chart_images: Annotated[bool, flag("--chart-images", help=CHART_IMAGES_HELP)] = False,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Write dist/<version>/site/: a home page, a page per metric, per claim and per source.

    Open site/index.html from disk or publish the folder on any static host; it makes no request
    to any other host. It lists the downloads already built in dist/<version>/ (claims build
    writes both). The site is written beside the previous one and switched in whole.

    Example: claims site && xdg-open dist/*/site/index.html
    """
    from ..publish.build import build_site_only

    with progress_on_terminal() as say:
        run_guarded(lambda: finish_interrupted_write(path), debug)
        result = run_guarded(lambda: build_site_only(path, out, progress=say, chart_images=chart_images), debug)
    typer.echo(f"built {result.folder / 'index.html'} ({result.pages:,} pages, {result.bytes / 1e6:,.1f} MB)")
