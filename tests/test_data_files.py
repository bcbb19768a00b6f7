"""website/data_files.py: the per-metric and per-claim files agree with the package's own CSVs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.spreadsheet_csv import BOM
from toolkit.publish.build import build_dist

from .conftest import FIXTURES, make_package

GOOD = FIXTURES / "good" / "data"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("files")
    return build_dist(make_package(tmp / "pkg"), tmp / "dist", site=True).folder / "site"


def test_a_metric_csv_holds_exactly_its_figures_with_names(site: Path) -> None:
    claims = _rows(GOOD / "claims.csv")
    for metric in {c["metric_id"] for c in claims}:
        data = (site / "metric" / f"{metric}.csv").read_bytes()
        assert data.startswith(BOM) and b"\r" not in data
        rows = list(csv.DictReader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))
        mine = [c for c in claims if c["metric_id"] == metric]
        assert [r["claim_id"] for r in rows] == [c["claim_id"] for c in mine]
        for row, claim in zip(rows, mine, strict=True):
            for column in ("wording", "value", "value_low", "value_high", "period_start", "period_end", "status"):
                assert row[column] == claim[column], (metric, column)
        assert {r["claimant_name"] for r in rows} <= {c["name"] for c in _rows(GOOD / "claimants.csv")}
        assert all(r["source_title"] for r in rows)


def test_a_metric_json_is_typed_and_carries_definition_licence_and_citation(site: Path) -> None:
    doc = json.loads((site / "metric" / "desertions.json").read_text(encoding="utf-8"))
    assert doc["format"] == "war-claims-metric" and doc["format_version"] == 2
    assert doc["series"] == []  # no figure of the fixture is read from a data file
    assert doc["metric"] == {
        "metric_id": "desertions",
        "label": "Desertions",
        "definition": "Fixture definition of desertions.",
        "unit": "person",
        "compares_with": None,  # no metric of another claimant counts the same thing
        "comparison": None,
        "falls": None,  # a fall of its running totals is worth a warning
    }
    assert doc["dataset"]["licence"] and doc["dataset"]["version"] == "0.1.0"
    assert doc["citation"] == "war-claims, metric desertions (v0.1.0)"
    first = doc["figures"][0]
    assert first["claim_id"] == "C0001" and first["value"] == 50000 and isinstance(first["value"], int)
    assert first["value_high"] is None and first["period_start"] == "2022-01-01"
    assert first["claimant_name"] == "Fixture Ministry"
    assert len(doc["figures"]) == sum(c["metric_id"] == "desertions" for c in _rows(GOOD / "claims.csv"))


def test_a_claim_json_for_every_claim_matches_its_row(site: Path) -> None:
    sources = {s["source_id"]: s for s in _rows(GOOD / "sources.csv")}
    for claim in _rows(GOOD / "claims.csv"):
        doc = json.loads((site / "claim" / f"{claim['claim_id']}.json").read_text(encoding="utf-8"))
        assert doc["format"] == "war-claims-claim"
        for column, text in claim.items():
            value = doc["claim"][column]
            assert ("" if value is None else str(value)) == text, (claim["claim_id"], column)
        assert doc["source"]["title"] == sources[claim["source_id"]]["title"]
        assert doc["citation"] == f"war-claims {claim['claim_id']} (v0.1.0)"
        assert doc["files"] == {"page": f"{claim['claim_id']}.html"}


def test_pages_link_their_files(site: Path) -> None:
    metric = (site / "metric" / "desertions.html").read_text(encoding="utf-8")
    assert 'href="desertions.csv"' in metric and 'href="desertions.json"' in metric
    assert 'href="C0001.json"' in (site / "claim" / "C0001.html").read_text(encoding="utf-8")


def test_the_metric_csv_reads_back_in_pandas_with_its_figures(site: Path) -> None:
    frame = pd.read_csv(site / "metric" / "recruits.csv", encoding="utf-8-sig")
    assert frame["value_low"].tolist() == [5000] and frame["claim_id"].tolist() == ["C0004"]


def test_json_rows_writes_each_cell_as_json_would() -> None:
    import numpy as np
    import pandas as pd

    from toolkit.website.data_files import json_rows

    frame = pd.DataFrame(
        {
            "number": [50000.0, 88.4, np.nan, 5e20],
            "text": ['a "quote" \\ and\nline', None, "é ’", "\x01 control"],
            "day": pd.to_datetime(["2024-01-01", None, "2025-02-03", "2026-01-01"]),
        }
    )
    text = json_rows(frame)
    assert text.startswith('[[50000,"a \\"quote\\" \\\\ and\\nline","2024-01-01"],[88.4,null,null]')
    assert json.loads(text) == [
        [50000, 'a "quote" \\ and\nline', "2024-01-01"],
        [88.4, None, None],
        [None, "é ’", "2025-02-03"],
        [5e20, "\x01 control", "2026-01-01"],
    ]
    assert json_rows(frame.iloc[0:0]) == "[]"
