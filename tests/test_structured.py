"""website/structured.py: schema.org JSON-LD on the home and claim pages, and the data-error link."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from toolkit.publish.build import build_dist

from .conftest import ROOT, make_package

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _jsonld(page: Path) -> dict:
    [block] = JSONLD.findall(page.read_text(encoding="utf-8"))
    return json.loads(block)


def _site(tmp: Path, homepage: str | None = None, repository: str | None = None) -> Path:
    pkg = make_package(tmp / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["spatialCoverage"] = "Invented Land"
    if homepage:
        descriptor["homepage"] = homepage
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2))
    if repository:
        (pkg / "CITATION.cff").write_text(f'cff-version: 1.2.0\ntitle: "x"\nrepository-code: "{repository}"\n')
        form = pkg / ".github" / "ISSUE_TEMPLATE" / "data-error.yml"
        form.parent.mkdir(parents=True)
        form.write_bytes((ROOT / ".github" / "ISSUE_TEMPLATE" / "data-error.yml").read_bytes())
    return build_dist(pkg, tmp / "dist").folder / "site"


@pytest.fixture(scope="module")
def relative(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(tmp_path_factory.mktemp("relative"))


@pytest.fixture(scope="module")
def absolute(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _site(
        tmp_path_factory.mktemp("absolute"), "https://data.example.org/war-claims/site", "https://github.com/o/r"
    )


def test_the_home_page_carries_a_dataset(relative: Path) -> None:
    data = _jsonld(relative / "index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    for key in ("name", "description", "version", "license", "creator", "distribution", "temporalCoverage"):
        assert data[key], key
    assert data["version"] == "0.1.0" and data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["temporalCoverage"] == "2022-01-01/2024-12-31"
    assert data["spatialCoverage"] == {"@type": "Place", "name": "Invented Land"}
    downloads = {p.name for p in relative.parent.iterdir() if p.is_file()}
    assert {d["name"] for d in data["distribution"]} == downloads
    for d in data["distribution"]:
        assert d["@type"] == "DataDownload" and d["encodingFormat"] and d["contentUrl"] == f"../{d['name']}"
        assert (relative / d["contentUrl"]).resolve().is_file()  # relative to the page, as documented
    assert "url" not in data


def test_every_claim_page_carries_a_claim(relative: Path) -> None:
    pages = sorted((relative / "claim").glob("C*.html"))
    assert pages
    for page in pages:
        data = _jsonld(page)
        assert data["@type"] == "Claim" and data["identifier"] == page.stem
        assert data["author"]["@type"] in ("Organization", "Person") and data["author"]["name"]
        assert data["appearance"]["@type"] == "CreativeWork" and data["appearance"]["url"]
        assert "firstAppearance" not in data  # no source records it
    c1 = _jsonld(relative / "claim" / "C0001.html")
    assert c1["author"]["name"] == "Fixture Ministry" and c1["appearance"]["url"] == "https://example.org/one"
    assert c1["appearance"]["datePublished"] == "2025-01-02"


def test_with_a_homepage_every_address_is_absolute(absolute: Path) -> None:
    data = _jsonld(absolute / "index.html")
    assert data["url"] == "https://data.example.org/war-claims/site/index.html"
    for d in data["distribution"]:
        assert d["contentUrl"] == f"https://data.example.org/war-claims/{d['name']}"
    claim = _jsonld(absolute / "claim" / "C0003.html")
    assert claim["url"] == "https://data.example.org/war-claims/site/claim/C0003.html"
    assert claim["appearance"]["url"].startswith("https://")


def test_json_in_a_page_cannot_close_its_script(tmp_path: Path) -> None:
    from toolkit.website.structured import _tag

    text = str(_tag({"name": "</script><script>alert(1)</script>"}))
    assert text.count("</script>") == 1 and "\\u003c/script\\u003e" in text


def test_the_report_link_opens_the_form_with_the_claim_filled_in(absolute: Path, relative: Path) -> None:
    html = (absolute / "claim" / "C0002.html").read_text(encoding="utf-8")
    [href] = re.findall(r'id="report-problem" href="([^"]+)"', html)
    url = urlsplit(href.replace("&amp;", "&"))
    assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/o/r/issues/new")
    query = parse_qs(url.query)
    assert query["template"] == ["data-error.yml"] and query["claim_id"] == ["C0002"]
    assert query["release"] == ["0.1.0"]
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "data-error.yml").read_text())
    ids = {field.get("id") for field in form["body"]}
    assert {"claim_id", "release", "what_is_wrong", "evidence"} <= ids  # the link fills fields that exist
    assert 'id="report-problem"' not in (relative / "claim" / "C0002.html").read_text(encoding="utf-8")
