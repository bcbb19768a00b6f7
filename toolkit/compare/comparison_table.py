"""A comparison as one table for a spreadsheet: a row per day, a column per claimant.

Each claimant's column holds its figure as of that day (its latest on or before it), beside the
day that figure is for and the claims behind it, so a reader sees when a figure is carried
forward. Columns the package computes rather than reads (a sum of item-by-item claims, a ratio)
start with `derived_`, and the Table Schema beside the CSV says how each was computed.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..core.spreadsheet_csv import safe_table, table_csv
from .claimants import Comparison, Series


def column(series: Series) -> str:
    return f"derived_{series.key}" if series.derived else series.key


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """A row per day, a column per claimant's figure, its day and its claims, then the ratios."""
    return pd.DataFrame(_columns(comparison))


def _columns(comparison: Comparison) -> dict[str, Any]:
    """Column-wise: each series' figures are looked up for every day at once (its latest on or
    before the day), and each figure is written as text once, not once per day it is carried to."""
    days = comparison.days()
    wanted = np.array(days, dtype=str)
    columns: dict[str, Any] = {"date": days}
    held: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for series in comparison.series:
        name = column(series)
        at = np.searchsorted(np.array(series.days, dtype=str), wanted, side="right") - 1
        # a day before the series' first figure picks the filler at its end
        has, pick = at >= 0, np.where(at >= 0, at, len(series.days))
        own_day = np.array([*series.days, ""], dtype=object)[pick]
        columns[name] = np.array([*map(_number, series.values), ""], dtype=object)[pick]
        columns[f"{name}_day"] = own_day
        # the claims behind a figure on the day it is for, not again on each day it is carried to
        claims = np.array([*(" ".join(group) for group in series.claims), ""], dtype=object)
        columns[f"{name}_claims"] = np.where(has & (own_day == wanted), claims[pick], "")
        held[series.key] = (has, np.array([*series.values, 0.0], dtype="float64")[pick], own_day)
    main = comparison.main
    main_has, main_value, _ = held[main.key]
    for other in comparison.series[1:]:
        has, value, own_day = held[other.key]
        # only where the other has a figure for the day itself: no ratio to an old figure
        fits = main_has & has & (value != 0) & (own_day == wanted)
        ratios = np.full(len(days), "", dtype=object)
        ratios[fits] = [f"{r:.4f}" for r in (main_value[fits] / value[fits]).tolist()]
        columns[f"derived_ratio_{column(main)}_to_{column(other)}"] = ratios
    return columns


def comparison_csv(comparison: Comparison) -> bytes:
    """Spreadsheet-safe CSV, as every CSV a release publishes (core/spreadsheet_csv.py); made once
    per comparison (kept on it), since the release and the site both publish it."""
    if comparison.csv is None:  # every cell is text already: straight to arrow, not through pandas
        columns = {name: pa.array(values, type=pa.string()) for name, values in _columns(comparison).items()}
        comparison.csv = table_csv(safe_table(pa.table(columns)))
    return comparison.csv


def comparison_schema(comparison: Comparison, unit_words: str) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "date", "type": "date", "description": "A day on which at least one claimant has a figure."}
    ]
    members = {m.metric_id: m for m in comparison.members}
    for series in comparison.series:
        name = column(series)
        what = ", ".join(members[m].label if m in members else m for m in series.metrics)
        if series.derived:
            about = (
                f"Computed by war-claims, not claimed by anyone: the sum of {series.claimant_name}'s figures of that "
                f"day over its items ({what}), as of the day (its latest sum on or before it)."
            )
        else:
            about = f"{series.claimant_name}'s figure of {what}, as of the day (its latest on or before it)."
        fields += [
            {"name": name, "type": "number", "description": f"{about} In {unit_words}."},
            {"name": f"{name}_day", "type": "date", "description": f"The day the figure in {name} is for."},
            {
                "name": f"{name}_claims",
                "type": "string",
                "description": f"The claims behind {name}, by ID, on the day the figure is for "
                "(empty on the days it is carried to).",
            },
        ]
    main = comparison.main
    for other in comparison.series[1:]:
        fields.append(
            {
                "name": f"derived_ratio_{column(main)}_to_{column(other)}",
                "type": "number",
                "description": f"Computed by war-claims: {column(main)} as of the day divided by {column(other)}, on "
                "the days the latter has a figure for.",
            }
        )
    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "title": f"{comparison.label}: every claimant's figures side by side",
        "description": "Derived from the claims table of war-claims (cite figures by their claim IDs). "
        + " ".join(f"{m.label}: {m.comparison}" for m in comparison.members if m.comparison),
        "fields": fields,
        "primaryKey": ["date"],
        "missingValues": [""],
    }


def comparison_schema_json(comparison: Comparison, unit_words: str) -> bytes:
    return (json.dumps(comparison_schema(comparison, unit_words), indent=2, ensure_ascii=False) + "\n").encode()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
