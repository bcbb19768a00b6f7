"""The `claims` command: one thin module per subcommand over the library API."""

from __future__ import annotations

from typing import Annotated

import typer

from . import add as _add
from . import check as _check
from . import contribute as _contribute
from . import dictionary as _dictionary
from . import diff as _diff
from . import fix as _fix
from . import release as _release
from . import series as _series
from . import serve as _serve
from . import update as _update
from . import validate as _validate
from . import website as _website

app = typer.Typer(
    name="claims",
    help="Validate, diff and release the war-claims data package.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: the rich renderer imports markdown and pygments (60 ms) on every --help
)
app.command("validate")(_validate.validate)
app.command("check")(_check.check)
app.command("diff")(_diff.diff)
app.command("fix")(_fix.fix)
app.command("dictionary")(_dictionary.dictionary)
app.command("release")(_release.release)
app.command("build")(_release.build)
app.command("site")(_website.site)
app.command("serve")(_serve.serve)
app.command("add-source")(_contribute.add_source)
app.command("add")(_add.add)
app.command("extract")(_contribute.extract)
app.command("import")(_series.import_series)
app.command("update")(_update.update)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("war-claims")
        except PackageNotFoundError:  # run from a checkout that was not installed
            from .. import __version__ as number
        typer.echo(f"claims (war-claims toolkit) {number}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", callback=_version, is_eager=True, metavar=" "),
    ] = False,
) -> None:
    """Validate, diff and release the war-claims data package."""


def main() -> None:
    app()
