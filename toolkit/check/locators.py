"""Provenance of figures taken from datasets: each locator names a value in its source's archived
data file, and that value is the row's, as a quote must stand in its source's text.

Every archived data file is read once and flattened to (pointer, value) pairs; the rows' locators
are then looked up all at once with pyarrow's hash kernel, so the cost follows the size of the
archives and the number of rows, with no Python work per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import arrow_strings, isin
from ..core.json_pointer import leaves
from ..core.json_reader import JSONUnreadable, read_json
from ..problems.report import Report
from ..read.model import LoadedPackage, Table
from .failing_rows import cell_text, report_rows, table_has
from .provenance import PROVENANCE
from .registry import Context

SEPARATOR = "\x1f"  # between a source ID and a pointer in one lookup key: never in either


class _Archive:
    """Every value of every archived data file a locator points into, keyed by source and pointer."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.values: list[float] = []  # NaN where the value is not a number
        self.shown: list[str] = []  # the value as the file writes it, for messages
        self.unreadable: set[str] = set()

    def add(self, source_id: str, document: object) -> None:
        for at, value in leaves(document):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            self.keys.append(f"{source_id}{SEPARATOR}{at}")
            self.values.append(float(value) if number else float("nan"))
            self.shown.append(repr(value) if not isinstance(value, str) else f"{value!r} (text)")


def _read_archives(ctx: Context, report: Report, wanted: set[str]) -> _Archive:
    archive = _Archive()
    for source_id, path in sorted(ctx.package.seeds.data.items()):
        if source_id not in wanted:
            continue
        try:
            archive.add(source_id, read_json(path))
        except JSONUnreadable as exc:
            archive.unreadable.add(source_id)
            _report_unreadable(ctx.package, report, source_id, str(exc))
    return archive


def _report_unreadable(package: LoadedPackage, report: Report, source_id: str, why: str) -> None:
    sources = package.tables["sources"]
    report_rows(
        report,
        "seed-unreadable",
        sources,
        (sources.frame["source_id"] == source_id).fillna(False).to_numpy(),
        "data_path",
        lambda r: f"The data file of {r.source_id} ({r.data_path}) cannot be read as JSON: {why}.",
        value_column="data_path",
    )


@PROVENANCE.check("locator-not-found", "locator-value-mismatch", "seed-unreadable")
def check_locators(ctx: Context, report: Report) -> None:
    tables = [t for t in ctx.package.tables.values() if table_has(t, "source_id", "locator", "value")]
    wanted = set()
    for table in tables:
        wanted |= set(table.frame.loc[table.frame["locator"].notna(), "source_id"].dropna().astype(str))
    if not wanted:
        return
    archive = _read_archives(ctx, report, wanted)
    known = pa.array(archive.keys, pa.large_string())
    for table in tables:
        _check_table(ctx, report, table, archive, known)


def _check_table(ctx: Context, report: Report, table: Table, archive: _Archive, known: pa.Array) -> None:
    f = table.frame
    located = (f["locator"].notna() & f["source_id"].notna()).to_numpy()
    readable = ~isin(f["source_id"], pd.Series(sorted(archive.unreadable), dtype=object)).to_numpy()
    dataset = isin(f["source_id"], pd.Series(sorted(ctx.package.seeds.data), dtype=object)).to_numpy()
    parts = [pc.cast(arrow_strings(f[c]), pa.large_string()) for c in ("source_id", "locator")]
    keys = pc.binary_join_element_wise(*parts, pa.scalar(SEPARATOR, pa.large_string()))
    at = np.asarray(pc.fill_null(pc.index_in(keys, value_set=known), -1).to_numpy(zero_copy_only=False))
    report_rows(
        report,
        "locator-not-found",
        table,
        located & readable & (at < 0) & (dataset | _is_source(ctx, f["source_id"])),
        "locator",
        lambda r: _not_found(ctx, r),
        value_column="locator",
        involved=("locator", "source_id"),
    )
    found = located & (at >= 0)
    if not found.any():
        return
    where = np.where(found, at, 0)
    held = np.where(found, np.asarray(archive.values, dtype="float64")[where], np.nan)
    differs = found & ~(held == f["value"].astype("float64").to_numpy())  # NaN (empty, or not a number) differs
    shown = np.where(differs, np.asarray(archive.shown, dtype=object)[where], "")
    report_rows(
        report,
        "locator-value-mismatch",
        table,
        differs,
        "value",
        lambda r: (
            f"The data file of {r.source_id} holds {r.held} at {r.locator}; the row has value {cell_text(r.value)}."
        ),
        value_column="value",
        involved=("value", "locator", "source_id"),
        extra={"held": pd.Series(shown, index=f.index)},
    )


def _is_source(ctx: Context, sources: pd.Series) -> np.ndarray:
    """Rows whose source_id names a source (an unknown one is the foreign key's to report)."""
    table = ctx.package.tables.get("sources")
    if table is None or "source_id" not in table.frame.columns:
        return np.zeros(len(sources), dtype=bool)
    return isin(sources, table.frame["source_id"]).to_numpy()


def _not_found(ctx: Context, row: pd.Series) -> str:
    if row.source_id not in ctx.package.seeds.data:
        return (
            f"{row.source_id} has no archived data file (it is a document, or its data file is missing), so the "
            f"locator {row.locator} points nowhere."
        )
    return f"The data file of {row.source_id} holds nothing at {row.locator}."
