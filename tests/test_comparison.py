"""compare/claimants.py and compare/comparison_table.py: claimants side by side, on the fixture
series (the staff's daily tanks) and the fixture models (the spotters' tanks, per model, on three
days), whose metric compares_with the staff's. Expected figures are worked out by hand below."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from toolkit.compare.claimants import comparisons, ratio_text
from toolkit.compare.comparison_table import comparison_csv, comparison_schema, comparison_table
from toolkit.contribute.series_import import import_snapshot
from toolkit.read.policy import read_folder

from .conftest import UPSTREAM, series_package

TODAY = dt.date(2026, 11, 25)
MODELS = str(UPSTREAM / "fixture-models.toml")
VERSIONS = (
    ("models-v1", "1" * 40, "2024-01-02"),
    ("models-v2", "2" * 40, "2024-01-03"),
    ("models-v3", "3" * 40, "2024-01-04"),
)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pkg = series_package(tmp_path_factory.mktemp("cmp") / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    for folder, commit, day in VERSIONS:
        import_snapshot(pkg, MODELS, UPSTREAM / folder, commit=commit, commit_date=day, today=TODAY)
    return pkg


@pytest.fixture(scope="module")
def tanks(pkg: Path):
    [found] = [c for c in comparisons(read_folder(pkg)) if c.metric_id == "fixture_tanks"]
    return found


def test_the_staffs_tanks_beside_the_spotters_sum(tanks) -> None:
    assert [m.metric_id for m in tanks.members] == ["fixture_tanks", "fixture_spotted_tanks"]
    assert tanks.members[1].comparison.startswith("Invented: only losses with a photograph")
    main, spotters = tanks.series
    assert (main.key, main.derived, main.days) == (
        "fixture_staff",
        False,
        ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
    )
    assert main.values == [10, 12, 11, 15, 16]
    # per model: v1 FX-1 5 + FX-2 3; v2 7 + 3; v3 FX-1 9 + FX-3 1
    assert (spotters.key, spotters.derived, spotters.days, spotters.values) == (
        "fixture_spotters_sum",
        True,
        ["2024-01-02", "2024-01-03", "2024-01-04"],
        [8, 10, 10],
    )
    assert spotters.label == "Fixture Spotters: sum computed by war-claims"
    assert [len(ids) for ids in spotters.claims] == [2, 2, 2]


def test_pairs_are_as_of_the_other_claimants_days(tanks) -> None:
    pairs = tanks.pairs(tanks.series[1])
    assert [(p.day, p.main_value, p.main_day, p.other_value) for p in pairs] == [
        ("2024-01-02", 12, "2024-01-02", 8),
        ("2024-01-03", 11, "2024-01-03", 10),
        ("2024-01-04", 15, "2024-01-04", 10),
    ]
    assert [ratio_text(p.ratio) for p in pairs] == ["1.50 times", "1.10 times", "1.50 times"]
    [(other, latest)] = tanks.gaps()
    assert (other.key, latest.day, latest.ratio) == ("fixture_spotters_sum", "2024-01-04", 1.5)


def test_the_sum_is_never_a_claim(pkg: Path, tanks) -> None:
    claims = list(csv.DictReader(io.StringIO((pkg / "data/claims.csv").read_text(encoding="utf-8"))))
    assert not any(r["value"] == "8" and r["claimant_id"] == "fixture_spotters" for r in claims)
    assert all(len(ids) > 1 for ids in tanks.series[1].claims)  # each sum names the claims it adds up


def test_a_metric_with_one_claimant_is_no_comparison(pkg: Path) -> None:
    anchors = [c.metric_id for c in comparisons(read_folder(pkg))]
    assert anchors == ["fixture_tanks"]  # the spotters' trucks compare with nothing; the people have one claimant


def test_the_table_has_a_row_per_day_and_names_what_it_computed(tanks) -> None:
    table = comparison_table(tanks)
    assert list(table.columns) == [
        "date",
        "fixture_staff", "fixture_staff_day", "fixture_staff_claims",
        "derived_fixture_spotters_sum", "derived_fixture_spotters_sum_day", "derived_fixture_spotters_sum_claims",
        "derived_ratio_fixture_staff_to_derived_fixture_spotters_sum",
    ]  # fmt: skip
    rows = table.set_index("date")
    assert list(rows.index) == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
    assert rows.loc["2024-01-01", "derived_fixture_spotters_sum"] == ""  # none yet
    # 2024-01-05: the spotters' latest sum is of 2024-01-04, carried as of, but no ratio to it
    assert (
        rows.loc["2024-01-05", "derived_fixture_spotters_sum"],
        rows.loc["2024-01-05", "derived_fixture_spotters_sum_day"],
    ) == (
        "10",
        "2024-01-04",
    )
    assert rows.loc["2024-01-05", "derived_ratio_fixture_staff_to_derived_fixture_spotters_sum"] == ""
    assert rows.loc["2024-01-03", "derived_ratio_fixture_staff_to_derived_fixture_spotters_sum"] == "1.1000"
    assert len(rows.loc["2024-01-02", "derived_fixture_spotters_sum_claims"].split()) == 2


def test_the_csv_is_spreadsheet_safe_and_the_schema_describes_every_column(tanks) -> None:
    data = comparison_csv(tanks)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    schema = comparison_schema(tanks, "items")
    assert [f["name"] for f in schema["fields"]] == header and schema["primaryKey"] == ["date"]
    derived = [f for f in schema["fields"] if f["name"].startswith("derived_")]
    assert derived and all(
        "Computed by war-claims" in f["description"] for f in derived if not f["name"].endswith(("_day", "_claims"))
    )
    json.dumps(schema)  # plain JSON
