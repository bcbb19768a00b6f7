"""website/feeds.py: the Atom feeds parse as a feed reader reads them, an entry per release and
per correction, made from the history alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from toolkit.publish.build import build_dist
from toolkit.publish.release import apply_release, plan_release
from toolkit.website.feeds import changelog_sections

from .conftest import edit, git, init_repo, make_package

CLAIMS = "data/claims.csv"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Released as 0.1.0; then C0001 corrected and C0003 retracted, released as 0.1.1."""
    tmp = tmp_path_factory.mktemp("feeds")
    repo = make_package(tmp / "repo")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    (repo / ".gitignore").write_text("dist/\n")
    init_repo(repo)
    apply_release(plan_release(repo, date=dt.date(2026, 1, 5)))
    edit(repo, CLAIMS, ",fixture soldiers,", ",fixture army soldiers,")
    retracted = "retracted,,Withdrawn by the invented outlet on 2026-02-01."
    edit(repo, CLAIMS, "Tens of thousands went home.,reported,,", f"Tens of thousands went home.,{retracted}")
    git(repo, "commit", "-qam", "correct C0001, retract C0003")
    apply_release(plan_release(repo, date=dt.date(2026, 2, 10)))
    return build_dist(repo, tmp / "dist").folder / "site"


def test_the_releases_feed_has_an_entry_per_release_newest_first(site: Path) -> None:
    feed = feedparser.parse((site / "feeds" / "releases.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.id for e in feed.entries] == ["urn:war-claims:release:0.1.1", "urn:war-claims:release:0.1.0"]
    assert [e.updated for e in feed.entries] == ["2026-02-10T00:00:00Z", "2026-01-05T00:00:00Z"]
    assert feed.feed.updated == "2026-02-10T00:00:00Z"
    assert "C0001" in feed.entries[0].content[0].value  # the CHANGELOG section is the content
    assert feed.entries[0].link == "../index.html"


def test_the_corrections_feed_has_an_entry_per_corrected_or_retracted_claim(site: Path) -> None:
    feed = feedparser.parse((site / "feeds" / "corrections.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    entries = {e.id: e for e in feed.entries}
    assert set(entries) == {"urn:war-claims:correction:C0001:0.1.1", "urn:war-claims:correction:C0003:0.1.1"}
    assert entries["urn:war-claims:correction:C0003:0.1.1"].title == "C0003 retracted in 0.1.1"
    assert entries["urn:war-claims:correction:C0001:0.1.1"].title == "C0001 corrected in 0.1.1"
    assert "subject" in entries["urn:war-claims:correction:C0001:0.1.1"].content[0].value
    assert entries["urn:war-claims:correction:C0003:0.1.1"].link == "../claim/C0003.html"
    assert all(e.updated == "2026-02-10T00:00:00Z" for e in feed.entries)


def test_every_page_names_both_feeds_and_the_feeds_exist(site: Path) -> None:
    for page in ("index.html", "metric/desertions.html", "claim/C0001.html", "source/S0001.html"):
        html = (site / page).read_text(encoding="utf-8")
        root = "" if page == "index.html" else "../"
        for name in ("releases", "corrections"):
            assert 'type="application/atom+xml" title="war-claims: ' in html
            assert f'href="{root}feeds/{name}.xml"' in html
    assert (site / "feeds" / "releases.xml").is_file() and (site / "feeds" / "corrections.xml").is_file()


def test_changelog_sections_skip_unreleased_and_keep_each_body(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n- pending\n\n## [1.1.0] - 2026-03-02\n\n### Fixed\n\n- one\n\n"
        "## [1.0.0] - 2026-01-01\n\n- first\n\n[1.1.0]: https://example.org/compare\n"
    )
    sections = changelog_sections(tmp_path)
    assert [(s.version, s.date) for s in sections] == [("1.1.0", "2026-03-02"), ("1.0.0", "2026-01-01")]
    assert sections[0].text == "### Fixed\n\n- one" and sections[1].text == "- first"


def test_a_character_xml_forbids_is_left_out_and_the_feed_parses(tmp_path: Path) -> None:
    """A control character in a CHANGELOG (a composite key's separator once reached one) would make
    the whole feed unreadable to a strict parser; it is dropped, the rest of the text kept."""
    import xml.etree.ElementTree as ET
    from types import SimpleNamespace

    from toolkit.website.feeds import releases_feed

    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [1.0.1] - 2026-03-02\n\n### Fixed\n\n- corrections a\x1fb\x0bc: notes reworded\n"
    )
    edition = SimpleNamespace(title="Fixture\x07 claims", creator="", licence="CC-BY-4.0", date="2026-03-02")
    feed = releases_feed(edition, changelog_sections(tmp_path))  # type: ignore[arg-type]
    root = ET.fromstring(feed)  # strict: raises on a forbidden character
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.findtext(f"{atom}title") == "Fixture claims: releases"
    assert root.findtext(f"{atom}entry/{atom}content") == "### Fixed\n\n- corrections abc: notes reworded"
    assert not feedparser.parse(feed).bozo
