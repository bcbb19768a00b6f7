"""schema.org JSON-LD: a `Dataset` on the home page and a `Claim` on each claim page.

Dataset search engines read the first; fact-checking tools read the second (`author` is who made
the claim, `appearance` the document it appears in). Only what the package records is stated:
no `firstAppearance`, since no source records whether it was where a figure first appeared,
and no address the package does not give. Addresses are absolute when the descriptor's
`homepage` gives the address the site is published at, and relative to the page otherwise
(docs/site-files.md).
"""

from __future__ import annotations

import mimetypes
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from .model import Edition
from .output import safe_url, script_json

CONTEXT = "https://schema.org"
PEOPLE = {"person"}  # claimant kinds that are a Person; every other kind is an Organization
FORMATS = {
    ".csv": "text/csv",
    ".zip": "application/zip",
    ".sqlite": "application/vnd.sqlite3",
    ".json": "application/json",
}
FORMATS[".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS[".parquet"] = "application/vnd.apache.parquet"


def site_base(descriptor: dict[str, Any]) -> str:
    """The address the site folder is published at (descriptor `homepage`, http(s) only), ending
    in /; "" when there is none and every address stays relative."""
    home = safe_url(str(descriptor.get("homepage") or ""))
    return home if not home or home.endswith("/") else home + "/"


def _address(base: str, page: str, rel: str) -> str:
    """rel (as written on the page at page, e.g. "../x.zip") made absolute when there is a base."""
    return urljoin(urljoin(base, page), rel) if base else rel


def _tag(value: dict[str, Any]) -> Markup:
    return Markup('<script type="application/ld+json">{}</script>').format(script_json(value))


def dataset_jsonld(ed: Edition, descriptor: dict[str, Any], base: str, temporal: str) -> Markup:
    """The Dataset of the home page (index.html); temporal is "start/end" (ISO 8601) or ""."""
    value: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": ed.title,
        "description": ed.description,
        "version": ed.version,
        "license": ed.licence_url or ed.licence,
        "creator": {"@type": "Organization", "name": ed.creator or "war-claims"},
        "isAccessibleForFree": True,
        "keywords": [str(k) for k in descriptor.get("keywords") or []],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.name,
                "contentUrl": _address(base, "index.html", f"../{d.name}"),
                "encodingFormat": FORMATS.get("." + d.name.rsplit(".", 1)[-1], mimetypes.guess_type(d.name)[0] or ""),
                "contentSize": f"{d.size} B",
            }
            for d in ed.downloads
        ],
    }
    if ed.date:
        value["datePublished"] = ed.date
    if temporal:
        value["temporalCoverage"] = temporal
    if descriptor.get("spatialCoverage"):
        value["spatialCoverage"] = {"@type": "Place", "name": str(descriptor["spatialCoverage"])}
    if base:
        value["url"] = base + "index.html"
    return _tag(value)


def claim_jsonld(c: SimpleNamespace, ed: Edition, base: str) -> Markup:
    """The Claim of claim/<id>.html; c is one of model.claim_records' rows."""
    page = f"claim/{c.claim_id}.html"
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "identifier": c.source_id,
        "name": c.source_title or c.source_id,
        "url": safe_url(c.source_url) or _address(base, page, f"../source/{c.source_id}.html"),
    }
    if c.source_publisher:
        appearance["publisher"] = {"@type": "Organization", "name": c.source_publisher}
    if c.source_published:
        appearance["datePublished"] = c.source_published
    value: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Claim",
        "identifier": c.claim_id,
        "name": f"{c.metric_label or c.metric_id}: {c.wording}",
        "text": c.quote or c.wording,
        "author": {
            "@type": "Person" if c.claimant_kind in PEOPLE else "Organization",
            "name": c.claimant_name or c.claimant_id,
        },
        "appearance": appearance,
        "isPartOf": {"@type": "Dataset", "name": ed.title, "version": ed.version},
    }
    if c.period_start or c.period_end:
        value["temporalCoverage"] = f"{c.period_start or '..'}/{c.period_end or '..'}"
    if base:
        value["url"] = base + page
    return _tag(value)
