"""pyarrow helpers for pandas columns backed by arrow: the hash and take kernels the checks need,
without converting millions of cells to Python objects (one module, used by convert, rules,
hygiene, provenance and the row problems).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(series: pd.Series) -> pa.ChunkedArray:
    """The arrow data behind a pandas string column, without converting to Python objects."""
    if hasattr(series.array, "__arrow_array__"):
        data = series.array.__arrow_array__()
        return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])
    return pa.chunked_array([pa.array(series.to_numpy(dtype=object), pa.string(), from_pandas=True)])


def strings_at(col: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """Python strings (None when missing) of the cells at rows, chunk by chunk.

    ChunkedArray.take concatenates every chunk first, copying the whole column; taking within
    each chunk copies only the cells asked for.
    """
    offsets = np.cumsum([0, *(len(c) for c in col.chunks)])
    which = np.searchsorted(offsets, rows, side="right") - 1
    out = np.empty(len(rows), dtype=object)
    for k in np.unique(which):
        sel = which == k
        out[sel] = col.chunk(int(k)).take(pa.array(rows[sel] - offsets[k])).to_numpy(zero_copy_only=False)
    return out


def rows_of(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """A few rows of a large frame, without frame.iloc concatenating every text column first."""
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.StringDtype):
            columns[name] = strings_at(arrow_strings(series), rows)
        elif isinstance(series.dtype, pd.Int64Dtype):  # integers stay integers in messages, not 2000000.0
            columns[name] = series.iloc[rows].to_numpy(dtype=object, na_value=None)
        else:
            columns[name] = series.to_numpy()[rows]
    return pd.DataFrame(columns, index=frame.index[rows])


def arrow_pair(values: pd.Series, reference: pd.Series) -> tuple[pa.Array, pa.Array]:
    """Both columns as arrow arrays of the values' type, ready for a hash kernel."""
    arr = pa.array(values, from_pandas=True)
    ref = pa.array(reference, from_pandas=True)
    return arr, ref if ref.type == arr.type else ref.cast(arr.type, safe=False)


def isin(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """values.isin(allowed), through pyarrow's hash kernel.

    pandas iterates `allowed` in Python for arrow-backed strings, which costs seconds for a
    million-row self-reference such as supersedes -> claim_id.
    """
    arr, ref = arrow_pair(values, allowed.dropna())
    found = pc.fill_null(pc.is_in(arr, value_set=ref), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def lookup(values: pd.Series, keys: pd.Series, targets: pd.Series) -> pd.Series:
    """targets at the first row of keys equal to each value (missing where none is), as one join.

    Series.map with an arrow-backed string index builds a pandas hash table in Python objects:
    a third of a second for a million claims; pyarrow's index_in does it in its own kernel.
    """
    arr, ref = arrow_pair(values, keys)
    at = pc.index_in(arr, value_set=ref)
    picked = pc.take(pa.array(targets, from_pandas=True), at)
    return pd.Series(picked.to_pandas(types_mapper=pd.ArrowDtype).astype(targets.dtype), index=values.index)


def number_text(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Numbers as written: whole ones without a decimal point or exponent (50000, never 50000.0 or
    5e+04), others in the shortest form that reads back as the same double (88.4)."""
    if not pa.types.is_floating(col.type):
        return pc.cast(col, pa.string())
    whole = pc.and_(pc.equal(pc.floor(col), col), pc.less(pc.abs(col), 2.0**53))
    as_int = pc.cast(pc.if_else(whole, col, pa.scalar(None, col.type)), pa.int64())
    return pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(col, pa.string()))


def column_number_text(col: pd.Series) -> pd.Series:
    """A pandas column of numbers (integer or number typed) as number_text writes them, None where
    empty: the same figure reads the same whichever type a release's schema gave it."""
    text = number_text(pa.array(col.astype("float64"), from_pandas=True)).to_pylist()
    return pd.Series(text, index=col.index, dtype=object)
