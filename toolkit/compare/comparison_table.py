"""A comparison as files for programs and spreadsheets: a tidy long table and a wide one.

The long table is a row per figure: its day, the claimant's name and ID, whose losses, whether the
claimant is a party to the war, what it states (value, bounds, qualifier, wording), the claims
behind it and any doubt about its date, so a reader can plot, filter and cite it as it is. The wide
table is a row per day and a column per claimant, each figure on its own day only: a plain plot of
it draws the points where they are, never a figure carried forward for a year. A figure the
package computed rather than read (a sum of item-by-item claims) says so in the long table's
`derived` column and in the wide table's column name (`derived_...`). Each file has a Table Schema.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..core.spreadsheet_csv import safe_table, table_csv
from .claimants import SIDE_WORDS, Comparison, Series

SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"
SUM = "sum computed by war-claims"


def column(series: Series) -> str:
    return f"derived_{series.key}" if series.derived else series.key


def _number(value: float) -> str:
    if value != value:  # NaN: no such figure
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def long_columns(comparison: Comparison) -> dict[str, list[str]]:
    """Column-wise, every cell text: a row per figure, by day then claimant name."""
    rows: list[tuple[str, ...]] = []
    for s in comparison.series:
        n = len(s.days)
        nan = [math.nan] * n
        stated = s.values if s.derived else (s.stated or nan)
        for i in range(n):
            rows.append(
                (
                    s.days[i],
                    s.claimant_name,
                    s.claimant_id,
                    comparison.side,
                    "yes" if s.party else "",
                    " ".join(s.metrics) if s.derived else "",
                    _number(stated[i]),
                    _number(s.lows[i]) if s.lows else "",
                    _number(s.highs[i]) if s.highs else "",
                    "" if s.derived else (s.qualifiers[i] if s.qualifiers else ""),
                    SUM if s.derived else (s.wordings[i] if s.wordings else ""),
                    " ".join(s.claims[i]),
                    "yes" if s.derived else "",
                    s.doubts[i] if s.doubts else "",
                )
            )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    names = [f["name"] for f in _long_fields(comparison, "")]
    return {name: [r[i] for r in rows] for i, name in enumerate(names)}


def _long_fields(comparison: Comparison, unit_words: str) -> list[dict[str, Any]]:
    side = SIDE_WORDS.get(comparison.side, comparison.side)
    return [
        {"name": "date", "type": "date", "description": "The day the figure is for (its claim's period_end)."},
        {"name": "claimant", "type": "string", "description": "Who makes the claim, by name (claimants.csv name)."},
        {"name": "claimant_id", "type": "string", "description": "The claimant's ID in the package (claimants.csv)."},
        {
            "name": "side",
            "type": "string",
            "description": f"Whose losses the figure counts: {comparison.side or 'not given'} ({side}). Every row of "
            "this file has the same side: the other side's figures are in a comparison of their own.",
        },
        {
            "name": "party",
            "type": "string",
            "description": "yes when the claimant is of Russia or Ukraine, a party to the war.",
        },
        {
            "name": "metrics",
            "type": "string",
            "description": "For a sum war-claims computed: the metrics whose claims it adds up; empty for a claim.",
        },
        {
            "name": "value",
            "type": "number",
            "description": f"The figure the claim states, in {unit_words or 'the unit of the metric'} (empty when its "
            "words give only bounds, as a range does); for a computed sum, the sum.",
        },
        {"name": "value_low", "type": "number", "description": "The lowest figure the claim's words allow, if any."},
        {"name": "value_high", "type": "number", "description": "The highest figure the claim's words allow, if any."},
        {
            "name": "qualifier",
            "type": "string",
            "description": "How the words qualify the figure (exact, approximately, at_least, range, estimate...: "
            "the package's data dictionary gives each rule); empty for a computed sum.",
        },
        {"name": "wording", "type": "string", "description": "The claim's own words for the figure."},
        {"name": "claims", "type": "string", "description": "The claim IDs behind the row, separated by spaces."},
        {
            "name": "derived",
            "type": "string",
            "description": "yes for a figure war-claims computed, which nobody claimed: a sum of a claimant's "
            "item-by-item claims (a list's figures of one day; or, for running tallies given on the days they "
            "change, each one's latest figure on or before the day); empty for a claim.",
        },
        {
            "name": "date_doubt",
            "type": "string",
            "description": "Why the evidence doubts the day the figure is given for (claims.date_doubt), if it does.",
        },
    ]


def wide_columns(comparison: Comparison) -> dict[str, list[str]]:
    """A row per day, a column per claimant: each figure on its own day only, never carried."""
    days = comparison.days()
    where = {d: i for i, d in enumerate(days)}
    columns: dict[str, list[str]] = {"date": days}
    for s in comparison.series:
        figures = np.full(len(days), "", dtype=object)
        claims = np.full(len(days), "", dtype=object)
        at = [where[d] for d in s.days]
        figures[at] = [_number(v) for v in s.values]
        claims[at] = [" ".join(c) for c in s.claims]
        columns[column(s)] = figures.tolist()
        columns[f"{column(s)}_claims"] = claims.tolist()
    return columns


def _wide_fields(comparison: Comparison, unit_words: str) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [
        {"name": "date", "type": "date", "description": "A day on which at least one claimant has a figure."}
    ]
    members = {m.metric_id: m for m in comparison.members}
    for s in comparison.series:
        name = column(s)
        what = ", ".join(members[m].label if m in members else m for m in s.metrics)
        if s.derived:
            about = (
                f"Computed by war-claims, not claimed by anyone: the sum of {s.claimant_name}'s figures of that day "
                f"over its items ({what})."
            )
        else:
            about = (
                f"{s.claimant_name}'s figure of {what} on the days it gives one (empty on the others; a range is given "
                "at its middle: the long table has its bounds)."
            )
        fields += [
            {"name": name, "title": s.label, "type": "number", "description": f"{about} In {unit_words}."},
            {"name": f"{name}_claims", "type": "string", "description": f"The claims behind {name}, by ID."},
        ]
    return fields


def _schema(comparison: Comparison, fields: list[dict[str, Any]], key: list[str], what: str) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": f"{comparison.title}: {what}",
        "description": "Derived from the claims table of war-claims (cite figures by their claim IDs). "
        + " ".join(f"{m.label}: {m.comparison}" for m in comparison.members if m.comparison),
        "fields": fields,
        "primaryKey": key,
        "missingValues": [""],
    }


# Why a column every comparison file has can be empty in every row of one of them: the files keep
# one column set so that a program reads them all alike, and the schema says why a column is blank.
_EMPTY_BECAUSE = {
    "metrics": "no figure in it is a sum war-claims computed.",
    "derived": "no figure in it is a sum war-claims computed.",
    "date_doubt": "the evidence doubts none of its days.",
    "party": "none of its claimants is a party to the war.",
}


def _say_empty(fields: list[dict[str, Any]], columns: dict[str, list[str]]) -> None:
    for field in fields:
        values = columns.get(field["name"])
        if values is not None and values and not any(values):
            why = _EMPTY_BECAUSE.get(field["name"], "no figure in it has one.")
            field["description"] += f" Empty in every row of this file: {why}"


def comparison_schema(
    comparison: Comparison, unit_words: str, columns: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The long table's schema; given the table's columns, it says which are empty throughout and why."""
    fields = _long_fields(comparison, unit_words)
    if columns is not None:
        _say_empty(fields, columns)
    return _schema(comparison, fields, ["date", "claimant_id", "claims"], "every claimant's figures, a row each")


def wide_schema(comparison: Comparison, unit_words: str) -> dict[str, Any]:
    fields = _wide_fields(comparison, unit_words)
    return _schema(comparison, fields, ["date"], "a row per day, a column per claimant")


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """The long table as a frame, for library callers and tests."""
    return pd.DataFrame(long_columns(comparison))


def _csv(columns: dict[str, list[str]]) -> bytes:
    table = pa.table({name: pa.array(values, type=pa.string()) for name, values in columns.items()})
    return table_csv(safe_table(table), bom=False)  # for programs, through its schema


def _json(value: dict[str, Any]) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def comparison_files(comparison: Comparison, unit_words: str) -> dict[str, bytes]:
    """The comparison's files by the suffix of their name ("" the long CSV, "-wide" the wide one):
    made once per comparison (kept on it), since the release and the site publish the same bytes."""
    if comparison.files is None:
        long = long_columns(comparison)
        comparison.files = {
            ".csv": _csv(long),
            ".schema.json": _json(comparison_schema(comparison, unit_words, long)),
            "-wide.csv": _csv(wide_columns(comparison)),
            "-wide.schema.json": _json(wide_schema(comparison, unit_words)),
        }
    return comparison.files
