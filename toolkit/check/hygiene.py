"""Text hygiene: what cannot be seen in a cell, and what a spreadsheet would execute.

Invisible characters (controls, zero-width, bidi overrides) can hide or reorder text in a quote
and defeat search; a cell starting with = + - @ runs as a formula when a journalist opens a CSV
in a spreadsheet (CSV injection). One RE2 pass per column over pyarrow strings finds the few
suspicious cells; only those are classified one by one.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import arrow_strings
from ..core.spreadsheet_csv import FORMULA_START
from ..problems.report import Described, Report
from ..read.model import Table
from ..read.table_schema import Field
from .registry import Context, layer

HYGIENE = layer("text hygiene", order=70, background=True)

CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
INVISIBLE = "\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069\u061c"
SPACE = " \t\n\r\u00a0\u202f\u3000"
_SUSPECT = f"[{CONTROL}{INVISIBLE}]|^[{SPACE}{FORMULA_START}]|[{SPACE}]$"
_CHECKS = (
    ("text-control-char", f"[{CONTROL}]"),
    ("text-invisible-char", f"[{INVISIBLE}]"),
    ("text-whitespace", f"^[{SPACE}]|[{SPACE}]$"),
    # = and @ always start a formula; + and - only before something that is not a number (-5 is a
    # figure); also behind leading tabs, returns and spaces, which some programs strip on import
    ("text-formula", f"^[{SPACE}]*([=@]|[+\\-]([^0-9.]|$))"),
)


def _message(code: str, text: str) -> str:
    if code == "text-control-char":
        ch = re.search(f"[{CONTROL}]", text)
        return f"Control character U+{ord(ch.group()):04X} in the text." if ch else "Control character in the text."
    if code == "text-invisible-char":
        ch = re.search(f"[{INVISIBLE}]", text)
        if ch:
            name = unicodedata.name(ch.group(), "invisible character")
            return f"Invisible character U+{ord(ch.group()):04X} ({name}) in the text."
        return "Invisible character in the text."
    if code == "text-whitespace":
        return "The text starts or ends with a space."
    if code == "text-not-nfc":
        return "The text is not in Unicode NFC form (a letter and its accent are stored apart)."
    sign = text.lstrip(SPACE)[:1]
    return f"The text starts with {sign!r}; a spreadsheet would run it as a formula."


def _report_mask(report: Report, table: Table, code: str, column: str, col: pa.ChunkedArray, mask: np.ndarray) -> None:
    def describe(shown: np.ndarray) -> Described:
        values = [col[int(i)].as_py() for i in shown]
        return values, [_message(code, v) for v in values], None

    report.add_rows(code, table.file, table.rows, lines=table.lines, where=mask, column=column, describe=describe)


def _mask(col: pa.ChunkedArray, pattern: str) -> np.ndarray:
    return np.asarray(
        pc.fill_null(pc.match_substring_regex(col, pattern), False).to_numpy(zero_copy_only=False), dtype=bool
    )


# A pattern built only from literal ASCII characters and classes of them admits no invisible
# character, space or formula sign, so its column needs no hygiene pass (its constraint reports
# anything else).
_CLOSED_PATTERN = re.compile(r"(?:\[[A-Za-z0-9_.\-]+\]|[A-Za-z0-9_/-]|\\\.|\{\d+,?\d*\}|[*+?])+")


def needs_hygiene(field: Field) -> bool:
    if field.type != "string" or "enum" in field.constraints:
        return False
    pattern = field.constraints.get("pattern")
    return pattern is None or not _CLOSED_PATTERN.fullmatch(pattern)


def check_table(report: Report, table: Table) -> None:
    for field in table.schema.fields:
        if not needs_hygiene(field) or field.name not in table.frame.columns:
            continue
        col = arrow_strings(table.frame[field.name])
        if _mask(col, _SUSPECT).any():  # one pass for the common case of a clean column
            for code, pattern in _CHECKS:
                _report_mask(report, table, code, field.name, col, _mask(col, pattern))
        non_ascii = np.asarray(
            pc.invert(pc.fill_null(pc.string_is_ascii(col), True)).to_numpy(zero_copy_only=False), dtype=bool
        )
        if non_ascii.any():
            idx = np.flatnonzero(non_ascii)
            candidates = col.take(pa.array(idx))
            differs = pc.not_equal(pc.utf8_normalize(candidates, "NFC"), candidates)
            mask = np.zeros(len(col), dtype=bool)
            mask[idx[np.asarray(differs.to_numpy(zero_copy_only=False), dtype=bool)]] = True
            _report_mask(report, table, "text-not-nfc", field.name, col, mask)


@HYGIENE.check("text-control-char", "text-invisible-char", "text-not-nfc", "text-whitespace", "text-formula")
def check_text(ctx: Context, report: Report) -> None:
    for table in ctx.package.tables.values():
        check_table(report, table)
