"""publish/parquet_file.py: the Parquet download reads back typed in pandas, pyarrow and DuckDB."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.publish.build import build_dist

from .conftest import FIXTURES, make_package


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("parquet")
    return build_dist(make_package(tmp / "pkg"), tmp / "dist", site=False).folder


def _claims() -> list[dict[str, str]]:
    with (FIXTURES / "good" / "data" / "claims.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_types_follow_the_schema(built: Path) -> None:
    schema = pq.read_schema(built / "war-claims-0.1.0-claims.parquet")
    assert schema.field("value").type == pa.float64() and schema.field("value_low").type == pa.float64()
    assert schema.field("period_start").type == pa.date32() and schema.field("source_published").type == pa.date32()
    assert schema.field("wording").type == pa.string() and schema.field("first_release").type == pa.string()
    assert schema.field("wording").metadata[b"description"].startswith(b"The phrase that states the figure")
    assert schema.field("source_title").metadata  # described under its flat name
    assert b"pandas" not in (schema.metadata or {})  # no index metadata: the file is plain Parquet


def test_pandas_reads_every_claim_as_written(built: Path) -> None:
    frame = pd.read_parquet(built / "war-claims-0.1.0-claims.parquet")
    rows = _claims()
    assert frame["claim_id"].tolist() == [r["claim_id"] for r in rows]
    for got, want in zip(frame.to_dict("records"), rows, strict=True):
        for column in ("value", "value_low", "value_high"):
            assert math.isnan(got[column]) if want[column] == "" else got[column] == float(want[column]), column
        for column in ("period_start", "period_end"):
            value = got[column]
            expected = dt.date.fromisoformat(want[column]) if want[column] else None
            assert pd.isna(value) if expected is None else pd.Timestamp(value).date() == expected, column
        assert pd.isna(got["notes"]) if want["notes"] == "" else got["notes"] == want["notes"]  # null, not ""


def test_duckdb_reads_it_typed(built: Path) -> None:
    path = str(built / "war-claims-0.1.0-claims.parquet")
    con = duckdb.connect()
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
    assert types["value"] == "DOUBLE" and types["period_end"] == "DATE" and types["claim_id"] == "VARCHAR"
    total, lows, first = con.execute(
        f"SELECT count(*), sum(value_low), min(period_start) FROM read_parquet('{path}')"
    ).fetchone()
    rows = _claims()
    assert total == len(rows)
    assert lows == sum(float(r["value_low"]) for r in rows if r["value_low"])
    assert first == min(dt.date.fromisoformat(r["period_start"]) for r in rows if r["period_start"])


def test_it_sits_beside_the_zip_not_in_its_descriptor(built: Path) -> None:
    with zipfile.ZipFile(built / "war-claims-0.1.0.zip") as z:
        descriptor = json.loads(z.read("datapackage.json"))
    assert all(not r["path"].endswith(".parquet") for r in descriptor["resources"])
