"""Provenance of figures taken from datasets: each locator names a value in its source's archived
data file, and that value is the row's, as a quote must stand in its source's text.

Every archived data file a locator points into is parsed once. A locator of the common form
/<record>/<field> (a field of a record of an array: every locator claims import writes) is
resolved a field at a time: the field's column is read off the records once, and every row that
points into it takes its value with one numpy take. Any other pointer is resolved on its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import arrow_strings, isin
from ..core.data_file import is_csv, read_data_file
from ..core.json_pointer import resolve
from ..core.json_reader import JSONUnreadable
from ..problems.report import Report
from ..read.model import LoadedPackage, Table
from .failing_rows import cell_text, report_rows, table_has
from .provenance import PROVENANCE
from .registry import Context

SIMPLE = r"^/(?P<record>0|[1-9][0-9]{0,9})/(?P<field>[^/]*)$"
KEYED = r"^/(?P<key>[^/=]+)=(?P<text>[^/]*)/(?P<field>[^/]*)$"  # /date=2026-08-22/personnel
_MISSING = object()


def _read_archives(ctx: Context, report: Report, wanted: set[str]) -> tuple[dict[str, Any], set[str]]:
    """The parsed data file of each source a locator points into, and the sources whose file is unreadable."""
    documents, unreadable = {}, set()
    for source_id, path in sorted(ctx.package.seeds.data.items()):
        if source_id not in wanted:
            continue
        try:
            documents[source_id] = read_data_file(path)
        except JSONUnreadable as exc:
            unreadable.add(source_id)
            _report_unreadable(ctx.package, report, source_id, str(exc))
    return documents, unreadable


def _report_unreadable(package: LoadedPackage, report: Report, source_id: str, why: str) -> None:
    sources = package.tables["sources"]
    report_rows(
        report,
        "seed-unreadable",
        sources,
        (sources.frame["source_id"] == source_id).fillna(False).to_numpy(),
        "data_path",
        lambda r: f"The data file of {r.source_id} ({r.data_path}) cannot be read as {_format(r.data_path)}: {why}.",
        value_column="data_path",
    )


def _format(path: str) -> str:
    return "CSV" if is_csv(path) else "JSON"


@PROVENANCE.check("locator-not-found", "locator-value-mismatch", "seed-unreadable")
def check_locators(ctx: Context, report: Report) -> None:
    tables = [t for t in ctx.package.tables.values() if table_has(t, "source_id", "locator", "value")]
    wanted = set()
    for table in tables:
        wanted |= set(table.frame.loc[table.frame["locator"].notna(), "source_id"].dropna().astype(str))
    if not wanted:
        return
    documents, unreadable = _read_archives(ctx, report, wanted)
    for table in tables:
        _check_table(ctx, report, table, documents, unreadable)


class _Held:
    """What each row's locator finds: whether it names a value, the value as a number (NaN when it
    is not one) and as the file writes it."""

    def __init__(self, rows: int) -> None:
        self.found = np.zeros(rows, dtype=bool)
        self.number = np.full(rows, np.nan)
        self.shown = np.full(rows, "", dtype=object)

    def take(self, at: np.ndarray, column: list[Any], picks: np.ndarray) -> None:
        """The rows at take the values at picks of column (a pick past its end names nothing).

        The column is described once (a value per record of the file); the rows only index it."""
        present = np.array([v is not _MISSING for v in column] + [False], dtype=bool)
        number = np.array([_number(v) for v in column] + [np.nan], dtype="float64")
        shown = np.array([_shown(v) for v in column] + [""], dtype=object)
        picks = np.where((picks >= 0) & (picks < len(column)), picks, len(column))
        self.found[at], self.number[at], self.shown[at] = present[picks], number[picks], shown[picks]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else np.nan


def _shown(value: Any) -> str:
    return "" if value is _MISSING else f"{value!r} (text)" if isinstance(value, str) else repr(value)


def _resolve(documents: dict[str, Any], frame: pd.DataFrame, rows: np.ndarray) -> _Held:
    """Each row's locator resolved in its source's document (rows: the rows to resolve)."""
    held = _Held(len(frame))
    parts = pc.extract_regex(arrow_strings(frame["locator"]), SIMPLE)
    simple = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
    # copies: arrow's arrays are read-only, and _keyed fills in the rows a key names
    record = pc.fill_null(pc.cast(pc.struct_field(parts, "record"), pa.int64()), -1).to_numpy(zero_copy_only=False)
    record = record.copy()
    field = pc.struct_field(parts, "field")
    field = pc.replace_substring(pc.replace_substring(field, "~1", "/"), "~0", "~").to_numpy(zero_copy_only=False)
    field, simple = field.copy(), simple.copy()
    _keyed(documents, frame, rows, simple, record, field)
    chosen = pd.DataFrame({"source": frame["source_id"].to_numpy()[rows], "field": field[rows]}, index=rows)
    for (source, name), group in chosen[simple[rows]].groupby(["source", "field"], sort=False):
        document, at = documents[source], group.index.to_numpy()
        if isinstance(document, list):
            column = [r.get(name, _MISSING) if isinstance(r, dict) else _MISSING for r in document]
            held.take(at, column, record[at])
        else:
            held.take(at, [_lookup(document, frame["locator"].iat[i]) for i in at], np.arange(len(at)))
    odd = rows[~simple[rows]]  # any other pointer, resolved on its own
    for i in odd:
        held.take(
            np.array([i]), [_lookup(documents[frame["source_id"].iat[i]], frame["locator"].iat[i])], np.zeros(1, int)
        )
    return held


def _keyed(
    documents: dict[str, Any],
    frame: pd.DataFrame,
    rows: np.ndarray,
    simple: np.ndarray,
    record: np.ndarray,
    field: np.ndarray,
) -> None:
    """Locators of the form /<key>=<text>/<field> (a record named by its date: json_pointer.resolve)
    made simple in place: each record's position looked up in an index of the file made once per
    key, so a series of thousands of days is not scanned a day at a time. A key that names no
    record, or several, stays -1 (names nothing)."""
    parts = pc.extract_regex(arrow_strings(frame["locator"]), KEYED)
    keyed = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
    if not keyed[rows].any():
        return
    key = pc.struct_field(parts, "key").to_numpy(zero_copy_only=False)
    text = pc.struct_field(parts, "text").to_numpy(zero_copy_only=False)
    name = pc.struct_field(parts, "field")
    name = pc.replace_substring(pc.replace_substring(name, "~1", "/"), "~0", "~").to_numpy(zero_copy_only=False)
    at = rows[keyed[rows]]
    wanted = pd.DataFrame({"source": frame["source_id"].to_numpy()[at], "key": key[at], "text": text[at]}, index=at)
    for (source, k), group in wanted.groupby(["source", "key"], sort=False):
        positions = _positions(documents[source], k)
        record[group.index.to_numpy()] = group["text"].map(positions).fillna(-1).astype("int64").to_numpy()
    field[at] = name[at]
    simple[at] = True


def _positions(document: Any, key: str) -> dict[Any, int]:
    """The position of each record of a list by its key's value; a value twice names nothing (-1)."""
    positions: dict[Any, int] = {}
    for n, r in enumerate(document if isinstance(document, list) else []):
        value = r.get(key) if isinstance(r, dict) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            positions[value] = -1 if value in positions else n
    return positions


