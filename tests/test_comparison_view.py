"""website/comparison_view.py and the pages built from it: a comparison page per compared metric
and side, a page per claimant, and the home page's "Where claims differ", on the comparison
fixture (the staff's daily tanks beside the spotters' per-model tanks: tests/test_comparison.py),
and on comparisons made here of figures of other ages and shapes."""

from __future__ import annotations

import csv
import io
import math
import re
from html import unescape
from pathlib import Path

import pytest

from toolkit.compare.claimants import STALE_DAYS, Comparison, Member, Series, comparisons
from toolkit.publish.build import build_dist
from toolkit.read.policy import read_folder
from toolkit.website import chart
from toolkit.website.comparison_view import (
    OTHERS,
    beside,
    colours,
    comparison_spec,
    figures_by_day,
    latest,
    spread,
    spreads,
)

from .test_comparison import pkg  # noqa: F401  the package fixture, shared


@pytest.fixture(scope="module")
def built(pkg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    return build_dist(pkg, tmp_path_factory.mktemp("dist")).folder


def _text(path: Path) -> str:
    return _text_of(path.read_text(encoding="utf-8"))


def _text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _series(key: str, days: list[str], values: list[float], **more: object) -> Series:
    n = len(days)
    stated = {
        "stated": values,
        "lows": [math.nan] * n,
        "highs": [math.nan] * n,
        "qualifiers": ["exact"] * n,
        "wordings": [str(int(v)) for v in values],
        "doubts": [""] * n,
    }
    base = {
        "key": key,
        "claimant_id": key,
        "claimant_name": key.title(),
        "metrics": ["m"],
        "derived": False,
        "days": days,
        "values": values,
        "claims": [[f"C{key[:1].upper()}{i:04d}"] for i in range(n)],
    }
    return Series(**{**base, **stated, **more})  # type: ignore[arg-type]


def _comparison(*series: Series) -> Comparison:
    member = Member(metric_id="m", label="Killed", definition="", comparison="")
    return Comparison(
        metric_id="m", label="Killed", unit="person", members=[member], series=list(series), side="russia"
    )


DAILY = [f"2026-01-{d:02d}" for d in range(1, 11)]


def test_a_figure_older_than_the_limit_is_never_set_against_a_current_one() -> None:
    """Who says what today: every claimant's latest figure with its age; the spread in words is
    of the current ones only, the old ones named apart; a pair whose main figure is old has no
    ratio, and the home page's "where claims differ" leaves it out."""
    staff = _series("staff", DAILY, [float(100 + d) for d in range(10)])
    recent = _series("recent", ["2025-12-20"], [150.0])
    old = _series("old", ["2025-01-01"], [40.0])
    c = _comparison(staff, recent, old)
    rows = latest(c)
    assert [(r.series.key, r.day, r.age, r.old) for r in rows] == [
        ("staff", "2026-01-10", 0, False),
        ("recent", "2025-12-20", 21, False),
        ("old", "2025-01-01", 374, True),
    ]
    s = spread(c)
    assert s is not None and [r.series.key for r in s.current] == ["staff", "recent"]
    assert (s.lowest.series.key, s.highest.series.key) == ("staff", "recent")
    assert s.ratio == pytest.approx(150 / 109)
    assert "1 claimant' latest figures are older than that" in s.words()
    assert "40" not in s.words()  # the old figure is not set against them
    # the old claimant's pair: the staff had no figure yet; the recent one's: 20 days earlier, a ratio
    pairs = {b.series.key: b.rows for b in beside(c)}
    assert [(r.main, r.ratio, r.old) for r in pairs["old"]] == [("none yet", "", False)]
    late = _comparison(_series("staff", ["2024-01-01", "2026-01-10"], [10.0, 20.0]), recent)
    [row] = beside(late)[0].rows
    assert row.old and row.ratio == "" and row.main == "10 (of 2024-01-01, 719 days earlier)"
    # the widest spread first: 150 beside the staff's latest 20 (7.5 times), then 150 beside 109
    assert [(x.comparison, round(x.ratio or 0, 2)) for x in spreads([c, late])] == [(late, 7.5), (c, 1.38)]


def test_where_claims_differ_today_leaves_out_a_comparison_that_stopped_long_ago() -> None:
    """Motor vehicles were counted to April 2022: their two claimants' figures of that spring are
    current beside each other (the comparison's page says how far apart), but say nothing of today."""
    today = _comparison(_series("staff", DAILY, [float(d) for d in range(1, 11)]), _series("b", ["2026-01-09"], [9.0]))
    stopped = _comparison(
        _series("staff", [f"2022-04-{d:02d}" for d in range(1, 11)], [float(d) for d in range(1, 11)]),
        _series("a", ["2022-02-26"], [1.0]),
    )
    assert spread(stopped) is not None
    assert [s.comparison for s in spreads([stopped, today])] == [today]


def test_two_claimants_whose_latest_are_old_make_no_spread() -> None:
    staff = _series("staff", DAILY, [float(d) for d in range(1, 11)])
    old = _series("old", ["2025-06-01"], [5.0])
    assert spread(_comparison(staff, old)) is None
    assert STALE_DAYS == 90


def test_a_range_is_drawn_as_a_bar_and_an_open_bound_points_the_open_way() -> None:
    staff = _series("staff", DAILY, [float(100 + d) for d in range(10)])
    ranged = _series(
        "ranged",
        ["2025-12-01", "2026-01-05"],
        [150.0, 200.0],
        stated=[math.nan, 200.0],
        lows=[100.0, 200.0],
        highs=[200.0, math.nan],
        qualifiers=["range", "at_least"],
        wordings=["between 100 and 200", "at least 200"],
        doubts=["", "Its reference is of another day."],
        party=True,
    )
    spec = comparison_spec(_comparison(staff, ranged), credit="Source: test")
    points = [v for v in spec["data"]["values"] if v["s"] == 1]
    assert [(v["shape"], v.get("low"), v.get("high"), v.get("doubt", "")) for v in points] == [
        ("range (its middle; the bar is the range)", 100.0, 200.0, ""),
        ("at least (open above)", None, None, "Its reference is of another day."),
    ]
    names = [layer["name"] for layer in spec["layer"]]
    assert names == ["lines", "ranges", "points", "doubts", "labels"]
    [ranges] = [layer for layer in spec["layer"] if layer["name"] == "ranges"]
    assert ranges["encoding"]["y"]["field"] == "low" and ranges["encoding"]["y2"]["field"] == "high"
    # the title says whose losses, the subtitle what the marks mean and where the chart comes from
    assert spec["title"]["text"] == "Killed, Russia's forces: claimants side by side"
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Whose losses: Russia's forces" in subtitle and "▲ at least" in subtitle and "Source: test" in subtitle
    assert "hollow" in subtitle and "? marks a figure whose date the evidence doubts" in subtitle
    assert spec["width"] == "container"  # the chart fits its page, a phone's too


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_colour_of_a_mark_has_a_contrast_of_3_to_1_on_the_page() -> None:
    """WCAG 2.1, 1.4.11: a graphical object needs 3:1 against its background (white)."""
    for colour in (*chart.PALETTE, chart.GREY):
        assert (1.05) / (_luminance(colour) + 0.05) >= 3, colour


def test_a_handful_of_claimants_get_a_colour_and_a_label_the_rest_are_grey() -> None:
    many = [_series(f"c{i}", [f"2026-01-{i + 1:02d}"], [float(i + 1)]) for i in range(8)]
    staff = _series("staff", DAILY, [float(100 + d) for d in range(10)])
    c = _comparison(staff, *many)
    paint = colours(c)
    assert paint["staff"] == chart.PALETTE[0]  # the main series first
    coloured = [k for k, v in paint.items() if v != chart.GREY]
    assert set(coloured) == {"staff", "c4", "c5", "c6", "c7"}  # the main series, then the newest figures
    spec = comparison_spec(c)
    info = spec["transform"][0]["from"]["data"]["values"]
    assert sum(i["colour"] == OTHERS for i in info) == 9 - len(chart.PALETTE)
    [labels] = [layer for layer in spec["layer"] if layer["name"] == "labels"]
    assert labels["transform"][0] == {"filter": f"datum.latest && datum.colour != '{OTHERS}'"}


def test_the_chart_draws_the_daily_series_as_a_line_and_the_sum_as_squares(pkg: Path) -> None:  # noqa: F811
    [tanks] = comparisons(read_folder(pkg))
    assert tanks.side == "russia" and tanks.main.daily and not tanks.series[1].daily
    spec = comparison_spec(tanks)
    info = spec["transform"][0]["from"]["data"]["values"]
    assert [(i["series"], i["line"]) for i in info] == [
        ("Fixture Staff", 1),
        ("Fixture Spotters: sum computed by war-claims", 0),
    ]
    sums = [v for v in spec["data"]["values"] if v["s"] == 1]
    assert [(v["date"], v["figure"], v["href"], v["shape"]) for v in sums] == [
        ("2024-01-02", 8, "", "sum computed by war-claims"),  # a sum has no claim page of its own
        ("2024-01-03", 10, "", "sum computed by war-claims"),
        ("2024-01-04", 10, "", "sum computed by war-claims"),
    ]
    line = [v for v in spec["data"]["values"] if v["s"] == 0]
    assert line[0]["href"] == "../claim/C0007.html" and len(line) == 5 and "shape" not in line[0]


def test_the_pairs_say_when_the_main_figure_is_an_earlier_days(pkg: Path) -> None:  # noqa: F811
    [tanks] = comparisons(read_folder(pkg))
    [b] = beside(tanks)
    assert [(r.day, r.main, r.other, r.ratio) for r in b.rows] == [
        ("2024-01-02", "12", "8", "1.50 times"),
        ("2024-01-03", "11", "10", "1.10 times"),
        ("2024-01-04", "15", "10", "1.50 times"),
    ]
    assert figures_by_day(tanks) == []  # a daily line and a computed sum: no figure listed one by one


def test_the_comparison_page_and_its_files(built: Path) -> None:
    site = built / "site"
    text = _text(site / "compare" / "fixture_tanks.html")
    assert "Fixture tanks lost: claimants side by side Russia's forces" in text
    assert "Whose losses: Russia's forces" in text
    assert "Compared with fixture tanks lost: Invented: only losses with a photograph" in text
    assert "sum of 2 claims" in text and "1.50 times" in text
    # who says what today: each claimant's latest figure, its age, and the spread in words
    html = (site / "compare" / "fixture_tanks.html").read_text(encoding="utf-8")
    table = html[html.index('id="latest-table"') : html.index("</table>", html.index('id="latest-table"'))]
    rows = [_text_of(r).strip() for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table)[1:]]
    assert rows[0].startswith("Fixture Staff (daily series) 16 exact") and "the newest" in rows[0]
    assert rows[1].startswith("Fixture Spotters: sum computed by war-claims 10 sum") and "1 day older" in rows[1]
    assert "run from 10 (Fixture Spotters: sum computed by war-claims, 2024-01-04) to 16" in text
    long = list(csv.DictReader(io.StringIO((site / "compare" / "fixture_tanks.csv").read_text(encoding="utf-8"))))
    assert [r["value"] for r in long if r["derived"] == "yes"] == ["8", "10", "10"]
    assert {r["side"] for r in long} == {"russia"}
    # the same files are downloads of the release
    for suffix in (".csv", ".schema.json", "-wide.csv", "-wide.schema.json"):
        release = built / f"war-claims-{built.name}-compare-fixture_tanks{suffix}"
        assert release.read_bytes() == (site / "compare" / f"fixture_tanks{suffix}").read_bytes(), suffix
    for metric in ("fixture_tanks", "fixture_spotted_tanks"):  # both metrics link their comparison
        assert 'href="../compare/fixture_tanks.html"' in (site / "metric" / f"{metric}.html").read_text()


