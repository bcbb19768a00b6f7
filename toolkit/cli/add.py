"""`claims add`: a claimant or a metric, checked by the package's rules before it is written."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .common import WAIT, flag, run_guarded, to_stderr


class Table(StrEnum):
    claimants = "claimants"
    metrics = "metrics"


def add(
    table: Annotated[Table, typer.Argument(help="The table: claimants or metrics.")],
    values: Annotated[list[str], typer.Argument(help='FIELD=VALUE for each cell, e.g. name="General Staff".')],
    wait: Annotated[float, WAIT] = 0.0,
    package: Annotated[Path, typer.Option("--package", "-p", help="Package folder.")] = Path("."),
    debug: Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Append a claimant or a metric; refused, with every problem, when the row breaks a rule.

    Example: claims add claimants claimant_id=ua_general_staff name="General Staff" kind=military country=UA
    """
    from ..contribute.add_row import add_row, parse_assignments

    added = run_guarded(
        lambda: add_row(package, table.value, parse_assignments(values), wait=wait, notify=to_stderr), debug
    )
    key = next(iter(added.values.values()))
    typer.echo(f"added {key} to {added.file} (row {added.row})")
