"""claims import of a compiled table of estimates (a CSV file, a claimant per row):
tests/fixtures/upstream/fixture-estimates.toml over estimates-v1 and estimates-v2, invented.

v1 holds five estimates: a central figure written "12,500" (flagged as a warring party's), a
range, a lone low bound whose reference cell is a note, a lone high bound by an alias of a
claimant, and a central figure with its range. v2 gives the first 12,800 and adds a sixth row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import shutil
from pathlib import Path

import pytest

from toolkit.check.validate import validate_package
from toolkit.compare.claimants import comparisons
from toolkit.errors import UsageError
from toolkit.read.policy import read_folder
from toolkit.upstream.mapping import read_mapping
from toolkit.upstream.plan import ImportRefused
from toolkit.upstream.series_import import import_snapshot, rebuild_series
from toolkit.website.comparison_view import comparison_spec

from .conftest import UPSTREAM, edit, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-estimates.toml")
TODAY = dt.date(2026, 11, 25)
TABLE = "tables/the estimates.csv"


def _import(pkg: Path, version: str, folder: Path | None = None):
    commit = {"v1": "1" * 40, "v2": "2" * 40}[version]
    day = {"v1": "2024-03-01", "v2": "2024-04-01"}[version]
    given = folder or UPSTREAM / f"estimates-{version}"
    return import_snapshot(pkg, MAPPING, given, commit=commit, commit_date=day, today=TODAY)


def _claims(pkg: Path) -> list[dict[str, str]]:
    text = (pkg / "data" / "claims.csv").read_text(encoding="utf-8")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["source_id"] not in ("S0001", "S0002")]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return series_package(tmp_path / "pkg")


def test_each_row_is_a_claim_of_its_own_claimant_with_its_bounds(pkg: Path) -> None:
    _import(pkg, "v1")
    columns = ("claimant_id", "attribution", "metric_id", "subject", "period_end", "wording", "qualifier")
    columns += ("value", "value_low", "value_high", "locator")
    got = [tuple(r[c] for c in columns) for r in _claims(pkg)]
    north, south = "fixture northern soldiers", "fixture southern soldiers"
    assert got == [
        (
            "fixture_ministry",
            "Fixture Ministry",
            "fixture_casualties",
            north,
            "2024-01-16",
            "an estimated 12500",
            "approximately",
            "12500",
            "",
            "",
            "/0/central",
        ),
        (
            "fixture_institute",
            "Fixture Institute",
            "fixture_deaths",
            north,
            "2024-02-01",
            "between 100 and 200",
            "range",
            "",
            "100",
            "200",
            "/1/low",
        ),
        (
            "fixture_institute",
            "Fixture Institute",
            "fixture_deaths",
            south,
            "2024-02-01",
            "at least 300",
            "at_least",
            "300",
            "300",
            "",
            "/2/low",
        ),
        (
            "fixture_institute",
            "The Fixture Institute",
            "fixture_deaths",
            south,
            "2024-02-03",
            "up to 90",
            "at_most",
            "90",
            "",
            "90",
            "/3/high",
        ),
        (
            "fixture_watch",
            "Fixture Watch",
            "fixture_casualties",
            north,
            "2024-02-05",
            "an estimated 500 (400 to 600)",
            "estimate",
            "500",
            "400",
            "600",
            "/4/central",
        ),
    ]
    notes = [r["notes"] for r in _claims(pkg)]
    flag = "The compiler marks it as a warring party's."
    assert notes[0] == f"Reference given by the compiler: https://example.org/a {flag}"
    assert notes[2] == "The compiler gives no address; its reference cell reads '(by email)'."
    report = validate_package(pkg, today=TODAY)
    assert report.error_count == 0, [(p.code, p.message) for p in report.problems]
    assert "wording-unparsed" not in report.counts  # every wording reads back as its qualifier and figures


def test_each_row_counts_the_side_its_item_names(pkg: Path) -> None:
    _import(pkg, "v1")
    assert [(r["subject"], r["side"]) for r in _claims(pkg)] == [
        ("fixture northern soldiers", "russia"),
        ("fixture northern soldiers", "russia"),
        ("fixture southern soldiers", "ukraine"),
        ("fixture southern soldiers", "ukraine"),
        ("fixture northern soldiers", "russia"),
    ]


def _mapping_with(tmp_path: Path, old: str, new: str) -> str:
    shutil.copy(UPSTREAM / "fixture-estimates-claimants.csv", tmp_path)
    text = (UPSTREAM / "fixture-estimates.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fixture-estimates.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_a_claimant_whose_figures_count_something_else_takes_the_metric_the_mapping_names(
    pkg: Path, tmp_path: Path
) -> None:
    """A list of the named dead gives counts of names where the table says deaths: the mapping
    names that claimant's metric for the category, the metric is added from the mapping, and a
    rebuild derives the same; the other claimants' figures keep the category's metric."""
    deaths = '[categories.deaths]\nmetric = "fixture_deaths"\nsubject = "{item}"\n'
    named = (
        deaths + 'claimant_metrics = { fixture_institute = "fixture_named_deaths" }\n\n[metrics.fixture_named_deaths]\n'
        'label = "Fixture named deaths"\ndefinition = "Invented: the dead identified by name."\nunit = "person"\n'
        'compares_with = "fixture_deaths"\ncomparison = "Invented: a floor of the deaths."\n'
    )
    (tmp_path / "m").mkdir()
    mapping = _mapping_with(tmp_path / "m", deaths, named)
    import_snapshot(pkg, mapping, UPSTREAM / "estimates-v1", commit="1" * 40, commit_date="2024-03-01", today=TODAY)
    got = [(r["claimant_id"], r["metric_id"]) for r in _claims(pkg)]
    assert got == [
        ("fixture_ministry", "fixture_casualties"),
        ("fixture_institute", "fixture_named_deaths"),
        ("fixture_institute", "fixture_named_deaths"),
        ("fixture_institute", "fixture_named_deaths"),
        ("fixture_watch", "fixture_casualties"),
    ]
    metrics = (pkg / "data" / "metrics.csv").read_text(encoding="utf-8")
    assert "fixture_named_deaths,Fixture named deaths" in metrics
    assert validate_package(pkg, today=TODAY).error_count == 0
    # the mapping's metric is derived again from the archive, and the figures are still the same
    (pkg / "mappings").mkdir(exist_ok=True)
    shutil.copy(mapping, pkg / "mappings" / "fixture-estimates.toml")
    shutil.copy(UPSTREAM / "fixture-estimates-claimants.csv", pkg / "mappings")
    before = snapshot(pkg)
    assert rebuild_series(pkg, "fixture-estimates", check=True).differs == []
    assert snapshot(pkg) == before


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('north = "russia"', 'north = "northland"', "north"),
        ('count_type = "cumulative"\n', 'count_type = "cumulative"\nside = "both"\n', "side"),
        (
            'metric = "fixture_deaths"\n',
            'metric = "fixture_deaths"\nclaimant_metrics = { fixture_institute = "Not A Metric" }\n',
            "categories.deaths.claimant_metrics.fixture_institute",
        ),
    ],
)
def test_a_side_or_a_claimant_metric_the_mapping_cannot_give_names_its_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    with pytest.raises(UsageError, match=rf"fixture-estimates.toml: {key}: "):
        read_mapping(Path(_mapping_with(tmp_path, old, new)))


def test_the_table_is_archived_under_its_safe_name_and_addressed_with_its_own(pkg: Path) -> None:
    _import(pkg, "v1")
    source = next(r for r in csv.DictReader(io.StringIO((pkg / "data/sources.csv").read_text())) if r["commit"])
    assert source["data_path"] == f"seeds/fixture-estimates/{'1' * 12}/tables/estimates.csv"
    assert source["upstream_path"] == TABLE
    assert source["url"] == f"https://example.org/fixture-estimates/blob/{'1' * 40}/tables/the%20estimates.csv"
    assert (pkg / source["data_path"]).read_bytes() == (UPSTREAM / "estimates-v1" / TABLE).read_bytes()


def test_a_figure_changed_upstream_supersedes_and_a_new_row_is_added(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    claims = _claims(pkg)
    assert len(claims) == 7  # nothing deleted: five, the changed figure again, the new row
    old = next(r for r in claims if r["wording"] == "an estimated 12500")
    new = next(r for r in claims if r["wording"] == "an estimated 12800")
    assert old["status"] == "superseded" and new["supersedes"] == old["claim_id"]
    assert new["locator"] == "/0/central" and old["source_id"] != new["source_id"]  # v1 kept as its anchor
    assert validate_package(pkg, today=TODAY).error_count == 0
    before = snapshot(pkg)
    assert not _import(pkg, "v2").changed  # the same version twice changes nothing
    assert snapshot(pkg) == before
    assert rebuild_series(pkg, MAPPING, check=True, today=TODAY).differs == []


def test_a_name_the_claimant_table_lacks_is_refused_never_guessed(pkg: Path, tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / "estimates-v1", folder)
    edit(folder, TABLE, "Fixture Watch", "Fixture Watchers")
    before = snapshot(pkg)
    with pytest.raises(ImportRefused) as refused:
        _import(pkg, "v1", folder)
    [problem] = refused.value.problems
    assert (problem.record, problem.field) == (4, "source") and "'Fixture Watchers'" in problem.message
    assert "claimant_table" in problem.fix
    assert snapshot(pkg) == before


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("1/2/2024,100", "2024-02-01,100", "date", "not a day written DD/MM/YYYY"),
        ("16/01/2024", "31/02/2024", "date", "not a day written DD/MM/YYYY"),  # no such day
        (",300,,,deaths", ",300,x,,deaths", "high", "not a whole number"),
        ("400,600,500", "400,,500", "high", "one bound only"),
        (",north,yes", ",east,yes", "country", "not an item the mapping names"),
    ],
)
def test_a_row_the_mapping_cannot_read_is_named(
    pkg: Path, tmp_path: Path, old: str, new: str, field: str, words: str
) -> None:
    folder = tmp_path / "snap"
    shutil.copytree(UPSTREAM / "estimates-v1", folder)
    edit(folder, TABLE, old, new)
    with pytest.raises(ImportRefused) as refused:
        _import(pkg, "v1", folder)
    assert [(p.field, words in p.message) for p in refused.value.problems] == [(field, True)]


def test_a_figure_edited_in_the_table_is_caught_at_its_csv_locator(pkg: Path) -> None:
    _import(pkg, "v1")
    edit(pkg, "data/claims.csv", ",range,,100,200,", ",range,,101,200,")
    report = validate_package(pkg, today=TODAY)
    [problem] = [p for p in report.problems if p.code == "locator-value-mismatch"]
    assert "holds 100 at /1/low" in problem.message and "value_low 101" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('claimant_table = "fixture-estimates-claimants.csv"\n', "", "claimant"),  # a field of claimants, no table
        ("fixture-estimates-claimants.csv", "no-such-table.csv", "claimant_table"),
        ('date_format = "day/month/year"', 'date_format = "month/day/year"', "date_format"),
        ('archive_as = "tables/estimates.csv"\n', "", "archive_as"),  # the upstream name holds a space
        ('path = "tables/the estimates.csv"', 'path = "tables/the estimates.xlsx"', "path"),
    ],
)
def test_a_mapping_mistake_names_its_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    shutil.copy(UPSTREAM / "fixture-estimates-claimants.csv", tmp_path)
    text = (UPSTREAM / "fixture-estimates.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fixture-estimates.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UsageError, match=rf"fixture-estimates.toml: (files\[0\]\.)?{key}: "):
        read_mapping(path)


def test_a_claimant_table_naming_one_name_twice_is_refused(tmp_path: Path) -> None:
    shutil.copy(UPSTREAM / "fixture-estimates.toml", tmp_path)
    table = (UPSTREAM / "fixture-estimates-claimants.csv").read_text(encoding="utf-8")
    (tmp_path / "fixture-estimates-claimants.csv").write_text(table + "Fixture Watch,fixture_ministry\n")
    with pytest.raises(UsageError, match="row 6: 'Fixture Watch' is named twice"):
        read_mapping(tmp_path / "fixture-estimates.toml")


def test_a_comparison_sets_one_sides_estimates_beside_each_other_never_sums_the_two(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    found = [c for c in comparisons(read_folder(pkg)) if c.metric_id == "fixture_deaths"]
    # the table counts northern (russia) and southern (ukraine) soldiers: the southern ones have one
    # claimant (the institute), so nothing to set beside it; the northern ones have two
    [deaths] = found
    assert (deaths.side, deaths.key, deaths.title) == ("russia", "fixture_deaths", "Fixture deaths, Russia's forces")
    # the institute's range on 2024-02-01 keeps its bounds and is drawn at its middle, 150; its
    # southern 300 that day is not added to it, as a sum of figures of one day would be
    [institute, watch] = deaths.series
    assert (institute.key, institute.derived, institute.days, institute.values) == (
        "fixture_institute",
        False,
        ["2024-02-01"],
        [150.0],
    )
    assert (institute.lows, institute.highs, institute.qualifiers) == ([100.0], [200.0], ["range"])
    assert (watch.key, watch.days, watch.values, watch.qualifiers) == (
        "fixture_watch",
        ["2024-03-10"],
        [700.0],
        ["approximately"],
    )
    assert math.isnan(watch.lows[0]) and math.isnan(watch.highs[0])  # "an estimated 700" sets no bounds


def test_a_warring_partys_estimate_is_marked_in_the_chart(pkg: Path) -> None:
    _import(pkg, "v1")
    _import(pkg, "v2")
    edit(
        pkg,
        "data/claimants.csv",
        "fixture_institute,Fixture Institute,ngo,,",
        "fixture_institute,Fixture Institute,ngo,UA,",
    )
    [deaths] = [c for c in comparisons(read_folder(pkg)) if c.key == "fixture_deaths"]
    assert [(s.key, s.party) for s in deaths.series] == [("fixture_institute", True), ("fixture_watch", False)]
    spec = comparison_spec(deaths)
    info = spec["transform"][0]["from"]["data"]["values"]
    assert [(i["series"], i.get("party", 0)) for i in info] == [("Fixture Institute", 1), ("Fixture Watch", 0)]
    shapes = {(v["s"], v["shape"]) for v in spec["data"]["values"]}
    assert shapes == {(0, "range (its middle; the bar is the range)"), (1, "stated figure")}
    # a party's mark is hollow: the points layer draws it apart, unfilled
    [points] = [layer for layer in spec["layer"] if layer["name"] == "points"]
    [party] = [layer for layer in points["layer"] if layer.get("name") == "party_points"]
    assert party["mark"]["filled"] is False and party["transform"] == [{"filter": "datum.party"}]
