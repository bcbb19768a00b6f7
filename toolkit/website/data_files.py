"""The files beside the pages that code and spreadsheets take one piece of the dataset from.

A reader who wants one metric should not have to take the whole package: metric/<id>.csv holds
that metric's figures in long form (spreadsheet-safe, like the flat download), metric/<id>.json
the same figures typed, with the metric's definition, the licence and how to cite them, and
claim/<id>.json one figure with its source, claimant, status and history. Their structure is
documented in docs/site-files.md; `format_version` changes only when a field is removed or
changes meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.arrow import column_number_text
from ..core.spreadsheet_csv import spreadsheet_csv
from ..read.flat import flat_claims
from ..read.model import LoadedPackage
from .model import Edition

FORMAT_VERSION = 1
NUMBERS = ("value", "value_low", "value_high")
DATES = ("period_start", "period_end")
SOURCE = ("source_id", "title", "publisher", "url", "published")


def _json_column(col: pd.Series) -> list[Any]:
    """A typed column as JSON values: numbers as written (50000, not 50000.0), dates as
    YYYY-MM-DD, text as text, null where empty."""
    if pd.api.types.is_numeric_dtype(col):
        return [None if t is None else json.loads(t) for t in column_number_text(col)]
    empty = col.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(col):
        col = col.dt.strftime("%Y-%m-%d")
    return [None if e else v for v, e in zip(col.tolist(), empty, strict=True)]


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = {name: _json_column(frame[name]) for name in frame.columns}
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _dataset(ed: Edition) -> dict[str, str]:
    return {"title": ed.title, "version": ed.version, "licence": ed.licence, "licence_url": ed.licence_url}


@dataclass
class DataFiles:
    """Computed once per site from the typed tables; each method yields (path in the site, bytes)."""

    package: LoadedPackage
    edition: Edition

    def __post_init__(self) -> None:
        t = self.package.tables
        self.flat = flat_claims(self.package).sort_values("claim_id", kind="stable").reset_index(drop=True)
        self.metrics = t["metrics"].frame.drop_duplicates("metric_id").set_index("metric_id", drop=False)
        self.claimants = t["claimants"].frame.drop_duplicates("claimant_id").set_index("claimant_id", drop=False)
        sources = t["sources"].frame
        self.sources = sources[[c for c in SOURCE if c in sources.columns]].drop_duplicates("source_id")

    def metric_files(self) -> Iterator[tuple[str, bytes]]:
        claim_columns = list(self.package.tables["claims"].frame.columns)
        for metric_id, part in self.flat.groupby("metric_id", sort=True):
            yield f"metric/{metric_id}.csv", spreadsheet_csv(part)
            figures = part[[*claim_columns, "claimant_name", "source_title"]]
            metric = json_records(self.metrics.loc[[metric_id]])[0]
            doc = {
                "format": "war-claims-metric",
                "format_version": FORMAT_VERSION,
                "metric": metric,
                "dataset": _dataset(self.edition),
                "citation": f"war-claims, metric {metric_id} (v{self.edition.version})",
                "files": {"page": f"{metric_id}.html", "csv": f"{metric_id}.csv"},
                "figures": json_records(figures),
            }
            yield f"metric/{metric_id}.json", _dump(doc)

    def claim_files(
        self, events: dict[str, list[dict[str, str]]], later: dict[str, list[str]]
    ) -> Iterator[tuple[str, bytes]]:
        """events: model.claim_events of the history; later: model.superseded_by of the claims."""
        claims = self.package.tables["claims"].frame.drop_duplicates("claim_id")
        records = json_records(claims.sort_values("claim_id", kind="stable").reset_index(drop=True))
        metrics = {r["metric_id"]: r for r in json_records(self.metrics)}
        claimants = {r["claimant_id"]: r for r in json_records(self.claimants)}
        sources = {r["source_id"]: r for r in json_records(self.sources)}
        dataset, version = _dataset(self.edition), self.edition.version
        for record in records:
            cid = record["claim_id"]
            metric = metrics.get(record["metric_id"], {})
            claimant = claimants.get(record["claimant_id"], {})
            doc = {
                "format": "war-claims-claim",
                "format_version": FORMAT_VERSION,
                "claim": record,
                "metric": {k: metric.get(k) for k in ("metric_id", "label", "unit")},
                "claimant": {k: claimant.get(k) for k in ("claimant_id", "name", "kind")},
                "source": sources.get(record["source_id"], {}),
                "superseded_by": later.get(cid, []),
                "history": events.get(cid, []),
                "dataset": dataset,
                "citation": f"war-claims {cid} (v{version})",
                "files": {"page": f"{cid}.html"},
            }
            yield f"claim/{cid}.json", _dump(doc)


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
