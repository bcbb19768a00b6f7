"""war-claims-X.Y.Z-claims.parquet: the flat claims table for pandas, polars, DuckDB and R users.

Parquet keeps the types a CSV loses: dates are dates (date32), numbers are doubles as the Table
Schema's `number` says, text is text, an empty cell is null rather than "". Each column carries
its schema description as field metadata, so `pq.read_schema(...)` documents itself. The file
sits beside the zip, not in its descriptor: the package's published contract is its CSV
resources (what `claims validate` and every other download are made from), and the same rows
listed twice would be two resources to keep in step. Written with fixed options and without
pandas' index metadata, so the same commit gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..read.model import LoadedPackage


def _descriptions(package: LoadedPackage) -> dict[str, str]:
    """Each column's description from its schema, under the column's flat name (a source's title
    is source_title, a claimant's name claimant_name)."""
    out: dict[str, str] = {}
    for name, prefix in (("claims", ""), ("sources", "source_"), ("claimants", "claimant_")):
        table = package.tables.get(name)
        for field in table.schema.descriptor.get("fields", []) if table is not None else []:
            if isinstance(field, dict) and isinstance(field.get("description"), str):
                column = str(field.get("name"))
                out.setdefault(column if column.endswith("_id") else prefix + column, field["description"])
    return out


def write_claims_parquet(package: LoadedPackage, flat: pd.DataFrame, path: Path) -> None:
    """flat is read/flat.flat_claims (with its lineage columns)."""
    table = pa.Table.from_pandas(flat, preserve_index=False)
    about = _descriptions(package)
    columns, fields = [], []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_timestamp(col.type):
            col = pc.cast(col, pa.date32())
        elif pa.types.is_null(col.type) or pa.types.is_large_string(col.type) or pa.types.is_string_view(col.type):
            col = pc.cast(col, pa.string())  # text, also where every cell is empty (no release history)
        columns.append(col)
        fields.append(pa.field(name, col.type, metadata={"description": about[name]} if name in about else None))
    typed = pa.Table.from_arrays(columns, schema=pa.schema(fields))
    pq.write_table(typed, path, compression="zstd", use_dictionary=True, write_statistics=True)
