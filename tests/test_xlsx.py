"""The workbook writer, read back by openpyxl: what goes in comes out, typed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from toolkit.publish.xlsx import MAX_CELL, MAX_ROWS, Sheet, sheet_name, write_workbook


def _read(path: Path, name: str) -> list[list[object]]:
    return [[c.value for c in row] for row in load_workbook(path)[name].iter_rows()]


def test_text_numbers_dates_and_missing_cells_come_back(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": ["a & b <c>", '=SUM(A1) "q"', None],
            "n": pa.array([1, None, 1234567890123], pa.int64()),
            "x": pa.array([0.5, 88.4, None], pa.float64()),
            "day": pa.array([dt.datetime(2024, 2, 29), None, dt.datetime(1899, 1, 2)], pa.timestamp("ms")),
        }
    )
    write_workbook(tmp_path / "t.xlsx", [Sheet("data", table)], "t")
    rows = _read(tmp_path / "t.xlsx", "data")
    assert rows[0] == ["text", "n", "x", "day"]
    assert rows[1] == ["a & b <c>", 1, 0.5, dt.datetime(2024, 2, 29)]
    assert rows[2] == ['=SUM(A1) "q"', None, 88.4, None]
    assert rows[3] == [None, 1234567890123, None, "1899-01-02"]  # before Excel's first date: text


def test_characters_xml_cannot_hold_are_dropped_and_long_cells_cut(tmp_path: Path) -> None:
    table = pa.table({"t": ["ok\x01\x0bstill", "x" * (MAX_CELL + 10)]})
    cut = write_workbook(tmp_path / "t.xlsx", [Sheet("data", table)], "t")
    rows = _read(tmp_path / "t.xlsx", "data")
    assert rows[1] == ["okstill"] and len(rows[2][0]) == MAX_CELL and cut == 1


def test_sheet_names_are_made_acceptable_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("a/b:c*d?e[f]g\\h", taken) == "a_b_c_d_e_f_g_h"
    assert sheet_name("x" * 40, taken) == "x" * 31
    assert sheet_name("X" * 40, taken) == "X" * 29 + "_2"  # Excel compares names without case
    assert sheet_name("it's", taken) == "it's"


def test_a_quoted_sheet_name_keeps_its_filter(tmp_path: Path) -> None:
    write_workbook(tmp_path / "t.xlsx", [Sheet("it's", pa.table({"a": ["1"]}))], "t")
    sheet = load_workbook(tmp_path / "t.xlsx")["it's"]
    assert sheet.auto_filter.ref == "A1:A2" and sheet.freeze_panes == "A2"


def test_a_sheet_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import toolkit.publish.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    with pytest.raises(ValueError, match="more than Excel's 3"):
        write_workbook(tmp_path / "t.xlsx", [Sheet("data", pa.table({"a": ["1", "2", "3"]}))], "t")
    assert MAX_ROWS == 1_048_576


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=1, max_size=20))
def test_any_text_round_trips(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    path = tmp_path_factory.mktemp("x") / "t.xlsx"
    write_workbook(path, [Sheet("data", pa.table({"t": texts}))], "t")
    legal = [
        "".join(
            ch for ch in t if not ("\x00" <= ch <= "\x08" or ch in "\x0b\x0c\ufffe\uffff" or "\x0e" <= ch <= "\x1f")
        )
        for t in texts
    ]
    got = [r[0] for r in _read(path, "data")[1:]]
    assert [g if g is not None else "" for g in got] == [
        t.replace("\r\n", "\n").replace("\r", "\n") or "" for t in legal
    ]


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    table = pa.table({"a": ["x", "y"], "b": pa.array([1, 2], pa.int64())})
    for name in ("1.xlsx", "2.xlsx"):
        write_workbook(tmp_path / name, [Sheet("data", table)], "t")
    assert (
        hashlib.sha256((tmp_path / "1.xlsx").read_bytes()).digest()
        == hashlib.sha256((tmp_path / "2.xlsx").read_bytes()).digest()
    )
