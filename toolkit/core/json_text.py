"""JSON literals of whole columns, for the site's files of many rows (a series' figures, a
chart's days): the text of each cell is made in arrow kernels and spliced into a document that
json.dumps writes around them. The literals are what json.dumps would write for the same value,
up to the spelling of numbers (50000, as the data files write it, not 50000.0).
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .arrow import arrow_strings, number_text

_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def json_literals(col: pd.Series) -> pa.Array:
    """Each cell of a typed column as its JSON literal, computed column-wise in arrow (for files of
    a million figures that would otherwise pass through json.dumps a cell at a time): numbers as
    written, dates as "YYYY-MM-DD", text quoted and escaped, null where empty. Text with another
    control character (the hygiene check refuses them in data/) is encoded one by one."""
    if pd.api.types.is_numeric_dtype(col):
        text = number_text(pa.array(col.astype("float64"), from_pandas=True))
        return pc.fill_null(text, "null")
    if pd.api.types.is_datetime64_any_dtype(col):
        col = col.dt.strftime("%Y-%m-%d")
    if hasattr(col.array, "__arrow_array__"):  # the package's text columns: no Python objects
        arr = arrow_strings(col).cast(pa.string())
    else:
        arr = pa.array(col.astype(object).where(col.notna(), None), type=pa.string(), from_pandas=True)
    odd = pc.match_substring_regex(arr, r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    quoted = arr
    for old, new in _ESCAPES:
        quoted = pc.replace_substring(quoted, old, new)
    quoted = pc.binary_join_element_wise('"', quoted, '"', "")
    if pc.any(pc.fill_null(odd, False)).as_py():  # never in a valid package; still right
        exact = [None if v is None else json.dumps(v, ensure_ascii=False) for v in arr.to_pylist()]
        quoted = pc.if_else(pc.fill_null(odd, False), pa.array(exact, pa.string()), quoted)
    return pc.fill_null(quoted, "null")
