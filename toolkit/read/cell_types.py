"""Cells as text -> typed columns, by the Table Schema's rules and nothing looser.

Everything is read as text first (read/strict_csv.py); here each cell is converted by its field's type
with patterns that accept only the canonical form: ASCII digits for integers (no separators,
signs, exponents, leading zeros, NaN or Infinity), YYYY-MM-DD for dates. A cell is missing only
if it equals one of the schema's missingValues, so 'NA' or 'null' stay text. All of it runs as
pyarrow compute kernels over whole columns; Python only touches the cells that fail, to explain
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.dates import date_hint, parse_dates
from ..problems.report import Described, Report
from .strict_csv import RawTable
from .table_schema import TableSchema

INTEGER = r"^(0|[1-9][0-9]{0,17})$"  # at most 18 digits: always fits int64
# decimals as written, without trailing zeros: "50.000" is far more often fifty thousand with a
# European separator than fifty, and "50.0" has a canonical form, 50
NUMBER = r"^-?(0|[1-9][0-9]{0,17})(\.[0-9]{0,16}[1-9])?$"
_MISSING_WORDS = {"na", "n/a", "nan", "none", "null", "nil", "-", "inf", "infinity", "-inf", "+inf"}


def number_hint(text: str) -> str:
    """Explain why a cell is not a canonical number, in the words a contributor needs."""
    stripped = text.strip(" \u00a0\u202f\t")
    if stripped.lower() in _MISSING_WORDS:
        return "Leave the cell empty when the figure is unknown; words like NA, null or NaN are not numbers."
    if stripped != text:
        return "Remove the spaces around the number (including no-break spaces)."
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
        return "Use ASCII digits 0-9; this cell has full-width or other non-Latin digits."
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", text):
        return f"Remove the thousands separators: {text.replace(',', '')}."
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):
        return f"'.' is not a thousands separator here: write {text.replace('.', '')} (or check it is not a decimal)."
    if "_" in text or " " in text or "\u00a0" in text or "'" in text:
        return "Remove the digit separators: digits only."
    if re.search(r"[eE]", text) and re.fullmatch(r"[-+]?[0-9.]+[eE][-+]?[0-9]+", text):
        return "Write the number in full, without an exponent (1e6 -> 1000000)."
    if text[:1] in "+-":
        return "Remove the sign: figures are counts, never negative."
    if re.fullmatch(r"0[0-9]+", text):
        return "Remove the leading zeros (or check the figure: '007' is read as text, not 7)."
    if re.fullmatch(r"[0-9]+\.[0-9]*0", text):
        return f"Write the number without trailing zeros after the point: {text.rstrip('0').rstrip('.')}."
    if re.fullmatch(r"[0-9]+\.[0-9]*", text):
        return "Whole numbers only: no decimal point."
    if re.fullmatch(r"[0-9]{19,}", text):
        return "The number is too large (at most 18 digits)."
    return "Write digits 0-9 only, e.g. 50000."


def _missing_mask(col: pa.ChunkedArray, missing: list[str]) -> pa.ChunkedArray:
    if not missing:
        return pc.is_null(col)
    return pc.is_in(col, value_set=pa.array(missing, pa.string()))


def _with_nulls(col: pa.ChunkedArray, missing: pa.ChunkedArray) -> pa.ChunkedArray:
    """Mark missing cells as null without copying the text.

    A boolean array is bit-packed exactly like a validity bitmap, so "not missing" can become
    the strings' validity buffer; pc.if_else would copy every string column instead.
    """
    chunks = []
    for chunk, miss in zip(col.chunks, _rechunk(missing, col), strict=True):
        valid = pc.invert(miss)
        if chunk.offset or valid.offset or chunk.null_count:
            chunks.append(pc.if_else(miss, pa.scalar(None, chunk.type), chunk))
            continue
        chunks.append(
            pa.Array.from_buffers(chunk.type, len(chunk), [valid.buffers()[1], chunk.buffers()[1], chunk.buffers()[2]])
        )
    return pa.chunked_array(chunks, type=col.type)


def _rechunk(values: pa.ChunkedArray, like: pa.ChunkedArray) -> list[pa.Array]:
    """values cut at the same chunk boundaries as like."""
    out, start = [], 0
    flat = values.combine_chunks() if values.num_chunks != like.num_chunks else None
    for i, chunk in enumerate(like.chunks):
        out.append(flat.slice(start, len(chunk)) if flat is not None else values.chunk(i))
        start += len(chunk)
    return out


def _report_bad(
    report: Report,
    code: str,
    file: str,
    name: str,
    col: pa.ChunkedArray,
    bad: pa.ChunkedArray,
    raw: RawTable,
    label: str,
    hint: Callable[[str], str],
) -> None:
    def describe(shown: np.ndarray) -> Described:
        values = col.take(pa.array(shown)).to_pylist()
        return values, [f"{v!r} is not {label}." for v in values], [hint(v) for v in values]

    mask = np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)
    report.add_rows(code, file, raw.rows, lines=raw.lines, where=mask, column=name, describe=describe)


def to_frame(
    raw: RawTable,
    schema: TableSchema,
    file: str,
    report: Report,
    invalid: dict[str, np.ndarray] | None = None,
    invalid_text: dict[str, dict[int, str]] | None = None,
) -> pd.DataFrame:
    """Typed frame of the schema's fields that the file has; bad cells become missing.

    The rows of each column whose cell could not be typed go into `invalid`, so later checks
    can stay quiet about a cell already reported instead of piling consequences on it.
    """
    arrays: dict[str, pa.ChunkedArray] = {}
    present = set(raw.table.column_names)
    for f in schema.fields:
        if f.name not in present:
            continue
        col = raw.table.column(f.name)
        missing = _missing_mask(col, schema.missing_values)
        if f.type == "string":
            arrays[f.name] = _with_nulls(col, missing)
            continue
        if f.type == "date":
            ok, parsed = parse_dates(col)
        else:
            ok = pc.match_substring_regex(col, INTEGER if f.type == "integer" else NUMBER)
        bad = pc.and_(pc.invert(ok), pc.invert(missing))
        code = {"integer": "type-integer", "number": "type-number", "date": "type-date"}[f.type]
        label = {"integer": "a whole number", "number": "a number", "date": "a YYYY-MM-DD date"}[f.type]
        _report_bad(report, code, file, f.name, col, bad, raw, label, date_hint if f.type == "date" else number_hint)
        if invalid is not None and pc.any(bad).as_py():
            mask = np.asarray(bad.to_numpy(zero_copy_only=False), dtype=bool)
            invalid[f.name] = mask
            if invalid_text is not None:
                invalid_text[f.name] = dict(
                    zip(np.flatnonzero(mask).tolist(), col.filter(bad).to_pylist(), strict=True)
                )
        keep = pc.fill_null(ok, False)
        if f.type == "date":
            arrays[f.name] = parsed
        else:
            target = pa.int64() if f.type == "integer" else pa.float64()
            clean = pc.if_else(keep, col, pa.scalar(None, pa.string()))
            arrays[f.name] = pc.cast(clean, target)
    table = pa.table(arrays) if arrays else pa.table({})
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    frame.index = pd.RangeIndex(len(frame))
    return frame
