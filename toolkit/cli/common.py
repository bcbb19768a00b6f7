"""What every command shares: turning toolkit errors into exit code 2 without a traceback."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

import typer

from ..errors import ToolkitError

T = TypeVar("T")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def run_guarded(action: Callable[[], T], debug: bool) -> T:
    """Run action; a ToolkitError or an unexpected failure ends the command with exit code 2."""
    try:
        return action()
    except ToolkitError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc(file=sys.stderr)
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (this is a bug in claims; re-run with --debug and report it)",
            err=True,
        )
        raise typer.Exit(EXIT_USAGE) from None
