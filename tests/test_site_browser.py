"""The built site in a real browser: headless Chromium (Debian's package) driven by Playwright.

Pages are opened from disk (file://), as a journalist opens a downloaded release; the browser may
reach no other host. Screenshots of each page are saved in test-artifacts/screenshots/ for a
person to look at. Without Chromium or Playwright the tests skip, except where
CLAIMS_REQUIRE_BROWSER is set (.ci/run sets it, after installing Chromium), where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.publish.build import build_dist

from .conftest import FIXTURES, ROOT, make_package

SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    for candidate in (os.environ.get("CLAIMS_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _unavailable(why: str) -> None:
    if os.environ.get("CLAIMS_REQUIRE_BROWSER"):
        pytest.fail(f"browser tests required but {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Page:
    """A browser page that records console errors, uncaught exceptions, dialogs and any request
    that leaves file://."""

    def __init__(self, browser: Any) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        # blob: and data: are made in the page (a chart saved as an image); anything else leaves it
        local = ("file://", "blob:", "data:")
        self.page.on("request", lambda r: None if r.url.startswith(local) else self.requests.append(r.url))

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def clean(self) -> bool:
        return not self.errors and not self.dialogs and not self.requests

    def shot(self, name: str, full_page: bool = True) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    return build_dist(make_package(tmp / "pkg"), tmp / "dist").folder / "site"


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    p = Page(browser)
    yield p
    p.page.close()


def _visible_rows(pg: Any) -> int:
    return pg.eval_on_selector_all("#figures tbody tr", "rows => rows.filter(r => !r.hidden).length")


