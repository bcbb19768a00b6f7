"""Atom feeds a reader subscribes to: one of releases, one of corrections and retractions.

A feed reader is how people follow a dataset without watching a repository. Both feeds are made
from what the package already records (the CHANGELOG's sections and dates, each claim's history
across releases), never from the build's clock, so two builds of one commit are the same bytes.
Entry IDs are URNs that never change (a release, or a claim in a release), so a reader shows an
entry once. Links are relative to the feed's own address (feeds/), which Atom resolves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..core.paths import regular_file_inside
from ..core.text import xml_text
from ..errors import UsageError
from .model import Edition

ATOM = "http://www.w3.org/2005/Atom"
FEEDS = {"releases": "Releases", "corrections": "Corrections and retractions"}
CORRECTIONS_LISTED = 1_000  # newest first; a feed reader shows the recent ones
_SECTION = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+)\]\s*-\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)


@dataclass(frozen=True)
class Section:
    version: str
    date: str
    text: str


def changelog_sections(root: Path) -> list[Section]:
    """Each released version's CHANGELOG section, newest first as the file has them."""
    try:
        text = regular_file_inside(root, "CHANGELOG.md").read_text(encoding="utf-8", errors="replace")
    except (UsageError, OSError):
        return []
    matches = list(_SECTION.finditer(text))
    sections = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        following = re.search(r"^## ", text[match.end() : end], re.M)  # an unversioned section after it
        body = text[match.end() : match.end() + following.start()] if following else text[match.end() : end]
        body = re.sub(r"(?m)^\[[^\]]+\]: \S+\s*$", "", body)  # link definitions at the end of the file
        sections.append(Section(match["version"], match["date"], body.strip()))
    return sections


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _feed(ed: Edition, name: str, updated: str) -> ET.Element:
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "id").text = f"urn:war-claims:feed:{name}"
    ET.SubElement(feed, "title").text = xml_text(f"{ed.title}: {FEEDS[name].lower()}")
    ET.SubElement(feed, "updated").text = updated
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = xml_text(ed.creator or "war-claims")
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=f"{name}.xml")
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href="../index.html")
    if ed.licence:
        ET.SubElement(feed, "rights").text = xml_text(f"Data licence: {ed.licence}")
    return feed


def _entry(feed: ET.Element, entry_id: str, title: str, updated: str, href: str, text: str) -> None:
    """ElementTree writes any character it is given: what XML forbids (a control character in a
    hand-edited CHANGELOG) is left out here, or no reader could parse the feed."""
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "id").text = entry_id
    ET.SubElement(entry, "title").text = xml_text(title)
    ET.SubElement(entry, "updated").text = updated
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=href)
    ET.SubElement(entry, "content", type="text").text = xml_text(text)


def _bytes(feed: ET.Element) -> bytes:
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def releases_feed(ed: Edition, sections: list[Section]) -> bytes:
    """An entry per released version: its CHANGELOG section as the content."""
    updated = _stamp(max((s.date for s in sections), default=ed.date or "1970-01-01"))
    feed = _feed(ed, "releases", updated)
    for s in sorted(sections, key=lambda s: (s.date, tuple(map(int, s.version.split(".")))), reverse=True):
        title = f"{ed.title} {s.version}"
        _entry(feed, f"urn:war-claims:release:{s.version}", title, _stamp(s.date), "../index.html", s.text)
    return _bytes(feed)


def corrections_feed(
    ed: Edition,
    sections: list[Section],
    history: pd.DataFrame,
    claims: pd.DataFrame,
    address: dict[str, str] | None = None,
) -> bytes:
    """An entry per claim changed in a release: corrected in place, superseded or retracted.

    history is compare/lineage.claim_history's table; claims are model.claim_records (text), for
    the status and wording each entry states; address, where each claim is shown (a series
    figure on its series' page). Changes not yet released have no entry."""
    address = address or {}
    dates = {s.version: s.date for s in sections}
    changed = history[(history["event"] == "changed") & history["release"].isin(list(dates))]
    info = claims.drop_duplicates("claim_id").set_index("claim_id")
    superseding = claims[claims["supersedes"] != ""].groupby("supersedes")["claim_id"].agg(", ".join)
    rows = changed.assign(day=changed["release"].map(dates))
    rows = rows.sort_values(["day", "claim_id"], ascending=[False, True], kind="stable").head(CORRECTIONS_LISTED)
    updated = _stamp(rows["day"].iloc[0]) if len(rows) else _stamp(ed.date or "1970-01-01")
    feed = _feed(ed, "corrections", updated)
    for cid, release, columns, day in rows[["claim_id", "release", "columns", "day"]].itertuples(index=False):
        claim = info.loc[cid] if cid in info.index else None
        status = str(claim["status"]) if claim is not None else ""
        what = "corrected"
        if "status" in columns.split(", ") and status == "retracted":
            what = "retracted"
        elif "status" in columns.split(", ") and status == "superseded":
            what = f"superseded by {superseding.get(cid, 'a newer figure')}"
        label = f"{claim['metric_label'] or claim['metric_id']}: “{claim['wording']}”" if claim is not None else cid
        text = f"{cid} ({label}) was {what} in release {release}; changed: {columns}."
        _entry(feed, f"urn:war-claims:correction:{cid}:{release}", f"{cid} {what} in {release}", _stamp(day),
               "../" + address.get(cid, f"claim/{cid}.html"), text)  # fmt: skip
    return _bytes(feed)
