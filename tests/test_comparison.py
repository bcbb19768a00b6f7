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
from toolkit.compare.comparison_table import comparison_files, comparison_schema, comparison_table
from toolkit.read.policy import read_folder
from toolkit.upstream.series_import import import_snapshot

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


def test_the_long_table_has_a_row_per_figure_with_whose_losses_and_what_it_states(tanks) -> None:
    table = comparison_table(tanks)
    assert list(table.columns) == [
        "date", "claimant", "claimant_id", "side", "party", "metrics", "value", "value_low", "value_high",
        "qualifier", "wording", "claims", "derived", "date_doubt",
    ]  # fmt: skip
    assert len(table) == 5 + 3  # the staff's five days, the spotters' three sums
    staff = table[table.claimant_id == "fixture_staff"]
    assert staff.value.tolist() == ["10", "12", "11", "15", "16"] and (staff.derived == "").all()
    assert staff.qualifier.tolist() == ["exact"] * 5 and (staff.claims.str.fullmatch(r"C\d{4}")).all()
    sums = table[table.derived == "yes"]
    assert sums.value.tolist() == ["8", "10", "10"] and (sums.wording == "sum computed by war-claims").all()
    assert (sums.metrics == "fixture_spotted_tanks").all() and (sums.qualifier == "").all()
    assert [len(c.split()) for c in sums.claims] == [2, 2, 2]


def test_the_wide_table_gives_each_figure_on_its_own_day_only(tanks) -> None:
    """A plain plot of the wide table draws points where the figures are: no figure is carried to
    the days after it, so no flat line runs from one estimate to the next."""
    files = comparison_files(tanks, "items")
    rows = list(csv.DictReader(io.StringIO(files["-wide.csv"].decode("utf-8"))))
    assert [r["date"] for r in rows] == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
    assert [r["derived_fixture_spotters_sum"] for r in rows] == ["", "8", "10", "10", ""]  # not carried to 01-05
    assert [r["fixture_staff"] for r in rows] == ["10", "12", "11", "15", "16"]
    schema = json.loads(files["-wide.schema.json"])
    titles = {f["name"]: f.get("title") for f in schema["fields"]}
    assert titles["fixture_staff"] == "Fixture Staff"  # the claimant's name, not only its ID
    assert titles["derived_fixture_spotters_sum"] == "Fixture Spotters: sum computed by war-claims"


def test_the_files_are_for_programs_and_their_schemas_describe_every_column(tanks) -> None:
    files = comparison_files(tanks, "items")
    for name in (".csv", "-wide.csv"):
        data = files[name]
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data  # no BOM before a quoted header
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        schema = json.loads(files[name.replace(".csv", ".schema.json")])
        assert [f["name"] for f in schema["fields"]] == header
    long = comparison_schema(tanks, "items")
    assert long["primaryKey"] == ["date", "claimant_id", "claims"]
    assert "side" in [f["name"] for f in long["fields"]]
    derived = [f for f in json.loads(files["-wide.schema.json"])["fields"] if f["name"].startswith("derived_")]
    assert derived and all("Computed by war-claims" in f["description"] for f in derived if "claims" not in f["name"])


def test_a_column_empty_in_every_row_is_said_so_with_why(tanks) -> None:
    files = comparison_files(tanks, "items")
    rows = list(csv.DictReader(io.StringIO(files[".csv"].decode("utf-8"))))
    fields = {f["name"]: f["description"] for f in json.loads(files[".schema.json"])["fields"]}
    for name, description in fields.items():
        empty = not any(row[name] for row in rows)
        assert ("Empty in every row of this file" in description) == empty, name
    # the fixture's dates are not doubted, and its sum is computed: one said empty, the other not
    assert "the evidence doubts none of its days" in fields["date_doubt"]
    assert "Empty in every row" not in fields["derived"]


