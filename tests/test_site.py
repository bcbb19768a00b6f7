"""The static site as files: pages for every metric, claim and source, escaping, reproducible bytes.

What a browser does with them (the chart drawn, the filter, the highlight) is tested in
test_site_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.publish.build import build_dist, build_site_only
from toolkit.website import pages
from toolkit.website.chart import figure_marks
from toolkit.website.model import figure_words, period_words
from toolkit.website.output import safe_url
from toolkit.website.quotes import Seed, Span

from .conftest import FIXTURES, ROOT, edit, make_package, snapshot

runner = CliRunner()
HOSTILE = FIXTURES / "site" / "hostile"


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    pkg = make_package(tmp_path / "pkg")
    return build_dist(pkg, tmp_path / "dist").folder / "site"


def test_a_page_for_every_metric_claim_and_source(site: Path) -> None:
    claims = pd.read_csv(FIXTURES / "good" / "data" / "claims.csv")
    for cid in claims["claim_id"]:
        assert (site / "claim" / f"{cid}.html").is_file()
    for metric in claims["metric_id"].unique():
        assert (site / "metric" / f"{metric}.html").is_file()
    for sid in ("S0001", "S0002"):
        assert (site / "source" / f"{sid}.html").is_file()
    assert (site / "index.html").is_file() and (site / "source" / "index.html").is_file()
    for vendored in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "LICENSE-vega.txt"):
        assert (site / "assets" / "vendor" / vendored).is_file()


def test_no_page_asks_another_host_for_anything(site: Path) -> None:
    """Scripts, styles and images are the site's own files; only links to a source may leave it."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attr in re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', text):
            assert not re.match(r"[a-z]+:", attr), (page.name, attr)
            # 404.html stands in for a missing claim/<id>.html, so its addresses are relative to claim/
            base = page.parent / "claim" if page.name == "404.html" else page.parent
            assert (base / attr).resolve().is_file(), (page.name, attr)


