"""The published package itself: what journalists and downstream code receive."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pandas as pd
from frictionless import Package, validate

from toolkit.check.validate import validate_package
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import ROOT


def test_frictionless_validates_the_package() -> None:
    report = validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_frictionless_loads_every_resource_with_declared_types() -> None:
    package = Package(str(ROOT / "datapackage.json"))
    names = ["claimants", "claims", "metrics", "series_corrections", "sources"]
    assert sorted(r.name for r in package.resources) == names
    claims = {row["claim_id"]: row for row in package.get_resource("claims").read_rows()}
    assert claims["C0001"]["value"] == 50000
    assert type(claims["C0001"]["value"]) is Decimal  # Table Schema numbers: exact decimals in frictionless
    assert str(claims["C0001"]["period_start"]) == "2022-02-24"
    assert type(claims["C0001"]["period_start"]).__name__ == "date"
    assert claims["C0004"]["value"] is None  # only bounds for "tens of thousands"
    first = claims["C0007"]  # the first day of the General Staff series
    assert (first["wording"], first["value"], str(first["period_end"]), first["locator"]) == (
        "about 2800",
        2800,
        "2022-02-25",
        "/0/personnel",
    )
    corrections = package.get_resource("series_corrections").read_rows()
    assert any(row["value"] < 0 for row in corrections) and type(corrections[0]["date"]).__name__ == "date"
    for resource in package.resources:
        assert resource.read_rows(), resource.name


def test_pandas_loads_with_declared_types() -> None:
    package = load_package(ROOT, Report())
    assert package is not None
    claims = package.tables["claims"].frame
    assert str(claims["value"].dtype) == "float64"  # numbers; whole figures stay whole (50000.0 == 50000)
    assert str(claims["period_start"].dtype).startswith("datetime64")
    assert claims.loc[claims.claim_id == "C0002", "value_low"].item() == 1_000_000
    plain = pd.read_csv(ROOT / "data/claims.csv", dtype={"value": "float64"}, keep_default_na=False, na_values=[""])
    assert len(plain) == len(claims)


def test_the_package_passes_claims_validate() -> None:
    """No error; the only warnings are running totals of the General Staff that fall, and each names
    the claimant's own correction but one, a fall of field artillery that no correction explains."""
    report = validate_package(ROOT)
    assert report.error_count == 0, [(p.code, p.row, p.message) for p in report.problems]
    assert set(report.counts) == {"cumulative-decrease"}
    unexplained = [p.key for p in report.problems if "they corrected" not in p.message]
    assert unexplained == ["C20077"], unexplained


def test_every_day_of_the_series_is_in_the_package() -> None:
    """Every day of both imported snapshots, 2022-02-25 to 2026-08-08, has its personnel figure."""
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    days = claims.loc[
        (claims.claimant_id == "ua_general_staff") & (claims.metric_id == "killed_or_wounded"), "period_end"
    ]
    expected = pd.date_range("2022-02-25", "2026-08-08").strftime("%Y-%m-%d")
    assert sorted(days) == list(expected) and len(days) == 1626


def test_seed_hashes_and_quotes() -> None:
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False)
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    for source in sources.itertuples():
        data = (ROOT / (source.seed_path or source.data_path)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source.seed_sha256
        if source.data_path:  # a dataset: its figures are checked by their locators (claims validate)
            assert (ROOT / source.licence_path).is_file() and source.licence == "MIT"
            continue
        text = data.decode("utf-8")
        for quote in claims.loc[claims.source_id == source.source_id, "quote"]:
            assert quote in text


def test_unknown_provenance_stays_empty_with_a_note() -> None:
    source = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False).iloc[0]
    assert source.url == "" and source.published == "" and source.publisher == ""
    assert "no URL" in source.notes and "not confirmed" in source.notes


def test_every_figure_of_the_first_seed_is_a_claim() -> None:
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    wordings = set(claims.wording.str.lower())
    for phrase in ("at least 50,000", "over one million", "just under four", "tens of thousands", "nine"):
        assert phrase in wordings
    assert claims.wording.str.lower().eq("tens of thousands").sum() == 2  # AWOL and convicts


def test_descriptor_metadata() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert descriptor["$schema"].endswith("/2.0/datapackage.json")
    assert descriptor["version"].count(".") == 2
    assert "seeds/" in descriptor["licenses"][0]["title"]
    assert descriptor["contributors"]


def test_csv_conventions() -> None:
    for path in (ROOT / "data").glob("*.csv"):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, path
        assert data.endswith(b"\n"), path
        data.decode("utf-8")