def test_one_claimants_two_compilations_of_other_metrics_are_two_series_never_added(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The spotters' per-model counts (fixture-models, summed by the package) and their daily
    tallies (fixture-tallies, a total a day) both compare with the staff's tanks: on the days both
    give, adding them would count each tank twice. Each is a series of its own, named by its
    compilation."""
    pkg = series_package(tmp_path_factory.mktemp("two") / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    for folder, commit, day in VERSIONS:
        import_snapshot(pkg, MODELS, UPSTREAM / folder, commit=commit, commit_date=day, today=TODAY)
    _import_tallies(pkg, tmp_path_factory.mktemp("mapping"), ["tally_tanks"])
    [tanks] = [c for c in comparisons(read_folder(pkg)) if c.metric_id == "fixture_tanks" and c.side == "russia"]
    by_key = {s.key: s for s in tanks.series}
    assert set(by_key) == {"fixture_staff", "fixture_spotters_fixture_models_sum", "fixture_spotters_fixture_tallies"}
    models, tallies = by_key["fixture_spotters_fixture_models_sum"], by_key["fixture_spotters_fixture_tallies"]
    # per model as before (v1 FX-1 5 + FX-2 3; v2 7 + 3; v3 9 + 1), never with the tallies' 8 added
    assert (models.days, models.values, models.derived) == (
        ["2024-01-02", "2024-01-03", "2024-01-04"],
        [8, 10, 10],
        True,
    )
    assert (tallies.days, tallies.values, tallies.derived) == (["2024-01-03"], [8], False)
    assert models.label == "Fixture Spotters, fixture-models: sum computed by war-claims"
    assert tallies.label == "Fixture Spotters, fixture-tallies"
    header = next(csv.reader(io.StringIO(comparison_files(tanks, "items")["-wide.csv"].decode("utf-8"))))
    assert "fixture_spotters_fixture_tallies" in header and "derived_fixture_spotters_fixture_models_sum" in header


def _import_tallies(pkg: Path, folder: Path, compared: list[str]) -> None:
    """The fixture tallies (v1) of the spotters, the metrics named comparing with the staff's tanks."""
    text = (UPSTREAM / "fixture-tallies.toml").read_text(encoding="utf-8")
    for metric in compared:
        marker = f'[metrics.{metric}]\nlabel = "Fixture {metric}"\n'
        assert marker in text
        text = text.replace(marker, marker + 'compares_with = "fixture_tanks"\ncomparison = "Invented: a tally."\n')
    mapping = folder / "fixture-tallies.toml"
    mapping.write_text(text, encoding="utf-8")
    import_snapshot(pkg, str(mapping), UPSTREAM / "tallies-v1", commit="1" * 40, commit_date="2024-01-05", today=TODAY)


def test_several_tallies_of_one_compilation_sum_each_ones_latest_figure(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Two tallies compared with one metric (the northern tanks, 8 on 01-03; the trucks, 3 on 01-04
    and 4 on 01-05), each given only on the days it changed: each day's sum carries the other's
    latest figure forward, not only what changed that day (8, 11, 12; never 8, 3, 4)."""
    pkg = series_package(tmp_path_factory.mktemp("tallies") / "pkg")
    import_snapshot(pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    _import_tallies(pkg, tmp_path_factory.mktemp("mapping"), ["tally_tanks", "tally_trucks"])
    [tanks] = [c for c in comparisons(read_folder(pkg)) if c.metric_id == "fixture_tanks" and c.side == "russia"]
    [tallies] = [s for s in tanks.series if s.claimant_id == "fixture_spotters"]
    assert (tallies.key, tallies.derived) == ("fixture_spotters_sum", True)  # one compilation: no name needed
    assert (tallies.days, tallies.values) == (["2024-01-03", "2024-01-04", "2024-01-05"], [8, 11, 12])
    claims = {r["claim_id"]: r for r in csv.DictReader(io.StringIO((pkg / "data/claims.csv").read_text()))}
    behind = [sorted((claims[c]["metric_id"], claims[c]["period_end"]) for c in day) for day in tallies.claims]
    assert behind[-1] == [("tally_tanks", "2024-01-03"), ("tally_trucks", "2024-01-05")]
