"""claims build --chart-images: each metric chart as an SVG file beside its page, drawn from the
same spec the page draws, with every figure of the chart in it; refused cleanly without the renderer."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.publish.build import build_dist

from .conftest import FIXTURES, edit, make_package, snapshot

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}svg"


def _marked_claims(svg: Path) -> set[str]:
    """The claim IDs the image has a mark for (each mark's ARIA description starts with its ID)."""
    return set(re.findall(r'aria-label="(C\d{4,}): ', svg.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("images")
    pkg = make_package(tmp / "pkg")
    # recruits loses its day: a metric without dated figures is drawn a page at a time, not over time
    edit(pkg, "data/claims.csv", "person,period,2024-01-01,2024-06-30,", "person,period,,,")
    return build_dist(pkg, tmp / "dist", chart_images=True).folder / "site"


def test_each_chart_is_an_svg_document_with_a_mark_for_every_figure(built: Path) -> None:
    claims = pd.read_csv(FIXTURES / "good" / "data" / "claims.csv", dtype=str)
    for metric, mine in claims.groupby("metric_id"):
        image = built / "metric" / f"{metric}.svg"
        assert ET.parse(image).getroot().tag == SVG
        assert _marked_claims(image) == set(mine["claim_id"]), metric


def test_the_time_chart_and_the_page_chart_are_both_drawn(built: Path) -> None:
    """desertions has days (one chart over time, axis 'Day the figure is for'); recruits has none
    (a chart of the page's figures, a row each)."""
    timed = (built / "metric" / "desertions.svg").read_text(encoding="utf-8")
    paged = (built / "metric" / "recruits.svg").read_text(encoding="utf-8")
    assert "Day the figure is for" in timed
    assert "Day the figure is for" not in paged
    assert (built / "metric" / "desertions.chart.js").is_file()
    assert not (built / "metric" / "recruits.chart.js").is_file()


def test_each_page_links_its_image(built: Path) -> None:
    for metric in ("desertions", "recruits"):
        html = (built / "metric" / f"{metric}.html").read_text(encoding="utf-8")
        assert f'<a href="{metric}.svg" id="chart-image" download>' in html


def test_images_are_byte_reproducible(built: Path, tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "person,period,2024-01-01,2024-06-30,", "person,period,,,")
    again = build_dist(pkg, tmp_path / "dist", chart_images=True).folder / "site"
    for metric in ("desertions", "recruits"):
        assert (again / "metric" / f"{metric}.svg").read_bytes() == (built / "metric" / f"{metric}.svg").read_bytes()


def test_without_the_flag_no_image_and_no_link(tmp_path: Path) -> None:
    site = build_dist(make_package(tmp_path / "pkg"), tmp_path / "dist").folder / "site"
    assert not list((site / "metric").glob("*.svg"))
    assert 'id="chart-image"' not in (site / "metric" / "desertions.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["build", "site"])
def test_missing_renderer_is_a_usage_error_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    pkg = make_package(tmp_path / "pkg")
    before = snapshot(pkg)
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # import fails as if not installed
    result = runner.invoke(app, [command, str(pkg), "--out", str(tmp_path / "dist"), "--chart-images"])
    assert result.exit_code == 2, result.output
    assert "pip install 'war-claims[charts]'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "dist").exists()
    assert snapshot(pkg) == before


def test_images_without_a_site_is_a_usage_error(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    result = runner.invoke(app, ["build", str(pkg), "--out", str(tmp_path / "dist"), "--no-site", "--chart-images"])
    assert result.exit_code == 2
    assert "--no-site" in result.output
    assert not (tmp_path / "dist").exists()