def _lookup(document: Any, at: str) -> Any:
    try:
        return resolve(document, at)
    except (KeyError, ValueError):
        return _MISSING


def _check_table(ctx: Context, report: Report, table: Table, documents: dict[str, Any], unreadable: set[str]) -> None:
    f = table.frame
    located = (f["locator"].notna() & f["source_id"].notna()).to_numpy()
    parsed = isin(f["source_id"], pd.Series(sorted(documents), dtype=object)).to_numpy()
    held = _resolve(documents, f, np.flatnonzero(located & parsed))
    readable = ~isin(f["source_id"], pd.Series(sorted(unreadable), dtype=object)).to_numpy()
    dataset = isin(f["source_id"], pd.Series(sorted(ctx.package.seeds.data), dtype=object)).to_numpy()
    report_rows(
        report,
        "locator-not-found",
        table,
        located & readable & ~held.found & (dataset | _is_source(ctx, f["source_id"])),
        "locator",
        lambda r: _not_found(ctx, r),
        value_column="locator",
        involved=("locator", "source_id"),
    )
    # the figure a locator names is the row's value or, for a range (value empty), its lower bound
    stated = f["value"].astype("float64").to_numpy()
    if "value_low" in f.columns:
        stated = np.where(np.isnan(stated), f["value_low"].astype("float64").to_numpy(), stated)
    differs = held.found & ~(held.number == stated)  # NaN (not a number) differs
    report_rows(
        report,
        "locator-value-mismatch",
        table,
        differs,
        "value",
        lambda r: (
            f"The data file of {r.source_id} holds {r.held} at {r.locator}; the row has value {cell_text(r.value)}"
            + _low_said(r)
            + "."
        ),
        value_column="value",
        involved=("value", "locator", "source_id"),
        extra={"held": pd.Series(held.shown, index=f.index)},
    )


def _low_said(row: pd.Series) -> str:
    """A range's lower bound, which its locator names when value is empty."""
    if "value_low" in row.index and cell_text(row.value) == "empty":
        return f" (value_low {cell_text(row.value_low)})"
    return ""


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
