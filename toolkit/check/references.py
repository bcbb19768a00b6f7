"""References between tables: every foreign key the schemas declare resolves, and names a
resource and fields that exist."""

from __future__ import annotations

import difflib

import pandas as pd

from ..core.arrow import isin
from ..problems.report import DESCRIPTOR, Report
from ..read.model import LoadedPackage, Table
from .failing_rows import report_rows, table_has
from .registry import Context, layer

REFERENCES = layer("references", order=30)


@REFERENCES.check("foreign-key", "foreign-key-invalid")
def check_foreign_keys(ctx: Context, report: Report) -> None:
    """Every foreign key the schemas declare, whatever the table."""
    package = ctx.package
    for table in package.tables.values():
        for fk in table.schema.foreign_keys:
            target_name = fk["resource"] or table.name
            if not _reference_declared(report, package, table, fk, target_name):
                continue
            target = package.tables.get(target_name)
            if target is None or not table_has(table, *fk["fields"]) or not table_has(target, *fk["reference_fields"]):
                continue
            local = table.frame[fk["fields"]]
            ref = target.frame[fk["reference_fields"]].dropna()
            present = local.notna().all(axis=1)
            if len(fk["fields"]) == 1:
                found = isin(local.iloc[:, 0], ref.iloc[:, 0])
            else:
                keys = pd.MultiIndex.from_frame(local.astype("string"))
                found = pd.Series(keys.isin(pd.MultiIndex.from_frame(ref.astype("string"))), index=local.index)
            column = fk["fields"][0]
            known = ref.iloc[:, 0].astype(str).tolist() if len(fk["fields"]) == 1 and len(ref) <= 10_000 else []
            report_rows(
                report,
                "foreign-key",
                table,
                present & ~found,
                column,
                lambda r, fk=fk, tn=target_name: (
                    f"{', '.join(str(r[c]) for c in fk['fields'])} is not a {'/'.join(fk['reference_fields'])} in {tn}."
                ),
                value_column=column,
                hint=lambda r, known=known, column=column, tn=target_name: _did_you_mean(str(r[column]), known, tn),
            )


def _reference_declared(report: Report, package: LoadedPackage, table: Table, fk: dict, target_name: str) -> bool:
    """The resource and fields a foreign key points at exist; otherwise the check could not run.

    Skipping such a key would switch the check off without a word (any ID would pass), so a
    reference to nothing is an error of its own.
    """
    declared = {str(r.get("name")) for r in package.descriptor["resources"] if isinstance(r, dict)}
    target = package.schemas.get(target_name)
    if target is None and target_name in declared:
        return False  # declared but unreadable: reported where it was read
    if target is None:
        known = ", ".join(sorted(declared)) or "none"
        report.add(
            "foreign-key-invalid",
            DESCRIPTOR,
            f"The schema of {table.name!r} has a foreign key to the resource {target_name!r}, which the package "
            f"does not declare (its resources: {known}).",
            value=target_name,
            hint="Name an existing resource in the foreign key's reference, or declare the resource.",
        )
        return False
    missing = [name for name in fk["reference_fields"] if name not in target.names]
    if missing:
        report.add(
            "foreign-key-invalid",
            DESCRIPTOR,
            f"The schema of {table.name!r} has a foreign key to {target_name}.{', '.join(missing)}, which is not "
            f"a field of {target_name!r} (its fields: {', '.join(target.names)}).",
            value=", ".join(missing),
            hint="Name existing fields in the foreign key's reference.",
        )
        return False
    return True


def _did_you_mean(value: str, known: list[str], target: str) -> str:
    """The usual fix for a foreign key typo: the nearest existing ID, when there is one."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
    if close:
        return f"Did you mean {close[0]!r}? Otherwise add {value!r} to {target} first."
    return f"Add {value!r} to {target} first, or correct the ID."
