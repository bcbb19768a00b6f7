"""core/spreadsheet_csv.py: the CSV every release publishes opens safely in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa

from toolkit.core.spreadsheet_csv import BOM, neutralise, spreadsheet_csv


def test_every_formula_start_is_neutralised_and_nothing_else() -> None:
    cells = ["=1+1", "@SUM(A1)", "+cmd", "-cmd", "\tx", "\rx", "plain", "a=b", "", None]
    out = neutralise(pa.chunked_array([cells])).to_pylist()
    assert out == ["'=1+1", "'@SUM(A1)", "'+cmd", "'-cmd", "'\tx", "'\rx", "plain", "a=b", "", None]


def test_the_csv_has_a_bom_lf_line_ends_iso_dates_and_numbers_as_written() -> None:
    frame = pd.DataFrame(
        {
            "claim_id": ["C0001", "C0002"],
            "value": [50000.0, None],
            "share": [0.5, 12.25],
            "day": pd.to_datetime(["2024-01-05", None]),
            "note": ["=HYPERLINK(x)", 'say "hi", then'],
        }
    )
    data = spreadsheet_csv(frame)
    assert data.startswith(BOM) and b"\r" not in data
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))
    assert rows == [
        ["claim_id", "value", "share", "day", "note"],
        ["C0001", "50000", "0.5", "2024-01-05", "'=HYPERLINK(x)"],
        ["C0002", "", "12.25", "", 'say "hi", then'],
    ]
