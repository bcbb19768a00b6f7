"""website/comparison_view.py and the pages built from it: a comparison page per compared metric,
a page per claimant, and the home page's "Where claims differ", on the comparison fixture (the
staff's daily tanks beside the spotters' per-model tanks: tests/test_comparison.py)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from toolkit.compare.claimants import comparisons
from toolkit.publish.build import build_dist
from toolkit.read.policy import read_folder
from toolkit.website.comparison_view import beside, comparison_spec, gaps

from .test_comparison import pkg  # noqa: F401  the package fixture, shared


@pytest.fixture(scope="module")
def built(pkg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    return build_dist(pkg, tmp_path_factory.mktemp("dist")).folder


def _text(path: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_the_chart_draws_the_daily_series_as_a_line_and_the_sum_as_squares(pkg: Path) -> None:  # noqa: F811
    [tanks] = comparisons(read_folder(pkg))
    spec = comparison_spec(tanks)
    # a daily series' points leave their kind to the chart's transform, which names it
    assert {"calculate": "datum.kind || 'daily series'", "as": "kind"} in spec["transform"]
    values = [{**v, "kind": v.get("kind", "daily series")} for v in spec["data"]["values"]]
    kinds = {(v["series"], v["kind"]) for v in values}
    assert kinds == {
        ("Fixture Staff", "daily series"),
        ("Fixture Spotters: sum computed by war-claims", "sum computed by war-claims"),
    }
    sums = [v for v in values if v["kind"] == "sum computed by war-claims"]
    assert [(v["date"], v["figure"], v["href"]) for v in sums] == [
        ("2024-01-02", 8, ""),  # a sum has no claim page of its own
        ("2024-01-03", 10, ""),
        ("2024-01-04", 10, ""),
    ]
    line = [v for v in values if v["kind"] == "daily series"]
    assert line[0]["href"] == "../claim/C0007.html" and len(line) == 5
    [points] = [layer for layer in spec["layer"] if layer["name"] == "points"]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-up", "square"]


def test_the_pairs_say_when_the_main_figure_is_an_earlier_days(pkg: Path) -> None:  # noqa: F811
    [tanks] = comparisons(read_folder(pkg))
    [b] = beside(tanks)
    assert [(r.day, r.main, r.other, r.ratio) for r in b.rows] == [
        ("2024-01-02", "12", "8", "1.50 times"),
        ("2024-01-03", "11", "10", "1.10 times"),
        ("2024-01-04", "15", "10", "1.50 times"),
    ]
    [gap] = gaps([tanks])
    assert (gap.day, gap.main, gap.other_figure, gap.ratio_words) == ("2024-01-04", "15", "10", "1.50 times")


def test_the_comparison_page_and_its_files(built: Path) -> None:
    site = built / "site"
    text = _text(site / "compare" / "fixture_tanks.html")
    assert "Fixture tanks lost: claimants side by side" in text
    assert "Compared with fixture tanks lost: Invented: only losses with a photograph" in text
    assert "sum of 2 claims" in text and "1.50 times" in text
    table = list(csv.DictReader(io.StringIO((site / "compare" / "fixture_tanks.csv").read_text(encoding="utf-8-sig"))))
    assert [r["derived_fixture_spotters_sum"] for r in table] == ["", "8", "10", "10", "10"]
    # the same table is a download of the release
    release = built / f"war-claims-{built.name}-compare-fixture_tanks.csv"
    assert release.read_bytes() == (site / "compare" / "fixture_tanks.csv").read_bytes()
    assert (built / f"war-claims-{built.name}-compare-fixture_tanks.schema.json").is_file()
    for metric in ("fixture_tanks", "fixture_spotted_tanks"):  # both metrics link their comparison
        assert 'href="../compare/fixture_tanks.html"' in (site / "metric" / f"{metric}.html").read_text()


def test_the_home_page_says_where_claims_differ(built: Path) -> None:
    home = (built / "site" / "index.html").read_text(encoding="utf-8")
    section = home[home.index('id="differ"') : home.index('id="cite"')]
    row = _text_of(section)
    assert (
        "Fixture tanks lost 2024-01-04 15 Fixture Staff 10 Fixture Spotters: sum computed by war-claims 1.50 times"
        in row
    )


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_page_per_claimant(built: Path) -> None:
    site = built / "site"
    spotters = _text(site / "claimant" / "fixture_spotters.html")
    assert "Fixture Spotters" in spotters and "13 claims in 2 metrics, from 3 sources" in spotters
    assert "2 figures of 2024-01-04" in spotters  # item by item: no one latest figure
    staff = _text(site / "claimant" / "fixture_staff.html")
    assert "Corrections of its own running totals" in staff and "2024-01-03 2024-01-03 fixture_tanks -2" in staff
    assert 'href="claimant/fixture_spotters.html"' in (site / "index.html").read_text()
    claim = next((site / "claim").glob("*.html")).read_text()
    assert 'href="../claimant/' in claim


def _metric_rows(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    table = html[html.index('id="claimant-metrics"') : html.index('id="sources"')]
    return [_text_of(row).strip() for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]


def test_a_claimants_figures_by_metric(built: Path) -> None:
    """Each metric's row: how many figures, the days they span, the latest (linked to its claim),
    or how many share the latest day when the claimant counts item by item; an undated figure
    spans no day; sources with their counts."""
    pages = built / "site" / "claimant"
    assert _metric_rows(pages / "fixture_staff.html") == [
        "Fixture people lost 5 2024-01-01 to 2024-01-05 about 1,600 (2024-01-05)",
        "Fixture robots lost 1 2024-01-05 1 (2024-01-05)",
        "Fixture tanks lost 5 2024-01-01 to 2024-01-05 16 (2024-01-05) beside other claimants",
        "Fixture trucks lost 2 2024-01-01 to 2024-01-02 6 (2024-01-02)",
        "Fixture vehicles lost 3 2024-01-03 to 2024-01-05 11 (2024-01-05)",
    ]
    staff = (pages / "fixture_staff.html").read_text(encoding="utf-8")
    assert 'fixture_tanks__fixture_staff-2024.html#C0020">16 (2024-01-05)</a>' in staff
    assert _metric_rows(pages / "fixture_spotters.html") == [
        "Fixture tanks seen lost 6 2024-01-02 to 2024-01-04 2 figures of 2024-01-04 beside other claimants",
        "Fixture trucks seen lost 7 2024-01-02 to 2024-01-04 2 figures of 2024-01-04",
    ]
    # one dated and one undated figure of a metric; a claimant of an undated figure only
    assert _metric_rows(pages / "fixture_ministry.html") == ["Desertions 2 2024-12-31 at least 50,000 (2024-12-31)"]
    assert _metric_rows(pages / "unattributed.html") == [
        "Desertions 1 no day given",
        "Recruits 1 2024-06-30 between 5,000 and 7,000 (2024-06-30)",
    ]
    sources = _text(pages / "fixture_staff.html")
    assert "S0003 : Fixture losses series: data/personnel.json (Fixture Compiler), 5 figures" in sources
    assert "S0004 : Fixture losses series: data/equipment.json (Fixture Compiler), 11 figures" in sources
    # a source shared by two claimants counts each one's figures on its page
    assert "S0003 : Fixture losses series: data/personnel.json (Fixture Compiler), 2 figures" in _text(
        pages / "fixture_counter.html"
    )
