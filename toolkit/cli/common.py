"""What every command shares: turning toolkit errors into exit code 2 without a traceback."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer

from ..errors import ToolkitError
from ..problems.refusal import Refusal

T = TypeVar("T")

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class ReportFormat(StrEnum):
    """How validate and check print a report: for people, scripts, pull requests, Actions logs."""

    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


CHART_IMAGES_HELP = (
    "Write each metric chart as an SVG image beside its page (needs the charts extra: "
    "pip install 'war-claims[charts]')."
)


WAIT = typer.Option(
    "--wait",
    metavar="SECONDS",
    help="When another claims command is writing the package, wait up to this long for it (default: refuse).",
)


def to_stderr(message: str) -> None:
    """What a library call tells as it goes (a wait for the lock, an interrupted write finished)."""
    typer.echo(message, err=True)


def finish_interrupted_write(path: Path) -> None:
    """Before a command reads the package: finish or undo a write a killed process left (and say
    which), so that what is read is one whole state. Nothing when path is no package folder."""
    from ..core.package_lock import finish_interrupted
    from ..core.paths import find_descriptor

    try:
        root = find_descriptor(path).parent
    except ToolkitError:
        return  # the command itself says what is wrong with the path
    finish_interrupted(root, to_stderr)


def flag(*names: str, help: str) -> Any:
    """A boolean option shown as a flag (`--strict`), not as `--strict <bool>`: with the metavar
    typer prints, `--strict yes` looks right and then reads `yes` as the next argument."""
    return typer.Option(*names, help=help, metavar=" ")


def run_guarded(
    action: Callable[[], T],
    debug: bool,
    *,
    command: str = "",
    format: str = "text",
    comment: Path | None = None,
) -> T:
    """Run action; a ToolkitError, an OSError or an unexpected failure ends the command with exit code 2
    (or the exit code the error carries), told on stderr and, for a command with --format, in that
    format on stdout; with --comment, also as the Markdown a pull request shows.

    An OSError names the file and the system's reason (permission, missing folder, full disk):
    the user can fix that, so it is not presented as a bug in claims.
    """
    from .allocator import prefer_jemalloc  # here, not at start-up: --help imports no data library

    prefer_jemalloc()
    try:
        return action()
    except ToolkitError as exc:  # an error may say it is about data (exit 1): a refused import, say
        refusal = (str(exc), getattr(exc, "exit_code", EXIT_USAGE), False)
    except (KeyboardInterrupt, typer.Exit):
        raise
    except OSError as exc:  # the machine, not the data or the code: a full disk, a read-only folder
        if debug:
            traceback.print_exc(file=sys.stderr)
        where = f" {exc.filename}" if exc.filename else ""
        refusal = (f"cannot use{where}: {exc.strerror or exc}", EXIT_USAGE, False)
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc(file=sys.stderr)
        message = f"{type(exc).__name__}: {exc} (this is a bug in claims; re-run with --debug and report it)"
        refusal = (message, EXIT_USAGE, True)
    _refuse(Refusal(command=command, message=refusal[0], exit_code=refusal[1], internal=refusal[2]), format, comment)


def _refuse(refusal: Refusal, format: str, comment: Path | None) -> NoReturn:
    from ..problems.refusal import RENDERERS, render_markdown

    typer.echo(refusal.line, err=True)
    if format in RENDERERS:
        typer.echo(RENDERERS[format](refusal), nl=False)
    if comment is not None:  # best effort: the refusal on stderr stands even if this cannot be written
        from ..core.files import atomic_write

        try:
            atomic_write(comment, render_markdown(refusal).encode("utf-8"))
        except OSError as exc:
            typer.echo(f"error: cannot write {comment}: {exc.strerror or exc}", err=True)
    raise typer.Exit(refusal.exit_code)


@contextmanager
def progress_on_terminal() -> Iterator[Callable[[str], None]]:
    """A callback that shows the current step on stderr when it is a terminal; silent in pipes and CI."""
    if not sys.stderr.isatty():
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda step: bar.update(task, description=step)
