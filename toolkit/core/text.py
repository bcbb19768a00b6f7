"""Text compared as a reader compares it: typographic quotes and dashes as their ASCII forms,
runs of whitespace as one space. Provenance uses it to tell a typographic difference from an
absent quote; the site uses the same table to map a match back to the original characters."""

from __future__ import annotations

import re

# typographic characters and the ASCII they compare as (site/quotes.py maps matches back through it)
TYPOGRAPHY = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
}
_TYPO_RE = re.compile("|".join(map(re.escape, TYPOGRAPHY)))


def normalise(text: str) -> str:
    """Typographic quotes and dashes to ASCII, runs of whitespace to one space."""
    return " ".join(_TYPO_RE.sub(lambda m: TYPOGRAPHY[m.group(0)], text).split())


# characters XML 1.0 does not allow (a workbook's cells and a feed's text drop them): C0 controls
# other than tab, LF and CR, and the two non-characters
XML_INVALID = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_XML_INVALID_RE = re.compile(XML_INVALID)


def xml_text(text: str) -> str:
    """Text an XML document may hold: a character XML forbids would make the whole file unreadable
    to a strict parser (a feed reader drops the feed), so it is left out."""
    return _XML_INVALID_RE.sub("", text)
