"""website/series_site.py and the series pages: a series and a year a page, each claim ID an
anchor; claim pages only for figures with a quote; one lookup from any claim ID to its address;
a site whose file count grows with series and document figures, not with the days of a series."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from toolkit.publish.build import build_dist
from toolkit.upstream.series_import import import_snapshot
from toolkit.website.series_site import lookup_js, upstream_of

from .conftest import UPSTREAM, series_package

TODAY = dt.date(2026, 11, 25)
SERIES = str(UPSTREAM / "fixture-series.toml")
A = "a" * 40


def decode(lookup: str) -> dict[str, str]:
    """claim/lookup.js read back as the site's assets/lookup.js reads it."""
    data = json.loads(lookup[lookup.index("{") : lookup.rindex("}") + 1])
    out = dict(data["other"])
    for page_index, *deltas in data["ids"]:
        page, n = data["pages"][page_index], 0
        for delta in deltas:
            n += delta
            cid = f"C{n:04d}"
            out[cid] = page if page.startswith("claim/") else f"{page}#{cid}"
    return out


def _days_snapshot(tmp_path: Path, days: int) -> Path:
    """The fixture series' layout with `days` days of 2024, a running total rising a day each."""
    folder = tmp_path / f"days-{days}"
    shutil.copytree(UPSTREAM / "snap-a", folder)
    start = dt.date(2024, 1, 1)
    people = [
        {"date": (start + dt.timedelta(d)).isoformat(), "day": d + 2, "people": 1000 + 10 * d, "people*": "about"}
        for d in range(days)
    ]
    equipment = [{"date": (start + dt.timedelta(d)).isoformat(), "day": d + 2, "tanks": 10 + d} for d in range(days)]
    (folder / "data/personnel.json").write_text(json.dumps(people))
    (folder / "data/equipment.json").write_text(json.dumps(equipment))
    (folder / "data/corrections.json").write_text("[]")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("series-site")
    pkg = series_package(tmp / "pkg")
    import_snapshot(pkg, SERIES, UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    return build_dist(pkg, tmp / "dist").folder / "site"


def test_a_series_figure_is_a_row_of_its_years_page(built: Path) -> None:
    page = built / "series" / "fixture-series__fixture_tanks__fixture_staff-2024.html"
    html = page.read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="(C[0-9]+)"', html)
    assert len(rows) == 5  # the five days of snap-b, newest first
    days = re.findall(r'<tr id="C[0-9]+"[^>]*><td><a href="#C[0-9]+">C[0-9]+</a><td>([0-9-]+)', html)
    assert days == ["2024-01-05", "2024-01-04", "2024-01-03", "2024-01-02", "2024-01-01"]
    # the day the staff corrected its tanks: the correction stands in that day's row
    row = html[html.index(f'<tr id="{rows[2]}"') :].split("</tr>")[0]
    assert "-2 (its total corrected)" in row and "/2/tanks" in row
    assert 'id="as-of"' in html  # what the day of a daily report means
    for rel in (
        "series/fixture-series__fixture_tanks__fixture_staff.csv",
        "series/fixture-series__fixture_tanks__fixture_staff.json",
    ):
        assert (built / rel).is_file()
    doc = json.loads((built / "series/fixture-series__fixture_tanks__fixture_staff.json").read_text())
    assert doc["format"] == "war-claims-series" and doc["series"]["claimant_id"] == "fixture_staff"
    assert len(doc["figures"]["rows"]) == 5 and doc["figures"]["columns"][0] == "claim_id"


def test_only_figures_with_a_quote_have_a_page_of_their_own(built: Path) -> None:
    pages = {p.stem for p in (built / "claim").glob("C*.html")}
    assert pages == {"C0001", "C0002", "C0003", "C0004"}  # the good fixture's article figures
    assert not list((built / "claim").glob("C0005.json"))  # a series figure: its series' files hold it


def test_every_claim_id_resolves_to_a_page_that_shows_it(built: Path) -> None:
    address = decode((built / "claim" / "lookup.js").read_text(encoding="utf-8"))
    ids = re.findall(r"^(C[0-9]{4,}),", (built.parent.parent.parent / "pkg" / "data" / "claims.csv").read_text(), re.M)
    assert sorted(address) == sorted(ids) and len(ids) == 4 + 18
    for cid, at in address.items():
        page, _, anchor = at.partition("#")
        html = (built / page).read_text(encoding="utf-8")
        assert (anchor == cid and f'id="{cid}"' in html) or (not anchor and page == f"claim/{cid}.html"), cid


def test_the_lookup_is_compact_and_exact() -> None:
    address = {
        "C0001": "claim/C0001.html",
        "C0007": "series/x-2024.html#C0007",
        "C0020": "series/x-2024.html#C0020",
        "C0033": "series/x-2025.html#C0033",
        "C12345": "series/y-2026.html#C12345",
        "C07": "series/x-2024.html#C07",  # not minted so: listed whole
    }
    js = lookup_js(address)
    data = json.loads(js[js.index("{") : js.rindex("}") + 1])
    assert data["pages"] == ["claim/C0001.html", "series/x-2024.html", "series/x-2025.html", "series/y-2026.html"]
    assert data["ids"] == [[0, 1], [1, 7, 13], [2, 33], [3, 12345]]  # numbers as differences
    assert data["other"] == {"C07": "series/x-2024.html#C07"}
    assert decode(js) == address


def test_the_upstream_of_a_data_file() -> None:
    assert upstream_of("seeds/oryx/acb70f55cdca/data/x.json") == "oryx"
    assert upstream_of("seeds/S0001.txt") == "" and upstream_of("") == ""


def test_the_file_count_grows_with_series_not_with_their_days(tmp_path: Path) -> None:
    counts = {}
    for days in (5, 60):
        pkg = series_package(tmp_path / f"pkg-{days}")
        import_snapshot(pkg, SERIES, _days_snapshot(tmp_path, days), commit=A, today=TODAY)
        site = build_dist(pkg, tmp_path / f"dist-{days}", site=True).folder / "site"
        counts[days] = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert len(counts[60]) == len(counts[5])
    assert counts[60] == counts[5]  # the same files: twelve times the days, not a file more


def test_a_day_two_compilations_give_otherwise_is_said_on_both_rows_and_shipped(tmp_path: Path) -> None:
    """The fixture staff's reports as two datasets compile them (snap-b, and newest-b with the tanks
    of 2024-01-02 given as 11 where snap-b gives 12, and two days more): both series pages say it on that day's row,
    naming the other claim, and the release ships the day in its table of disagreements."""
    import csv

    pkg = series_package(tmp_path / "pkg")
    import_snapshot(pkg, SERIES, UPSTREAM / "snap-b", commit="b" * 40, today=TODAY)
    newest = str(UPSTREAM / "fixture-newest.toml")
    import_snapshot(pkg, newest, UPSTREAM / "newest-b", commit="d" * 40, commit_date="2024-01-04", today=TODAY)
    claims = list(csv.DictReader((pkg / "data/claims.csv").open(encoding="utf-8")))
    [first, second] = [r for r in claims if (r["period_end"], r["metric_id"]) == ("2024-01-02", "fixture_tanks")]
    dist = build_dist(pkg, tmp_path / "dist").folder
    site = dist / "site" / "series"
    first_row = re.search(
        f'<tr id="{first["claim_id"]}".*?</tr>',
        (site / "fixture-series__fixture_tanks__fixture_staff-2024.html").read_text(),
    )
    second_row = re.search(
        f'<tr id="{second["claim_id"]}".*?</tr>',
        (site / "fixture-newest__fixture_tanks__fixture_staff-2024.html").read_text(),
    )
    assert (
        first_row
        and f"Reporters disagree:</strong> {second['claim_id']} (fixture-newest) gives 11 that day."
        in first_row.group(0)
    )
    assert (
        second_row
        and f"Reporters disagree:</strong> {first['claim_id']} (fixture-series) gives 12 that day."
        in second_row.group(0)
    )
    [shipped] = dist.glob("war-claims-*-reporters-disagree.csv")
    rows = list(csv.DictReader(shipped.open(encoding="utf-8")))
    tanks = [r for r in rows if r["metric_id"] == "fixture_tanks"]
    # snap-b's tanks 10, 12, 11, 15 against newest-b's 10, 11, 12, 13: three days of four differ
    assert [(r["day"], r["value"], r["other_value"]) for r in tanks] == [
        ("2024-01-02", "12", "11"),
        ("2024-01-03", "11", "12"),
        ("2024-01-04", "15", "13"),
    ]
    assert (tanks[0]["claim_id"], tanks[0]["other_claim_id"]) == (first["claim_id"], second["claim_id"])
    from frictionless import Resource

    schema = shipped.with_name(shipped.name.replace(".csv", ".schema.json"))
    report = Resource(str(shipped.name), schema=str(schema.name), basepath=str(dist)).validate()
    assert report.valid, report.flatten(["type", "note"])