def test_the_home_page_lists_downloads_with_size_and_sha256(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    for download in site.parent.iterdir():
        if download.is_file():
            digest = hashlib.sha256(download.read_bytes()).hexdigest()
            assert f'href="../{download.name}"' in home and digest in home, download.name
    assert "war-claims C0001 (v0.1.0)" in home


def test_two_builds_of_one_package_are_the_same_bytes(tmp_path: Path, site: Path) -> None:
    again = build_dist(tmp_path / "pkg", tmp_path / "again").folder / "site"
    assert _tree(site) == _tree(again)


def test_text_from_the_data_is_shown_as_text_never_run(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", HOSTILE)
    site = build_dist(pkg, tmp_path / "dist").folder / "site"
    pages_text = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    for name, text in pages_text.items():
        # the only script elements are the site's own
        for tag in re.findall(r"<script\b[^>]*>", text):
            allowed = r'<script src="[./a-z_-]+\.js">|<script type="application/(json" id="chart-spec|ld\+json)">'
            assert re.fullmatch(allowed, tag), (name, tag)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "<" not in block and ">" not in block, name  # data in JSON-LD cannot leave it
        assert "<img" not in text and "<svg" not in text and "<b " not in text and "<i>" not in text, name
        shown = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
        assert "onerror=alert" not in shown.replace("onerror=alert(1)&gt;", ""), name
    claim = pages_text["claim/C0004.html"]
    assert "&lt;script&gt;alert(&#34;notes&#34;)&lt;/script&gt;" in claim
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in claim  # the quote, shown as written
    source = pages_text["source/S0002.html"]
    assert "&lt;script&gt;alert(&#39;seed&#39;)&lt;/script&gt;" in source  # the archived text itself
    assert 'href="https://example.org/?a=&#34;&gt;&lt;script&gt;alert(5)&lt;/script&gt;"' in source
    # a metric with dated figures draws its time chart from a script of its own
    assert '<script src="recruits.chart.js">' in pages_text["metric/recruits.html"]
    script = (site / "metric" / "recruits.chart.js").read_text(encoding="utf-8")
    spec = re.fullmatch(r"window\.WAR_CLAIMS_CHART = (.*);\n", script, re.S)
    assert spec and "<" not in spec.group(1) and "</script" not in script.lower()
    assert json.loads(spec.group(1))["data"]["values"][0]["claimant"] == "Unattributed"


def test_a_link_is_made_only_of_a_web_address() -> None:
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for hostile in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example", " https://x"):
        assert safe_url(hostile) == ""


def test_the_claim_page_shows_the_quote_in_its_source_lines(site: Path) -> None:
    page = (site / "claim" / "C0002.html").read_text(encoding="utf-8")
    mark = re.search(r'<mark id="quote">(.*?)</mark>', page)
    assert (
        mark
        and mark.group(1) == "Over one million fixture troops have been counted, according to the fixture ministry."
    )
    context = re.search(r'<div class="seed-text" id="context">(.*?)</div>', page, re.S)
    assert context and "The fixture army has suffered" in context.group(1)  # the line before
    assert "Tens of thousands went home." in context.group(1)  # the rest of its line
    assert "war-claims C0002 (v0.1.0)" in page


def test_figures_in_words() -> None:
    frame = pd.DataFrame(
        {
            "qualifier": ["exact", "approximately", "at_least", "more_than", "at_most", "fewer_than", "range"],
            "value": [9, 300, 50000, 1e6, 2000, 4, None],
            "value_low": [9, None, 50000, 1e6, None, None, 5000],
            "value_high": [9, None, None, None, 2000, 4, 7000],
        }
    )
    assert figure_words(frame).tolist() == [
        "9",
        "about 300",
        "at least 50,000",
        "more than 1,000,000",
        "at most 2,000",
        "fewer than 4",
        "between 5,000 and 7,000",
    ]
    grouped = pd.DataFrame(
        {
            "qualifier": ["exact"] * 7,
            "value": [0, 999, 1000, 123456, 1234567.25, 100000000, 0.5],
            "value_low": [None] * 7,
            "value_high": [None] * 7,
        }
    )
    assert figure_words(grouped).tolist() == ["0", "999", "1,000", "123,456", "1,234,567.25", "100,000,000", "0.5"]
    start = pd.Series(["2022-02-24", "2022-02-24", "", ""])
    end = pd.Series(["2024-12-31", "", "2024-12-31", ""])
    assert period_words(start, end).tolist() == [
        "2022-02-24 to 2024-12-31",
        "from 2022-02-24 (end not given)",
        "up to 2024-12-31 (start not given)",
        "not given",
    ]


def test_every_figure_is_one_mark_with_its_bounds() -> None:
    figures = pd.DataFrame(
        {
            "claim_id": ["C1", "C2", "C3", "C4"],
            "qualifier": ["exact", "at_least", "at_most", "order_of_magnitude"],
            "period_short": ["no period"] * 4,
            "claimant_name": ["A", "B", "A", "B"],
            "claimant_id": ["a", "b", "a", "b"],
            "current": [True, True, False, True],
            "wording": ["nine", "at least 50", "up to 20", "tens of thousands"],
            "figure": ["9", "at least 50", "at most 20", "between 10,000 and 99,999"],
            "reporter": ["R"] * 4,
            "period": ["not given"] * 4,
            "source_published": [""] * 4,
            "status": ["reported", "reported", "retracted", "reported"],
        }
    )
    nan = float("nan")
    numbers = np.array([[9, 9, 9], [50, 50, nan], [20, nan, 20], [nan, 10000, 99999]])
    marks = figure_marks([SimpleNamespace(**r) for r in figures.to_dict("records")], numbers)
    assert [m["id"] for m in marks] == ["C1", "C2", "C3", "C4"]
    assert (marks[0]["start"], marks[0]["end"], marks[0]["kind"]) == (None, None, "stated figure")
    assert marks[1]["start"] == 50 and marks[1]["end"] > 99999 and marks[1]["kind"].startswith("lower bound")
    assert (marks[2]["start"], marks[2]["end"]) == (0.0, 20) and marks[2]["standing"] == "retracted or superseded"
    assert (marks[3]["start"], marks[3]["end"], marks[3]["x"]) == (10000, 99999, 54999.5)


def test_quotes_are_found_as_written_or_after_normalising() -> None:
    seed = Seed("Title line\nHe said \u201cover 300\u201d  soldiers left.\nLast line\n")
    exact = seed.locate("soldiers left.")
    assert exact is not None and seed.text[exact.start : exact.end] == "soldiers left."
    loose = seed.locate('He said "over 300" soldiers left.')
    assert loose is not None and seed.text[loose.start : loose.end] == "He said \u201cover 300\u201d  soldiers left."
    assert seed.locate("not in the text") is None
    context = seed.context(loose)
    assert context.before == "Title line\n" and context.after == "\nLast line"


def test_overlapping_quotes_are_both_marked() -> None:
    seed = Seed("abcdefghij")
    segments = seed.segments({"C1": Span(2, 6), "C2": Span(4, 8)})
    assert [(s.text, s.claims) for s in segments] == [
        ("ab", ()),
        ("cd", ("C1",)),
        ("ef", ("C1", "C2")),
        ("gh", ("C2",)),
        ("ij", ()),
    ]
    assert [s.ends for s in segments] == [(), (), ("C1",), ("C2",), ()]


def test_metric_pages_are_paginated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    site = build_dist(make_package(tmp_path / "pkg"), tmp_path / "dist").folder / "site"
    first = (site / "metric" / "desertions.html").read_text(encoding="utf-8")
    second = (site / "metric" / "desertions-2.html").read_text(encoding="utf-8")
    assert 'href="desertions-2.html"' in first and 'href="desertions.html"' in second
    assert first.count('<tr><td><a href="../claim/') == 2 and second.count('<tr><td><a href="../claim/') == 1


def test_the_sources_index_is_paginated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 1)
    site = build_dist(make_package(tmp_path / "pkg"), tmp_path / "dist").folder / "site"
    first = (site / "source" / "index.html").read_text(encoding="utf-8")
    second = (site / "source" / "index-2.html").read_text(encoding="utf-8")
    assert 'href="S0001.html"' in first and 'href="S0002.html"' not in first
    assert 'href="S0002.html"' in second and 'href="index.html"' in second


def test_claims_site_writes_only_the_site_and_keeps_the_downloads(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    built = build_dist(pkg, tmp_path / "dist")
    downloads = {f.name: f.read_bytes() for f in built.files}
    edit(pkg, "data/metrics.csv", "Fixture definition of recruits.", "A corrected fixture definition.")
    result = runner.invoke(app, ["site", str(pkg), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert {f.name: f.read_bytes() for f in built.files} == downloads
    page = (built.folder / "site" / "metric" / "recruits.html").read_text(encoding="utf-8")
    assert "A corrected fixture definition." in page
    assert downloads and all(name in (built.folder / "site" / "index.html").read_text() for name in downloads)


def test_an_invalid_package_gets_no_site(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "C0002,S0001", "C0001,S0001")
    result = runner.invoke(app, ["site", str(pkg), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "dist").exists() or snapshot(tmp_path / "dist") == {}


def test_the_site_of_this_repository_builds(tmp_path: Path) -> None:
    """The real package with its release history: each claim page has its history."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no release history to show")
    site = build_site_only(ROOT, tmp_path / "dist")
    page = (site.folder / "claim" / "C0001.html").read_text(encoding="utf-8")
    assert "<td>0.1.0</td><td>added</td>" in page
    assert site.pages >= 1 + 6 + 6 + 2


def test_the_vendored_libraries_are_the_published_files() -> None:
    """assets/vendor/README.md records each file's SHA-256 as published on the npm registry."""
    vendor = ROOT / "toolkit" / "website" / "assets" / "vendor"
    listed = dict(re.findall(r"\| `([\w.-]+\.js)` \| [^|]+ \| `([0-9a-f]{64})` \|", (vendor / "README.md").read_text()))
    assert set(listed) == {p.name for p in vendor.glob("*.js")}
    for name, digest in listed.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
