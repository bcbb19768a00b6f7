"""CSV that a spreadsheet opens safely: RFC 4180 with LF, UTF-8 with a BOM so Excel reads the
letters right, dates as YYYY-MM-DD, numbers as written, and no text cell a spreadsheet would run
as a formula (OWASP CSV injection: a cell starting with = + - @ tab or carriage return gets an
apostrophe in front). Used by every CSV a release publishes; data/ itself keeps the document's words.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .arrow import number_text

FORMULA_START = "=+\\-@\t\r"  # a regex character class body: the signs that start a formula
BOM = b"\xef\xbb\xbf"


def neutralise(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    risky = pc.match_substring_regex(col, f"^[{FORMULA_START}]")
    quote, empty = pa.scalar("'", col.type), pa.scalar("", col.type)
    return pc.if_else(pc.fill_null(risky, False), pc.binary_join_element_wise(quote, col, empty), col)


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """The frame as spreadsheet-safe CSV bytes (see the module's docstring)."""
    return table_csv(spreadsheet_table(frame))


def spreadsheet_table(frame: pd.DataFrame) -> pa.Table:
    """The frame's cells as the CSV writes them (dates, numbers as written, formulas defused).
    Built once for many files: a slice of it (zero-copy) is the CSV of those rows."""
    # one thread: for the small tables most files are, starting threads costs more than converting
    return safe_table(pa.Table.from_pandas(frame, preserve_index=False, nthreads=1))


def safe_table(table: pa.Table) -> pa.Table:
    """An arrow table's cells as the CSV writes them (spreadsheet_table, for a caller that has its
    columns in arrow already and need not pass through pandas)."""
    columns = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type):
            col = pc.strftime(col, format="%Y-%m-%d")
        elif pa.types.is_floating(col.type):
            col = number_text(col)
        elif pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = neutralise(col)
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def table_csv(table: pa.Table, bom: bool = True) -> bytes:
    """A table of spreadsheet_table (or a slice of one) as the CSV file's bytes. bom=False for a
    file read by programs through its Table Schema: a BOM before a quoted header stops the
    JavaScript Data Package libraries, and programs need no hint of the encoding."""
    out = io.BytesIO()
    if bom:
        out.write(BOM)
    pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="needed"))
    return out.getvalue()
