"""Table Schema constraints, enforced by the pandera schema built from schemas/.

pandera reports failures as a frame of (column, check, failure_case, index); this module maps
each pandera check to the toolkit's stable code and a message that names the constraint, one
vectorised group at a time.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.config import ValidationDepth, config_context

from ..problems.codes import CODES
from ..problems.report import Described, Report
from ..read.table_schema import TableSchema
from .registry import Context, layer

CONSTRAINTS = layer("constraints", order=20)

_CHECK_CODES = (
    ("not_nullable", "constraint-required"),
    ("field_uniqueness", "constraint-unique"),
    ("multiple_fields_uniqueness", "constraint-unique"),
    ("isin", "constraint-enum"),
    ("str_matches", "constraint-pattern"),
    ("greater_than_or_equal_to", "constraint-minimum"),
    ("less_than_or_equal_to", "constraint-maximum"),
    ("in_range", "in_range"),  # split into minimum/maximum by the failing value
    ("str_length", "constraint-length"),
    ("format_uri", "format-uri"),
)


def _code_for(check: str) -> str | None:
    return next((code for prefix, code in _CHECK_CODES if check.startswith(prefix)), None)


def _message(code: str, column: str, value: object, schema: TableSchema, is_key: bool) -> str:
    c = schema.field(column).constraints if column in schema.names else {}
    if code == "constraint-required":
        return f"{column} is required but empty."
    if code == "constraint-unique":
        what = "the primary key" if is_key else "a unique column"
        return f"{value!r} appears more than once in {column} ({what})."
    if code == "constraint-enum":
        return f"{value!r} is not allowed in {column}; use one of: {', '.join(map(str, c.get('enum', [])))}."
    if code == "constraint-pattern":
        return f"{value!r} does not match the pattern {c.get('pattern')!r} of {column}."
    if code == "constraint-minimum":
        return f"{value!r} is below the minimum {c.get('minimum')} of {column}."
    if code == "constraint-maximum":
        return f"{value!r} is above the maximum {c.get('maximum')} of {column}."
    if code == "format-uri":
        return f"{value!r} in {column} is not a URI: it has no scheme such as https:."
    return f"{value!r} has a length outside {c.get('minLength', 0)}..{c.get('maxLength', '')} in {column}."


@CONSTRAINTS.check(
    "constraint-required",
    "constraint-unique",
    "constraint-enum",
    "constraint-minimum",
    "constraint-maximum",
    "constraint-pattern",
    "constraint-length",
    "format-uri",
)
def check_tables(ctx: Context, report: Report) -> None:
    for table in ctx.package.tables.values():
        check_constraints(table.frame, table.schema, table.file, table.rows, table.lines, report, table.invalid)


def check_constraints(
    frame: pd.DataFrame,
    schema: TableSchema,
    file: str,
    rows: np.ndarray,
    lines: np.ndarray,
    report: Report,
    invalid: dict | None = None,
) -> None:
    """Run the pandera schema over the fields the frame has; add every failure to report."""
    full = schema.pandera
    present = [name for name in schema.names if name in frame.columns]
    unique = full.unique if full.unique and all(n in present for n in full.unique) else None
    checker = pa.DataFrameSchema({n: full.columns[n] for n in present}, unique=unique, strict=False, coerce=False)
    # PANDERA_VALIDATION_ENABLED=False or a SCHEMA_ONLY depth in the environment would skip
    # every data check silently; validation here is never optional.
    with config_context(validation_enabled=True, validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        try:
            checker.validate(frame, lazy=True)
            return
        except pa.errors.SchemaErrors as exc:
            failures = exc.failure_cases
    failures = failures[failures["index"].notna()]
    for column, bad in (invalid or {}).items():  # a cell that failed typing is reported already
        hit = (failures["column"] == column) & bad[failures["index"].fillna(0).astype("int64").to_numpy()]
        failures = failures[~hit.to_numpy()]
    for (column, check), group in failures.groupby(["column", "check"], sort=False, dropna=False):
        code = _code_for(str(check))
        if code is None:  # a dtype failure means read/cell_types.py and read/table_schema.py disagree: a bug
            raise AssertionError(f"unexpected pandera failure {check!r} on {column!r}")
        if code == "in_range":
            low = schema.field(str(column)).constraints.get("minimum")
            below = pd.to_numeric(group["failure_case"], errors="coerce") < low
            parts = [("constraint-minimum", group[below.to_numpy()]), ("constraint-maximum", group[~below.to_numpy()])]
        else:
            parts = [(code, group)]
        for part_code, part in parts:
            _add(report, part_code, file, str(column), part, schema, rows, lines)
            if invalid is not None and part_code in _VALUE_CODES:
                _mark(invalid, str(column), part["index"].astype("int64").to_numpy(), len(frame))


# constraints on the cell's own value: a cell that fails one is reported once, here, and the
# checks that read it (qualifier rules, wording) skip it instead of echoing the same typo
_VALUE_CODES = {
    "constraint-enum",
    "constraint-pattern",
    "constraint-minimum",
    "constraint-maximum",
    "constraint-length",
    "format-uri",
}


def _mark(invalid: dict, column: str, idx: np.ndarray, length: int) -> None:
    mask = invalid.get(column)
    if mask is None:
        mask = invalid[column] = np.zeros(length, dtype=bool)
    mask[idx] = True


def _add(
    report: Report,
    code: str,
    file: str,
    column: str,
    group: pd.DataFrame,
    schema: TableSchema,
    rows: np.ndarray,
    lines: np.ndarray,
) -> None:
    idx = group["index"].astype("int64").to_numpy()
    order = idx.argsort(kind="stable")
    failed = group["failure_case"].to_numpy()[order]
    is_key = schema.primary_key == [column]

    def describe(shown: np.ndarray) -> Described:
        values = [None if pd.isna(v) else v for v in failed[: len(shown)]]
        messages = [_message(code, column, v, schema, is_key) for v in values]
        return values, messages, [_hint(code, v, schema.field(column).constraints) for v in values]

    report.add_rows(code, file, rows, lines=lines, where=idx[order], column=column, describe=describe)


def _hint(code: str, value: object, constraints: dict) -> str:
    """The catalogue's fix, or for an enum the allowed value the cell was probably meant to be."""
    if code == "constraint-enum":
        allowed = [str(v) for v in constraints.get("enum", [])]
        close = difflib.get_close_matches(str(value).strip().lower().replace(" ", "_"), allowed, n=1, cutoff=0.6)
        if close:
            return f"Did you mean {close[0]!r}?"
    return CODES[code].hint