def test_the_home_page_searches_every_claim(page: Page, fixture_site: Path) -> None:
    pg = page.open(fixture_site / "index.html")
    pg.fill("#claim-search", "fixture ministry")
    pg.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    assert pg.locator("#search-results li").count() == 2  # C0001 and C0002 are the ministry's
    # two metrics (desertions, recruits) and four figures with pages: an honest count of what is searched
    assert pg.inner_text("#search-status") == "2 of 6 entries match (2 metrics, 4 figures with a page of their own)."
    pg.fill("#claim-search", "C0004")
    pg.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
    assert pg.get_attribute("#search-results li a", "href") == "claim/C0004.html"
    page.shot("fixture-home")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_a_metric_page_draws_one_mark_per_figure_and_filters_its_table(page: Page, fixture_site: Path) -> None:
    pg = page.open(fixture_site / "metric" / "desertions.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    rows = pg.locator("#figures tbody tr").count()
    assert rows == 3
    # one mark per figure: C0001 on the day it is for, C0002 and C0003 (no day) in the undated column
    assert pg.locator("svg g.figures_marks path").count() == 1
    assert pg.locator("svg g.undated_figures_marks path").count() == 2
    intervals = "svg g.intervals_marks line, svg g.undated_intervals_marks line"
    assert pg.locator(intervals).count() == 3  # each has bounds
    assert pg.locator("#undated li").count() == 2 and "C0002" in pg.inner_text("#undated")
    pg.hover("svg g.figures_marks path >> nth=0")
    pg.wait_for_selector("#vg-tooltip-element.visible")
    tip = pg.inner_text("#vg-tooltip-element")
    assert "C000" in tip and "Claimant" in tip and "Reported by" in tip
    page.shot("fixture-metric")
    pg.fill("#figure-filter", "one million")
    assert _visible_rows(pg) == 1 and pg.inner_text("#figures-status") == "1 of 3 figures shown."
    pg.fill("#figure-filter", "")
    assert _visible_rows(pg) == 3
    pg.click("#figures th:nth-child(3) button")  # sort by value, ascending
    first = pg.inner_text("#figures tbody tr:first-child td:first-child")
    pg.click("#figures th:nth-child(3) button")  # then descending
    assert (first, pg.inner_text("#figures tbody tr:first-child td:first-child")) == ("C0003", "C0002")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_a_filter_lives_in_the_address_and_survives_back(page: Page, fixture_site: Path, browser: Any) -> None:
    pg = page.open(fixture_site / "metric" / "desertions.html")
    pg.fill("#figure-filter", "one million")
    assert _visible_rows(pg) == 1
    assert pg.url.endswith("desertions.html?q=one+million")
    link = pg.url
    # a link opens the same view
    other = Page(browser)
    opened = other.open(Path("/"))  # any file: URL, then the copied link
    opened.goto(link)
    opened.wait_for_load_state("load")
    assert opened.input_value("#figure-filter") == "one million" and _visible_rows(opened) == 1
    assert opened.inner_text("#figures-status") == "1 of 3 figures shown."
    assert other.clean(), (other.errors, other.requests)
    other.page.close()
    # away to a claim and back: the filtered view again
    pg.click("#figures tbody tr:not([hidden]) td:first-child a")
    pg.wait_for_url("**/claim/C0002.html")
    pg.go_back()
    pg.wait_for_url("**/desertions.html?q=one+million")
    pg.wait_for_function("document.getElementById('figure-filter').value === 'one million'")
    assert _visible_rows(pg) == 1
    # emptied, the address loses its query
    pg.fill("#figure-filter", "")
    assert pg.url.endswith("desertions.html") and _visible_rows(pg) == 3
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_the_home_search_lives_in_the_address(page: Page, fixture_site: Path) -> None:
    pg = page.open(fixture_site / "index.html")
    pg.fill("#claim-search", "C0004")
    pg.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
    assert pg.url.endswith("index.html?q=C0004")
    pg.goto((fixture_site / "index.html").as_uri() + "?q=fixture%20ministry")
    pg.wait_for_function("document.querySelectorAll('#search-results li').length === 2")
    assert pg.input_value("#claim-search") == "fixture ministry"
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def _export(pg: Any, label: str) -> Any:
    """vega-embed makes the image when the pointer goes down on its link (a blob: or data: URL,
    nothing fetched), and the click saves it: the same two steps a reader's click makes."""
    link = f"#chart .vega-actions a:has-text('{label}')"
    pg.eval_on_selector("#chart details", "d => { d.open = true; }")  # the menu, opened
    pg.dispatch_event(link, "mousedown")
    pg.wait_for_function(
        "label => [...document.querySelectorAll('#chart .vega-actions a')]"
        ".some(a => a.textContent === label && /^(blob|data):/.test(a.href))",
        arg=label,
    )
    with pg.expect_download() as download:
        pg.click(link)
    return download.value


def test_the_chart_exports_svg_and_png_without_leaving_the_page(page: Page, fixture_site: Path) -> None:
    pg = page.open(fixture_site / "metric" / "desertions.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    pg.click("#chart details summary")
    items = pg.locator("#chart .vega-actions a")
    assert sorted(items.all_inner_texts()) == ["Save as PNG", "Save as SVG"]
    svg = _export(pg, "Save as SVG")
    assert svg.suggested_filename == "war-claims-0.1.0-desertions.svg"
    assert Path(svg.path()).read_text(encoding="utf-8").lstrip().startswith("<svg")
    png = _export(pg, "Save as PNG")
    assert png.suggested_filename == "war-claims-0.1.0-desertions.png"
    assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_a_claim_page_marks_its_quote_in_the_source_text(page: Page, fixture_site: Path) -> None:
    pg = page.open(fixture_site / "claim" / "C0001.html")
    mark = pg.locator("#context mark")
    assert mark.count() == 1
    assert (
        mark.inner_text()
        == "The fixture army has suffered at least 50,000 desertions since 2022, according to fixture records."
    )
    assert (
        pg.evaluate("getComputedStyle(document.querySelector('#context mark')).backgroundColor") != "rgba(0, 0, 0, 0)"
    )
    assert pg.inner_text("#cite-line") == "war-claims C0001 (v0.1.0)"
    page.shot("fixture-claim")
    pg = page.open(fixture_site / "source" / "S0001.html")
    assert pg.locator(".seed-text mark").count() == 3
    assert pg.get_attribute("#q-C0002", "title") == "C0002"
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_hostile_text_never_runs(page: Page, tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", FIXTURES / "site" / "hostile")
    site = build_dist(pkg, tmp_path / "dist").folder / "site"
    for rel in (
        "index.html",
        "claim/C0004.html",
        "source/S0002.html",
        "metric/recruits.html",
        "metric/desertions.html",
    ):
        pg = page.open(site / rel)
        if rel.startswith("metric/"):
            pg.wait_for_selector("#chart[data-drawn=true]")
            pg.hover("svg g.figures_marks path >> nth=0")
            pg.wait_for_selector("#vg-tooltip-element.visible")
            assert "<" not in pg.eval_on_selector(
                "#vg-tooltip-element", "e => e.innerHTML.replace(/<\\/?[a-z]+[^>]*>/g, '')"
            )
        if rel == "index.html":
            pg.fill("#claim-search", "recruits")
            pg.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        assert pg.locator("img, svg[onload], b[onmouseover]").count() == 0, rel
    assert "&quot;&gt;&lt;img" not in pg.content()  # not double-escaped either: shown as written
    page.open(site / "claim" / "C0004.html")
    assert '"><img src=x onerror=alert(1)>' in page.page.inner_text("#context mark")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's site, built once for the tests that open it."""
    return build_dist(ROOT, tmp_path_factory.mktemp("real") / "dist").folder / "site"


def test_the_real_package_in_the_browser(page: Page, real_site: Path) -> None:
    """This repository's site, opened page by page, with the screenshots the README shows."""
    site = real_site
    _every_claim_resolves(site)
    pg = page.open(site / "index.html")
    metric = pg.get_attribute("#metrics tbody tr:first-child a", "href")
    # the second compilation of the General Staff's reports runs to 2026-08-22, past the first's 2026-08-08
    assert pg.inner_text("#latest-lead").startswith("As of 2026-08-22, General Staff of the Armed Forces of Ukraine")
    assert "about 1,475,270" in pg.inner_text("#latest-lead")
    page.shot("home", full_page=False)
    pg = page.open(site / "metric" / "killed_or_wounded.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    # a panel per side. Russia's: the General Staff's series as a line of 1,638 days (the first
    # compilation's 1,624, then the second's 14 days to 2026-08-22; the days both give, drawn once); as points, the
    # UK Ministry of Defence's 42 monthly estimates (figures a month apart are never joined), the
    # Ministry of Defence of Ukraine's first two days, the four dated figures of the articles and the
    # other estimates of the table; Ukraine's: the table's estimates of Ukraine's losses. The
    # articles' undated C0002 and C24215 beside the axis
    assert pg.locator("svg g.series_marks path").count() == 1
    assert pg.locator("svg g.series_days_marks path").count() == 1638
    assert pg.locator("svg g.figures_marks path").count() == 42 + 2 + 4 + 24 + 8
    assert pg.locator("svg g.undated_figures_marks path").count() == 2
    assert "C0002" in pg.inner_text("#undated") and "C24215" in pg.inner_text("#undated")
    svg_text = pg.inner_text("#chart")
    assert "Russia's forces" in svg_text and "Ukraine's forces" in svg_text  # each panel says whose losses
    page.shot("metric-personnel", full_page=False)
    pg = page.open(site / metric)
    pg.wait_for_selector("#chart[data-drawn=true]")
    page.shot("metric")
    pg = page.open(site / "claim" / "C0001.html")
    assert pg.locator("#context mark").count() == 1
    page.shot("claim")
    page.open(site / "source" / "S0001.html")
    page.shot("source")
    # tanks: the General Staff's daily line, Oryx's six sums as squares, the Ministry's first two days
    pg = page.open(site / "compare" / "tank_losses.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    assert pg.locator("svg g.line_marks path").count() == 1
    assert pg.locator("svg g.party_points_marks path").count() == 2  # the Ministry of Defence of Ukraine's
    assert pg.locator("svg g.figure_points_marks path").count() == 6  # Oryx's sums
    assert "Oryx (oryxspioenkop.com): sum computed by war-claims: 1,673" in pg.inner_text("#chart")  # its label
    rows = pg.locator("#pairs-table-oryx_sum tbody tr")
    assert rows.count() == 6 and rows.nth(5).inner_text().split("\t")[:4] == ["2023-02-05", "3,220", "C4574", "1,673"]
    # Oryx's latest figure is old beside the General Staff's: said in the table of who says what today
    oryx = pg.locator("#latest-table tbody tr:has-text('Oryx')")
    assert "2023-02-05" in oryx.inner_text() and "old" in oryx.inner_text()
    pg.hover("svg g.figure_points_marks path >> nth=5")
    pg.wait_for_selector("#vg-tooltip-element.visible")
    assert "sum computed by war-claims" in pg.inner_text("#vg-tooltip-element")
    page.shot("compare-tanks", full_page=False)
    pg = page.open(site / "claimant" / "oryx.html")
    assert "1,819 claims in 27 metrics, from 6 sources" in pg.inner_text("main")
    assert pg.locator("#claimant-metrics tbody tr").count() == 27
    assert pg.locator('#claimant-metrics tbody tr:has-text("Russia\'s forces")').count() == 27  # whose losses
    page.shot("claimant-oryx", full_page=False)
    pg = page.open(site / "index.html")
    # one row per comparison with two current figures or more: killed or wounded and killed, Russia's forces
    assert pg.locator("#differ-table tbody tr").count() == 2
    assert all("Russia's forces" in row for row in pg.locator("#differ-table tbody tr").all_inner_texts())
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_one_sides_losses_are_never_set_beside_the_others_unmarked(page: Page, real_site: Path) -> None:
    """The killed of Russia's forces and of Ukraine's: a comparison each, its chart titled with
    whose losses, every row of its table the same side; the metric's chart a panel per side."""
    for key, whose, other in (
        ("killed", "Russia's forces", "killed-ukraine"),
        ("killed-ukraine", "Ukraine's forces", "killed"),
    ):
        pg = page.open(real_site / "compare" / f"{key}.html")
        pg.wait_for_selector("#chart[data-drawn=true]")
        assert pg.inner_text("#whose") == whose
        assert f"Killed, {whose}: claimants side by side" in pg.inner_text("#chart")
        assert set(pg.locator("#latest-table tbody tr td:nth-child(8)").all_inner_texts()) == {whose}
        assert pg.locator(f"a[href='{other}.html']").count() == 1  # the other side's, apart
    # Ukraine's losses: the table's estimates beside the lists of the named dead, each with its figure
    pg = page.open(real_site / "compare" / "killed-ukraine.html")
    names = pg.locator("#latest-table tbody tr td:first-child").all_inner_texts()
    assert "UAlosses" in names and "The Memory Book" in names and len(names) == 9
    page.shot("compare-killed-ukraine", full_page=False)
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_who_says_what_today_is_one_table_a_reader_can_sort(page: Page, real_site: Path) -> None:
    pg = page.open(real_site / "compare" / "killed_or_wounded.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    rows = pg.locator("#latest-table tbody tr")
    assert rows.count() == 19  # every claimant of Russia's killed or wounded, its latest figure each
    first = rows.nth(0).inner_text().split("\t")
    assert first[0].startswith("General Staff of the Armed Forces of Ukraine") and first[5] == "2026-08-22"
    assert first[6].startswith("the newest")
    # a range keeps its bounds, a party is said, an old figure is marked and never in the spread
    nato = rows.filter(has_text="NATO officials").inner_text().split("\t")
    assert (
        nato[1] == "between 1,300,000 and 1,400,000" and nato[2] == "range" and nato[3:5] == ["1,300,000", "1,400,000"]
    )
    assert "yes" in rows.filter(has_text="Armed Forces of Ukraine").first.inner_text()
    spread = pg.inner_text("#spread")
    assert "from between 1,300,000 and 1,400,000 (NATO officials, 2026-06-17)" in spread
    assert "16 claimants' latest figures are older than that" in spread
    assert "Mediazona" not in spread
    page.shot("compare-killed-or-wounded", full_page=False)
    pg.locator("figure.chart").screenshot(path=str(SHOTS / "compare-killed-or-wounded-chart.png"))
    pg.click("#latest-table th:nth-child(7) button")  # by age, the oldest first after a second click
    pg.click("#latest-table th:nth-child(7) button")
    assert "Ministry of Defence of Ukraine" in rows.nth(0).inner_text()  # its figure of 2022-02-26
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, real_site: Path) -> None:
    """At 390 px wide: a table may scroll in its own box, the page never does."""
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for rel in (
            "index.html",
            "compare/killed_or_wounded.html",
            "metric/killed_or_wounded.html",
            "claim/C0001.html",
            "claimant/uk_mod.html",
            "source/S0017.html",
            "series/ua-general-staff__tank_losses__ua_general_staff-2024.html",
        ):
            phone.goto((real_site / rel).as_uri())
            if rel.startswith(("compare/", "metric/")):
                phone.wait_for_selector("#chart[data-drawn=true]")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, rel
        # the comparison's chart fits the phone: the last years are on screen, not past its edge
        phone.goto((real_site / "compare" / "killed_or_wounded.html").as_uri())
        phone.wait_for_selector("#chart[data-drawn=true]")
        width = phone.evaluate("document.querySelector('#chart svg').getBoundingClientRect().right")
        assert width <= 390
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.locator("figure.chart").screenshot(path=str(SHOTS / "compare-killed-or-wounded-phone.png"))
    finally:
        phone.close()


def test_a_saved_chart_image_carries_its_title_whose_losses_and_source(page: Page, real_site: Path) -> None:
    pg = page.open(real_site / "compare" / "killed_or_wounded.html")
    pg.wait_for_selector("#chart[data-drawn=true]")
    svg = Path(_export(pg, "Save as SVG").path()).read_text(encoding="utf-8")
    assert "Killed or wounded, Russia&#39;s forces: claimants side by side" in svg or (
        "Killed or wounded, Russia's forces: claimants side by side" in svg
    )
    assert "Source: war-claims v" in svg and "data licence CC-BY-4.0" in svg
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_the_search_finds_what_a_reader_types(page: Page, real_site: Path) -> None:
    pg = page.open(real_site / "index.html")
    pg.fill("#claim-search", "desertions")  # a stem: desertions, deserters
    pg.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
    results = pg.locator("#search-results li").all_inner_texts()
    assert any(r.startswith("metric Deserters or AWOL") for r in results)
    assert any(r.startswith("metric Desertions") for r in results)
    assert "entries match" in pg.inner_text("#search-status")
    pg.fill("#claim-search", "Ukrainian military personnel")  # a subject of the table's series
    pg.wait_for_function("document.querySelectorAll('#search-results li').length > 3")
    assert any("UAlosses" in r for r in pg.locator("#search-results li").all_inner_texts())
    pg.fill("#claim-search", "C4574")  # a claim ID: its figure and claimant, not a bare link
    pg.wait_for_function("document.querySelector('#search-results li') !== null")
    answer = pg.inner_text("#search-results li")
    assert answer.startswith("C4574: 3,220 · Tanks lost") and "General Staff of the Armed Forces of Ukraine" in answer
    assert page.clean(), (page.errors, page.dialogs, page.requests)


@pytest.fixture(scope="module")
def series_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import datetime as dt

    from toolkit.upstream.series_import import import_snapshot

    from .conftest import UPSTREAM, series_package

    tmp = tmp_path_factory.mktemp("series-site")
    pkg = series_package(tmp / "pkg")
    import_snapshot(
        pkg, str(UPSTREAM / "fixture-series.toml"), UPSTREAM / "snap-b", commit="b" * 40, today=dt.date(2026, 11, 25)
    )
    return build_dist(pkg, tmp / "dist").folder / "site"


SERIES_PAGE = "series/fixture-series__fixture_tanks__fixture_staff-2024.html"


def _highlighted(pg: Any, cid: str) -> bool:
    return (
        pg.eval_on_selector(f"tr[id='{cid}'] td", "td => getComputedStyle(td).backgroundColor") == "rgb(255, 243, 176)"
    )


def test_a_series_page_shows_its_rows_and_their_anchors(page: Page, series_site: Path) -> None:
    pg = page.open(series_site / SERIES_PAGE)
    assert pg.locator("#series-rows tbody tr").count() == 5
    first = pg.get_attribute("#series-rows tbody tr:first-child", "id")
    pg.goto((series_site / SERIES_PAGE).as_uri() + f"#{first}")
    assert _highlighted(pg, first)  # without JavaScript: the row is the address's target
    page.shot("series-page")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_a_claim_id_typed_in_the_search_box_lands_on_its_row(page: Page, series_site: Path) -> None:
    pg = page.open(series_site / "index.html")
    pg.fill("#claim-search", "C0011")
    pg.wait_for_function("document.querySelectorAll('#search-results li a').length === 1")
    href = pg.get_attribute("#search-results li a", "href")
    assert href == f"{SERIES_PAGE}#C0011"
    pg.click("#search-results li a")
    pg.wait_for_load_state("load")
    assert pg.url.endswith(f"{SERIES_PAGE}#C0011") and _highlighted(pg, "C0011")
    pg = page.open(series_site / "index.html")
    pg.fill("#claim-search", "C9999")
    pg.wait_for_function("document.getElementById('search-status').textContent.indexOf('No claim C9999') === 0")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_claim_query_id_opens_the_claims_row_or_page(page: Page, series_site: Path) -> None:
    pg = page.page
    for cid, expected in (("C0011", f"{SERIES_PAGE}#C0011"), ("C0001", "claim/C0001.html")):
        pg.goto((series_site / "claim" / "index.html").as_uri() + f"?id={cid}")
        pg.wait_for_url(f"**/{expected}")
        if "#" in expected:
            assert _highlighted(pg, cid)
    pg.goto((series_site / "claim" / "index.html").as_uri() + "?id=C9999")
    pg.wait_for_function("document.getElementById('find-status').textContent.indexOf('No claim C9999') === 0")
    assert page.clean(), (page.errors, page.dialogs, page.requests)


def test_an_old_claim_address_on_a_static_host_is_taken_to_the_row(browser: Any, series_site: Path) -> None:
    """A host that answers a missing address with 404.html, as GitHub Pages does: the address of an
    earlier release's page of a series figure (claim/C0011.html) opens that figure's row."""
    import functools
    import http.server
    import threading

    class Host(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                return super().send_error(code, message, explain)
            body = (series_site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(series_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pg = browser.new_page()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pg.goto(base + "claim/C0011.html")
        pg.wait_for_url(f"{base}{SERIES_PAGE}#C0011")
        assert _highlighted(pg, "C0011")
        pg.goto(base + "claim/C0001.html")  # a figure with a quote keeps its page
        assert pg.url == base + "claim/C0001.html" and "C0001" in pg.inner_text("h1")
        pg.close()
    finally:
        server.shutdown()


def _every_claim_resolves(site: Path) -> None:
    """Every claim ID of this repository's package has an address whose page shows it (a row with
    its ID as anchor, or its own page), and the site stays small: files grow with series and
    document figures, not with the days of a series."""
    import re

    from .test_series_site import decode

    address = decode((site / "claim" / "lookup.js").read_text(encoding="utf-8"))
    ids = re.findall(r"^(C[0-9]{4,}),", (ROOT / "data" / "claims.csv").read_text(encoding="utf-8"), re.M)
    assert sorted(address) == sorted(ids)
    pages: dict[str, str] = {}
    for cid in ids:
        page, _, anchor = address[cid].partition("#")
        if page not in pages:
            pages[page] = (site / page).read_text(encoding="utf-8")
        assert (anchor == cid and f'<tr id="{cid}"' in pages[page]) or page == f"claim/{cid}.html", cid
    files = [p for p in site.rglob("*") if p.is_file()]
    # two compilations of the General Staff's series (43,000 claims): 49 MB in 936 files on 2026-12-07
    assert len(files) <= 1500 and sum(p.stat().st_size for p in files) <= 60 * 1024 * 1024
