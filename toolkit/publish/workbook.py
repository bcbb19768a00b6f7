"""The workbook download: which sheets a spreadsheet user gets, and what the about sheet says.

Sheets: `about` (title, version, release date, licence, how to cite, where the dictionary is,
what was left out), `claims_flat` (every claim with its source and claimant, the sheet most
readers want), then sources, claimants and metrics, then every other table of the package
(series_corrections, series_revisions), then `data_dictionary`. A table longer than
a sheet can hold is left out of the workbook, said on the about sheet and returned to the
caller: the CSV, the zip and the SQLite file still carry it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..read.model import LoadedPackage
from .xlsx import MAX_CELL, MAX_ROWS, Sheet, sheet_name, write_workbook

SMALL_TABLES = ("sources", "claimants", "metrics")


@dataclass
class WorkbookResult:
    left_out: list[tuple[str, int]] = field(default_factory=list)  # (sheet, rows)
    cut_cells: int = 0


def _arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def _text_table(rows: list[list[str]], names: list[str]) -> pa.Table:
    return pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})


def _long_cells(table: pa.Table) -> int:
    """Text cells longer than Excel keeps in a cell."""
    total = 0
    for col in table.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            total += int(pc.sum(pc.greater(pc.utf8_length(col), MAX_CELL)).as_py() or 0)
    return total


def _about(
    package: LoadedPackage, version: str, left_out: list[tuple[str, int]], downloads: str, long_cells: int
) -> Sheet:
    d = package.descriptor
    licence = next((x for x in d.get("licenses", []) if isinstance(x, dict)), {})
    rows = [
        ["title", str(d.get("title", ""))],
        ["version", version],
        ["released", str(d.get("created", ""))[:10]],
        ["licence", f"{licence.get('name', '')} ({licence.get('path', '')}): {licence.get('title', '')}".strip()],
        ["how to cite", f"war-claims (v{version}); cite a figure by its claim ID, e.g. war-claims C0001 (v{version})"],
        ["data dictionary", "the data_dictionary sheet, and docs/data-dictionary.md in the release zip"],
        ["empty cells", "unknown, never zero"],
        ["description", str(d.get("description", ""))],
    ]
    for name, n in left_out:
        rows.append(
            ["left out", f"{name}: {n:,} rows, more than a sheet holds ({MAX_ROWS - 1:,}); it is in {downloads}"]
        )
    if long_cells:
        rows.append(
            [
                "cut cells",
                f"{long_cells} cell(s) longer than {MAX_CELL:,} characters, Excel's limit, end "
                f"there; {downloads} carry them whole",
            ]
        )
    return Sheet("about", _text_table(rows, ["about", "value"]), header=False, wrap=True, widths=[18, 100])


def _dictionary(package: LoadedPackage) -> Sheet:
    rows = []
    for name, schema in package.schemas.items():
        for f in schema.descriptor["fields"]:
            rows.append(
                [
                    name,
                    str(f["name"]),
                    str(f.get("type", "string")),
                    json.dumps(f.get("constraints", {}), ensure_ascii=False),
                    str(f.get("description", "")),
                ]
            )
    table = _text_table(rows, ["table", "column", "type", "constraints", "description"])
    return Sheet("data_dictionary", table, wrap=True, widths=[12, 22, 10, 40, 90])


def write_claims_workbook(
    package: LoadedPackage, flat: pd.DataFrame, version: str, path: Path, downloads: str
) -> WorkbookResult:
    """Write the workbook; downloads names the files that carry a table left out here."""
    result = WorkbookResult()
    taken = {"about", "data_dictionary"}
    data: list[Sheet] = []
    # every data table of the package: the flat claims, the small tables first, then the rest in the
    # descriptor's order (series_corrections, series_revisions...)
    others = [n for n in package.tables if n not in (*SMALL_TABLES, "claims")]
    names = [n for n in SMALL_TABLES if n in package.tables] + others
    candidates = [("claims_flat", flat)] + [(n, package.tables[n].frame) for n in names]
    long_cells = 0
    for name, frame in candidates:
        if len(frame) + 1 > MAX_ROWS:
            result.left_out.append((name, len(frame)))
            continue
        table = _arrow(frame)
        long_cells += _long_cells(table)
        data.append(Sheet(sheet_name(name, taken), table))
    about = _about(package, version, result.left_out, downloads, long_cells)
    sheets = [about, *data, _dictionary(package)]
    result.cut_cells = write_workbook(path, sheets, str(package.descriptor.get("title", "war-claims")))
    return result
