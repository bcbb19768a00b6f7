"""A download per imported series in wide form: one row per day, one column per metric.

The long table (one claim per day and metric) is what the package holds and what a figure is cited
by; a journalist charting the series in a spreadsheet wants a day per row. Each wide CSV has a
Table Schema beside it: the notes of its header, naming for every column the metric, its unit and
definition, the claimant, the sources and snapshot the figures come from, and how the claimant
qualifies them ("about"), which the wide form cannot show cell by cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..compare.reporters import claim_reporters
from ..core.arrow import column_number_text
from ..read.model import LoadedPackage

LIVE = ("reported", "corroborated", "disputed")
SERIES_MIN = 5  # days that make a series (as the site draws a line: website/model.py)


@dataclass(frozen=True, kw_only=True)
class WideSeries:
    claimant_id: str
    name: str  # the file's: the claimant's ID, with the compilation's name for a second compilation of it
    table: pd.DataFrame  # date, then one column per metric, values as text ("" where none)
    schema: dict


def wide_series(package: LoadedPackage) -> list[WideSeries]:
    """One wide table per claimant with daily series taken from datasets (claims with a locator).

    A column is a series only where a cell can hold its one figure: one subject, one claim a day,
    every claim with a value, SERIES_MIN days or more, of a claimant that never gives several
    figures of one metric a day. Oryx's counts per model and the estimates of a compiled table
    (a day's killed of both sides under one metric, ranges with no value, a figure or two per
    claimant) have no column; their claims are in the long table."""
    claims = package.tables["claims"].frame
    if "locator" not in claims.columns:
        return []
    located = claims[claims["locator"].notna() & claims["period_end"].notna() & claims["status"].isin(LIVE)]
    located = located.assign(reporter=claim_reporters(located, package.tables["sources"].frame))
    keys = ["claimant_id", "reporter", "metric_id"]
    shape = located.groupby(keys).agg(
        days=("period_end", "nunique"),
        rows=("claim_id", "size"),
        subjects=("subject", "nunique"),
        values=("value", "count"),
    )
    whole = shape.index.droplevel("metric_id")
    itemised = whole[shape.rows > shape.days]  # several figures a day
    fit = (shape.days == shape.rows) & (shape.subjects == 1) & (shape["values"] == shape.rows)
    series = shape[fit & (shape.days >= SERIES_MIN) & ~whole.isin(itemised)].index
    located = located[pd.MultiIndex.from_frame(located[keys]).isin(series)]
    # a claimant's second compilation (two datasets transcribing its reports) has a file of its
    # own, named with the compilation; the one imported first keeps the claimant's name
    number = located["claim_id"].str.extract(r"([0-9]+)$", expand=False).astype("int64")
    first = located.assign(n=number).groupby(["claimant_id", "reporter"])["n"].min()
    out = []
    for (claimant, reporter), part in located.groupby(["claimant_id", "reporter"], sort=True):
        earlier = first.loc[claimant]
        primary = int(earlier[reporter]) == int(earlier.min())
        name = str(claimant) if primary else f"{claimant}-{reporter}"
        out.append(_wide(package, str(claimant), name, part))
    return sorted(out, key=lambda w: w.name)


def _wide(package: LoadedPackage, claimant: str, name: str, part: pd.DataFrame) -> WideSeries:
    numbers = part["claim_id"].str.extract(r"([0-9]+)$")[0].astype(int)
    order = list(dict.fromkeys(part.assign(n=numbers).sort_values("n")["metric_id"]))
    days = part["period_end"].dt.strftime("%Y-%m-%d")
    texts = column_number_text(part["value"])
    wide = pd.DataFrame({"date": days, "metric": part["metric_id"], "value": texts}).pivot_table(
        index="date", columns="metric", values="value", aggfunc="last"
    )
    wide = wide.reindex(columns=order).sort_index().fillna("").reset_index()
    return WideSeries(claimant_id=claimant, name=name, table=wide, schema=_schema(package, claimant, part, order))


def _schema(package: LoadedPackage, claimant: str, part: pd.DataFrame, order: list[str]) -> dict:
    tables = package.tables
    metrics = tables["metrics"].frame.set_index("metric_id")
    name = tables["claimants"].frame.set_index("claimant_id")["name"].get(claimant, claimant)
    sources = tables["sources"].frame.set_index("source_id")
    publishers = sorted({str(p) for p in sources["publisher"].reindex(part["source_id"].unique()).dropna()} - {""})
    compiled = f" as {' and '.join(publishers)} compiled them" if publishers else ""
    fields = [
        {
            "name": "date",
            "type": "date",
            "title": "Date",
            "description": (
                "The claims' period_end: for a daily series, the date of the report the figures come from, which "
                "may count losses to the day before (each column's description says what its figures count)."
            ),
        }
    ]
    for metric in order:
        mine = part[part["metric_id"] == metric]
        ids = sorted(mine["source_id"].dropna().unique())
        snapshots = sorted({str(sources["commit"].get(s, ""))[:12] for s in ids} - {""})
        qualifiers = sorted(mine["qualifier"].dropna().unique())
        fields.append(
            {
                "name": metric,
                "type": "number",
                "title": str(metrics["label"].get(metric, metric)),
                "description": (
                    f"{metrics['definition'].get(metric, '')} Unit: {metrics['unit'].get(metric, '')}. "
                    f"Claimed by {name}; source {', '.join(ids)}"
                    + (f" (snapshot {', '.join(snapshots)})" if snapshots else "")
                    + f"; qualified as {', '.join(qualifiers)} (the claims table keeps each figure's wording)."
                ),
            }
        )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "title": f"Daily figures of {name}{compiled}, one column per metric",
        "description": (
            "Derived from the claims table of war-claims: each cell is the value of the claim for that day and "
            "metric (cite the claim, by its ID, from the claims table). Empty where no figure was reported."
        ),
        "fields": fields,
        "primaryKey": ["date"],
        "missingValues": [""],
    }


def write_wide(series: WideSeries, csv_path: Path, schema_path: Path) -> None:
    series.table.to_csv(csv_path, index=False, lineterminator="\n")
    schema_path.write_text(json.dumps(series.schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
