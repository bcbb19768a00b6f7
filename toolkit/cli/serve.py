"""`claims serve`: look at a built release's site in a browser, its download links working."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import flag, run_guarded


def serve(
    path: Annotated[Path, typer.Argument(help="Package folder.")] = Path("."),
    out: Annotated[Path | None, typer.Option("--out", help="The folder builds are in (default: dist/).")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="The release to serve (default: the version declared).")
    ] = None,
    port: Annotated[int, typer.Option("--port", help="The port on this machine (0: any free one).")] = 8000,
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Serve dist/<version>/ on this machine and print the site's address; Ctrl-C stops it.

    The version folder is served, not site/ alone: the site links the downloads built beside it,
    as the published site does. Nothing is written.

    Example: claims build && claims serve   (then open http://127.0.0.1:8000/site/index.html)
    """
    from ..publish.serve import release_folder, site_address, site_server

    folder = run_guarded(lambda: release_folder(path, out, version), debug)
    server = run_guarded(lambda: site_server(folder, port), debug)
    typer.echo(f"serving {folder} at {site_address(server)} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped")
    finally:
        server.server_close()