def test_the_home_page_says_where_claims_differ(built: Path) -> None:
    home = (built / "site" / "index.html").read_text(encoding="utf-8")
    section = home[home.index('id="differ"') : home.index('id="cite"')]
    assert (
        "Fixture tanks lost , Russia's forces 2024-01-05 10 Fixture Spotters: sum computed by war-claims, 2024-01-04 "
        "16 Fixture Staff, 2024-01-05 1.60 times 0" in _text_of(section)
    )


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


def test_a_claimants_figures_by_metric_say_whose_losses_they_count(built: Path) -> None:
    """Each metric's row: whose losses, how many figures, the days they span, the latest (linked
    to its claim), or how many share the latest day when the claimant counts item by item; an
    undated figure spans no day; sources with their counts."""
    pages = built / "site" / "claimant"
    assert _metric_rows(pages / "fixture_staff.html") == [
        "Fixture people lost Russia's forces 5 2024-01-01 to 2024-01-05 about 1,600 (2024-01-05)",
        "Fixture robots lost Russia's forces 1 2024-01-05 1 (2024-01-05)",
        "Fixture tanks lost Russia's forces 5 2024-01-01 to 2024-01-05 16 (2024-01-05) beside other claimants",
        "Fixture trucks lost Russia's forces 2 2024-01-01 to 2024-01-02 6 (2024-01-02)",
        "Fixture vehicles lost Russia's forces 3 2024-01-03 to 2024-01-05 11 (2024-01-05)",
    ]
    staff = (pages / "fixture_staff.html").read_text(encoding="utf-8")
    assert 'fixture_tanks__fixture_staff-2024.html#C0020">16 (2024-01-05)</a>' in staff
    assert _metric_rows(pages / "fixture_spotters.html") == [
        "Fixture tanks seen lost Russia's forces 6 2024-01-02 to 2024-01-04 2 figures of 2024-01-04 "
        "beside other claimants",
        "Fixture trucks seen lost Russia's forces 7 2024-01-02 to 2024-01-04 2 figures of 2024-01-04",
    ]
    # one dated and one undated figure of a metric (whose losses not given); an undated figure only
    assert _metric_rows(pages / "fixture_ministry.html") == [
        "Desertions not given 2 2024-12-31 at least 50,000 (2024-12-31)"
    ]
    assert _metric_rows(pages / "unattributed.html") == [
        "Desertions not given 1 no day given",
        "Recruits not given 1 2024-06-30 between 5,000 and 7,000 (2024-06-30)",
    ]
    sources = _text(pages / "fixture_staff.html")
    assert "S0003 : Fixture losses series: data/personnel.json (Fixture Compiler), 5 figures" in sources
    assert "S0004 : Fixture losses series: data/equipment.json (Fixture Compiler), 11 figures" in sources
    # a source shared by two claimants counts each one's figures on its page
    assert "S0003 : Fixture losses series: data/personnel.json (Fixture Compiler), 2 figures" in _text(
        pages / "fixture_counter.html"
    )
