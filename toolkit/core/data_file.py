"""An archived data file read as records, whatever its format: JSON as it is, CSV as a list of
records (one object per row, keyed by the header), so a locator is the same JSON Pointer in
either (`/12/estimate_low`: the field of the 13th data row) and one resolver serves both.

A CSV cell is kept as the text it is, except a whole number, written with or without commas
grouping its thousands ("390580", "1,200,000"): that is the number, as a reader of the table
takes it, so a figure's locator compares the same in a CSV file as in a JSON one. An empty cell is
the empty text. The rows must be as many cells as the header, the header's names unique.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from .json_reader import JSONUnreadable, parse_json

MAX_DIGITS = 15  # as an import holds figures: every reader of a CSV keeps them exactly
WHOLE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")


class DataUnreadable(JSONUnreadable):
    """A data file that is not readable as its format: why, in words."""


def is_csv(path: str | Path) -> bool:
    return str(path).lower().endswith(".csv")


def read_data_file(path: Path) -> Any:
    return parse_data(path.read_bytes(), csv_format=is_csv(path))


def parse_data(data: bytes, *, csv_format: bool, parse_int: Any = None) -> Any:
    """The file's records: parsed JSON, or the CSV's rows as objects (see the module's note)."""
    if not csv_format:
        return parse_json(data, parse_int=parse_int)
    return csv_records(data, parse_int or int)


def csv_records(data: bytes, parse_int: Any = int) -> list[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise DataUnreadable(
            f"not UTF-8: line {line} (a spreadsheet's row {line}, unless a cell above holds a line break) has the "
            f"byte(s) {bad} at byte {exc.start} of the file"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise DataUnreadable(f"not readable as CSV: line {reader.line_num}: {exc}") from exc
    if not rows:
        raise DataUnreadable("empty: no header")
    header = rows[0]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise DataUnreadable(f"the header names {', '.join(map(repr, repeated))} more than once")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise DataUnreadable(
                f"row {number} (the header is row 1; record /{number - 2}) has {len(row)} cells, the header "
                f"{len(header)}"
            )
        out.append({name: _cell(value, parse_int) for name, value in zip(header, row, strict=True)})
    return out


def _cell(text: str, parse_int: Any) -> Any:
    if WHOLE.fullmatch(text):
        return parse_int(text.replace(",", ""))
    return text
