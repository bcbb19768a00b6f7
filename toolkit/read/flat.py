"""The claims in long form: one row per claim with its source's and claimant's names beside it.

What a reader of one table needs without joining four: the flat CSV download, the workbook, each
metric's CSV on the site. Built from the loaded tables only, so every output agrees.
"""

from __future__ import annotations

import pandas as pd

from .model import LoadedPackage

FIRST = ["claim_id", "claimant_name", "source_title", "source_publisher", "source_url", "source_published"]


def flat_claims(package: LoadedPackage, lineage: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every claim, its source's title, publisher, URL and date and its claimant's name in front;
    lineage (compare/lineage.claim_lineage: the releases each claim appeared in) joined when given."""
    claims = package.tables["claims"].frame
    sources = package.tables["sources"].frame[["source_id", "title", "publisher", "url", "published"]]
    sources = sources.rename(
        columns={
            "title": "source_title",
            "publisher": "source_publisher",
            "url": "source_url",
            "published": "source_published",
        }
    )
    claimants = package.tables["claimants"].frame[["claimant_id", "name"]].rename(columns={"name": "claimant_name"})
    flat = claims.merge(sources, on="source_id", how="left").merge(claimants, on="claimant_id", how="left")
    if lineage is not None:
        flat = flat.merge(lineage, on="claim_id", how="left")
    return flat[[*FIRST, *[c for c in flat.columns if c not in FIRST]]]
