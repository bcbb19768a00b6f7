"""add_row(root, table, values) -> the new row: a claimant or a metric, checked before it is written.

The row is checked by the same rules as everything else: it is appended to a copy of the package,
the copy is validated, and only if the new row has no error is it appended to the real table
(atomically). So a typo in an enum or a reused ID never reaches data/. Claims come from
`claims extract`, sources from `claims add-source`: both need a document, not just cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.files import append_rows, appended
from ..core.package_lock import Notify, package_lock
from ..core.paths import find_descriptor
from ..core.transaction import commit_files
from ..errors import UsageError
from ..problems.report import Problem
from ..read.policy import read_folder
from ..read.scratch import scratch_copy

ADDABLE = ("claimants", "metrics")


@dataclass(frozen=True)
class AddedRow:
    table: str
    file: str
    row: int
    values: dict[str, str]


class RowRefused(UsageError):
    """The row breaks the package's rules; the problems say which and how to fix them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = [f"{p.column or 'row'}: {p.code}: {p.message} Fix: {p.hint}" for p in problems]
        super().__init__("the row was not added:\n  " + "\n  ".join(lines))


def parse_assignments(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f'{item!r} is not FIELD=VALUE (e.g. name="Ministry of Defence")')
        if name in values:
            raise UsageError(f"{name} is given twice")
        values[name] = value
    return values


def add_row(
    root: Path, table: str, values: dict[str, str], *, wait: float = 0.0, notify: Notify | None = None
) -> AddedRow:
    """Append one row to a claimants or metrics table; nothing is written when it breaks a rule."""
    if table not in ADDABLE:
        how = {"claims": "claims extract SXXXX --append", "sources": "claims add-source FILE --title ..."}
        raise UsageError(
            f"rows of {table!r} are added with `{how.get(table, 'an editor')}`; claims add takes {' or '.join(ADDABLE)}"
        )
    root = find_descriptor(Path(root)).parent
    with package_lock(root, command=f"add {table}", wait=wait, notify=notify):
        return _add_row(root, table, values)


def _add_row(root: Path, table: str, values: dict[str, str]) -> AddedRow:
    package = read_folder(root)
    if table not in package.tables:
        raise UsageError(f"the package has no {table!r} table")
    current = package.tables[table]
    names = current.schema.names
    unknown = [n for n in values if n not in names]
    if unknown:
        raise UsageError(f"{table} has no field {', '.join(map(repr, unknown))}; its fields: {', '.join(names)}")
    missing = [f.name for f in current.schema.fields if f.required and not values.get(f.name)]
    if missing:
        raise UsageError(f"{', '.join(missing)} required: give {' '.join(f'{n}=...' for n in missing)}")
    row = [values.get(n, "") for n in names]
    new_row = int(current.rows[-1]) + 1 if len(current.rows) else 2
    with scratch_copy(package) as copy:
        append_rows(copy / current.file, [row])
        from ..check.validate import validate_package

        report = validate_package(copy)
    problems = [p for p in report.problems if p.file == current.file and p.row == new_row and p.severity == "error"]
    if problems:
        raise RowRefused(problems)
    commit_files(package.root, {current.file: appended(package.root / current.file, [row])})
    return AddedRow(table, current.file, new_row, dict(zip(names, row, strict=True)))
