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
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import column_number_text, number_text
from ..core.spreadsheet_csv import spreadsheet_csv
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


_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def _json_text(col: pd.Series) -> pa.Array:
    """Each cell of a typed column as its JSON literal, computed column-wise in arrow: numbers as
    written, dates as "YYYY-MM-DD", text quoted and escaped, null where empty. Text with another
    control character (the hygiene check refuses them in data/) is encoded one by one."""
    if pd.api.types.is_numeric_dtype(col):
        text = number_text(pa.array(col.astype("float64"), from_pandas=True))
        return pc.fill_null(text, "null")
    if pd.api.types.is_datetime64_any_dtype(col):
        col = col.dt.strftime("%Y-%m-%d")
    arr = pa.array(col.astype(object).where(col.notna(), None), type=pa.string(), from_pandas=True)
    odd = pc.match_substring_regex(arr, r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
    quoted = arr
    for old, new in _ESCAPES:
        quoted = pc.replace_substring(quoted, old, new)
    quoted = pc.binary_join_element_wise('"', quoted, '"', "")
    if pc.any(pc.fill_null(odd, False)).as_py():  # never in a valid package; still right
        exact = [None if v is None else json.dumps(v, ensure_ascii=False) for v in arr.to_pylist()]
        quoted = pc.if_else(pc.fill_null(odd, False), pa.array(exact, pa.string()), quoted)
    return pc.fill_null(quoted, "null")


def json_rows(frame: pd.DataFrame) -> str:
    """The frame as a JSON array of arrays (a row per row, its cells in column order), built
    column-wise: a series of a million figures does not pass through Python a cell at a time."""
    if frame.empty:
        return "[]"
    cells = [_json_text(frame[name]) for name in frame.columns]
    rows = pc.binary_join_element_wise(*cells, ",")
    return "[" + ",".join(f"[{r}]" for r in rows.to_pylist()) + "]"


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
        JSON) the series whose files hold the others. groups and ids: see series_files."""
        claim_columns = list(self.package.tables["claims"].frame.columns)
        groups = groups or []
        in_series = self.flat["claim_id"].isin(pd.Index([ids[r] for g in groups for r in g.rows]))
        own_rows = self.flat[~in_series.to_numpy(dtype=bool)]
        for metric_id in sorted(self.flat["metric_id"].dropna().unique()):
            own = own_rows[own_rows["metric_id"] == metric_id]
            yield f"metric/{metric_id}.csv", spreadsheet_csv(own)
            figures = own[[*claim_columns, "claimant_name", "source_title"]]
            metric = json_records(self.metrics.loc[[metric_id]])[0]
            doc = {
                "format": "war-claims-metric",
                "format_version": METRIC_FORMAT_VERSION,
                "metric": metric,
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
                "figures": json_records(figures),
            }
            yield f"metric/{metric_id}.json", _dump(doc)

    def series_files(self, groups: list[SeriesGroup], ids: Any) -> Iterator[tuple[str, bytes]]:
        """series/<series>.csv and .json: a series' figures (a series claim has no claim/<id>.json).
        What every figure of the series shares (claimant, metric, unit, count, start, source
        files) is said once; each figure carries what may differ. ids: the claim IDs the groups'
        rows index (site.claims' order)."""
        claims = self.package.tables["claims"].frame.drop_duplicates("claim_id").set_index("claim_id", drop=False)
        for group in groups:
            part = claims.loc[[ids[r] for r in group.rows]].reset_index(drop=True)
            part = part.sort_values(["period_end", "claim_id"], kind="stable")
            columns = [c for c in SERIES_COLUMNS if c in part.columns]
            yield f"{group.files}.csv", spreadsheet_csv(part[columns])
            first = json_records(part.head(1))[0] if len(part) else {}
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
                "metric": json_records(self.metrics.loc[[group.metric_id]])[0],
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
            yield f"{group.files}.json", head.replace(json.dumps(ROWS), json_rows(part[columns]), 1).encode("utf-8")

    def claim_files(
        self, events: dict[str, list[dict[str, str]]], later: dict[str, list[str]], skip: set[str] | None = None
    ) -> Iterator[tuple[str, bytes]]:
        """events: model.claim_events of the history; later: model.superseded_by of the claims;
        skip: the claims in a series (their series' files hold them)."""
        claims = self.package.tables["claims"].frame.drop_duplicates("claim_id")
        if skip:
            claims = claims[~claims["claim_id"].isin(skip)]
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
