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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import column_number_text, isin
from ..core.json_text import json_literals
from ..core.spreadsheet_csv import spreadsheet_table, table_csv
from ..read.flat import flat_claims
from ..read.model import LoadedPackage
from .model import Edition
from .series_site import SeriesGroup

FORMAT_VERSION = 1
ROWS = "\u0000rows\u0000"  # where a series' figures go in its document, written apart (json_rows)
# 2: a metric's figures that are in a series are in that series' files, which "series" names
METRIC_FORMAT_VERSION = 2
# what may differ from one figure of a series to the next (the rest is said once, in "series")
SERIES_COLUMNS = (
    "claim_id", "period_end", "wording", "qualifier", "value", "value_low", "value_high", "subject",
    "attribution", "status", "supersedes", "notes", "source_id", "locator",
)  # fmt: skip
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


def json_row_texts(frame: pd.DataFrame) -> pa.Array:
    """Each row of the frame as the inside of its JSON array (its cells' literals joined by
    commas), built column-wise: a million figures do not pass through Python a cell at a time."""
    cells = [json_literals(frame[name]) for name in frame.columns]
    return pc.binary_join_element_wise(*cells, ",")


def _json_array(rows: pa.Array) -> str:
    return "[" + ",".join(f"[{r}]" for r in rows.to_pylist()) + "]"


def json_rows(frame: pd.DataFrame) -> str:
    """The frame as a JSON array of arrays (a row per row, its cells in column order)."""
    if frame.empty:
        return "[]"
    return _json_array(json_row_texts(frame))


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

    def metric_files(self, groups: list[SeriesGroup] | None = None, ids: Any = None) -> Iterator[tuple[str, bytes]]:
        """metric/<id>.csv and .json: the metric's figures that are not in a series, and (in the
        JSON) the series whose files hold the others. groups and ids: see series_files. The rows
        are ordered by metric and converted once; each metric's files are a slice."""
        claim_columns = list(self.package.tables["claims"].frame.columns)
        groups = groups or []
        in_series = isin(self.flat["claim_id"], pd.Series([ids[r] for g in groups for r in g.rows], dtype=object))
        own = self.flat[~in_series.to_numpy(dtype=bool)]
        own = own[own["metric_id"].notna()].sort_values("metric_id", kind="stable").reset_index(drop=True)
        cells = spreadsheet_table(own)
        figures = json_records(own[[*claim_columns, "claimant_name", "source_title"]])
        metric_ids = own["metric_id"].astype(str).to_numpy()
        everything = sorted(self.flat["metric_id"].dropna().unique())
        starts = np.searchsorted(metric_ids, everything, side="left")
        ends = np.searchsorted(metric_ids, everything, side="right")
        for metric_id, start, end in zip(everything, starts, ends, strict=True):
            start, end = int(start), int(end)
            yield f"metric/{metric_id}.csv", table_csv(cells.slice(start, end - start))
            doc = {
                "format": "war-claims-metric",
                "format_version": METRIC_FORMAT_VERSION,
                "metric": self._metric_record(metric_id),
                "dataset": _dataset(self.edition),
                "citation": f"war-claims, metric {metric_id} (v{self.edition.version})",
                "files": {"page": f"{metric_id}.html", "csv": f"{metric_id}.csv"},
                "series": [
                    {
                        "series": g.key,
                        "claimant_id": g.claimant_id,
                        "figures": len(g.rows),
                        "json": f"../{g.files}.json",
                        "csv": f"../{g.files}.csv",
                    }
                    for g in groups
                    if g.metric_id == metric_id
                ],
                "figures": figures[start:end],
            }
            yield f"metric/{metric_id}.json", _dump(doc)

    def series_files(self, groups: list[SeriesGroup], ids: Any) -> Iterator[tuple[str, bytes]]:
        """series/<series>.csv and .json: a series' figures (a series claim has no claim/<id>.json).
        What every figure of the series shares (claimant, metric, unit, count, start, source
        files) is said once; each figure carries what may differ. ids: the claim IDs the groups'
        rows index (site.claims' order).

        The figures of all series are taken from the claims, ordered and turned into CSV cells
        and JSON rows once; each series' files are slices of that (zero-copy), so the cost
        follows the figures, not the number of series times the size of the package."""
        if not groups:
            return
        claims = self.package.tables["claims"].frame.drop_duplicates("claim_id").set_index("claim_id", drop=False)
        picked = [ids[r] for g in groups for r in g.rows]
        number = np.repeat(np.arange(len(groups)), [len(g.rows) for g in groups])
        part = claims.take(claims.index.get_indexer(pd.Index(picked))).reset_index(drop=True)
        part = part.assign(_series=number).sort_values(["_series", "period_end", "claim_id"], kind="stable")
        part = part.reset_index(drop=True)
        columns = [c for c in SERIES_COLUMNS if c in part.columns]
        cells = spreadsheet_table(part[columns])
        rows = json_row_texts(part[columns])
        shared = part[[c for c in ("unit", "count_type", "period_start") if c in part.columns]]
        starts = np.concatenate([[0], np.cumsum([len(g.rows) for g in groups])])
        for k, group in enumerate(groups):
            start, count = int(starts[k]), len(group.rows)
            yield f"{group.files}.csv", table_csv(cells.slice(start, count))
            first = json_records(shared.iloc[start : start + 1])[0] if count else {}
            doc = {
                "format": "war-claims-series",
                "format_version": FORMAT_VERSION,
                "series": {
                    "series": group.key,
                    "upstream": group.upstream,
                    "claimant_id": group.claimant_id,
                    "claimant_name": group.claimant_name,
                    "first_day": group.first_day or None,
                    "last_day": group.last_day or None,
                    "sources": group.sources,
                    **{k: first.get(k) for k in ("unit", "count_type", "period_start")},
                },
                "metric": self._metric_record(group.metric_id),
                "dataset": _dataset(self.edition),
                "citation": f"war-claims, series {group.key} (v{self.edition.version}); cite a figure by its claim ID",
                "files": {
                    "pages": [group.page(y).removeprefix("series/") for y in group.years],
                    "csv": f"{group.key}.csv",
                },
                # a column list and a row per figure (pandas: DataFrame(rows, columns=columns)): the
                # names once, not once a figure; the rows are written column-wise (json_rows)
                "figures": {"columns": columns, "rows": ROWS},
            }
            head = _dump(doc, compact=True).decode("utf-8")
            body = _json_array(rows.slice(start, count))
            yield f"{group.files}.json", head.replace(json.dumps(ROWS), body, 1).encode("utf-8")

    def _metric_record(self, metric_id: str) -> dict[str, Any]:
        if not hasattr(self, "_metric_records"):
            self._metric_records = {r["metric_id"]: r for r in json_records(self.metrics)}
        return self._metric_records[metric_id]

    def claim_files(
        self, events: dict[str, list[dict[str, str]]], later: dict[str, list[str]], skip: set[str] | None = None
    ) -> Iterator[tuple[str, bytes]]:
        """events: model.claim_events of the history; later: model.superseded_by of the claims;
        skip: the claims in a series (their series' files hold them)."""
        claims = self.package.tables["claims"].frame.drop_duplicates("claim_id")
        if skip:
            claims = claims[~isin(claims["claim_id"], pd.Series(sorted(skip), dtype=object)).to_numpy(dtype=bool)]
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


def _dump(doc: dict[str, Any], compact: bool = False) -> bytes:
    """Indented for a reader; a series' file, thousands of figures, without the whitespace."""
    if compact:
        return (json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")
    return (json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
