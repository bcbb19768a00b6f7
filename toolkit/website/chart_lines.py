"""The days of a metric chart's lines, computed column-wise.

A line is a claimant's running total read from a data file, one figure a day (chart.time_marks
says when). Its days are most of a metric's figures (1,600 a series in the real package, a hundred
thousand in a large one), and each needs only what its tooltip and link show: so they are not made
as a dict per day and dumped by json.dumps, but written as JSON text by arrow kernels and spliced
into the spec where a placeholder stands. chart.time_marks makes the other figures, which carry
everything a point with bounds needs.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup

from ..compare.claimants import DAILY_GAP
from ..core.arrow import number_text
from ..core.json_text import json_literals
from .chart import OPEN_ABOVE, OPEN_BELOW
from .model import SERIES_MIN
from .output import script_json

LINE_DAYS = "WAR_CLAIMS_LINE_DAYS"  # where the lines' days go in the spec's data


def line_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of the figures (model.claim_records, text) are days of a line: the current
    running totals of a metric read from a data file, of a claimant with SERIES_MIN of them or
    more, one a day from each source, all of one subject and, as a rule, at most DAILY_GAP days
    apart (a claimant counting item by item, the losses of both sides under one metric, or
    estimates published months apart, are points, not a line).

    Two compilations of one claimant's reports give most days twice, from two sources: the line
    takes each day's first claim by ID (as the comparisons do), and the others of that day are
    returned apart (shadowed), drawn by neither the line nor the points; the tables list them."""
    in_series = (frame["period_end"] != "") & (frame["count_type"] == "cumulative") & frame["current"].astype(bool)
    if "locator" in frame.columns:
        in_series &= frame["locator"] != ""
    else:
        in_series &= False
    keys = ["metric_id", "claimant_id"]
    days = frame.loc[in_series, [*keys, "period_end", "subject", "source_id", "claim_id"]]
    days = days.assign(n=days["claim_id"].str.extract(r"([0-9]+)$", expand=False).astype("int64"))
    days = days.sort_values([*keys, "period_end", "n"], kind="stable")
    itemised = days.duplicated([*keys, "period_end", "source_id"])  # a source's several figures a day
    first = ~days.duplicated([*keys, "period_end"])
    # figures weeks or years apart (a table's estimates) are points, never joined as if one series
    when = pd.to_datetime(days["period_end"])
    days = days.assign(gap=when.where(first).groupby([days[k] for k in keys]).diff().dt.days, itemised=itemised)
    counts = days.groupby(keys).agg(
        size=("period_end", "size"),
        days=("period_end", "nunique"),
        subjects=("subject", "nunique"),
        gap=("gap", "median"),
        itemised=("itemised", "any"),
    )
    lines = counts.index[
        (counts["days"] >= SERIES_MIN) & ~counts["itemised"] & (counts["subjects"] == 1) & (counts["gap"] <= DAILY_GAP)
    ]
    on = in_series & pd.MultiIndex.from_frame(frame[keys]).isin(lines)
    firsts = pd.Series(False, index=frame.index)
    firsts.loc[days.index[first.to_numpy()]] = True
    return (on & firsts).to_numpy(dtype=bool), (on & ~firsts).to_numpy(dtype=bool)


def line_marks(frame: pd.DataFrame, numbers: np.ndarray, href: pd.Series) -> pa.Array:
    """Each line day's mark as a JSON object (keys sorted, as script_json writes the spec):
    claimant, date, figure, href, id, series, whose, y. numbers: (value, value_low, value_high) floats
    of the same rows; href: each row's link from the metric page."""
    value, low, high = (numbers[:, k] if len(numbers) else np.empty(0) for k in range(3))
    bounded = frame["qualifier"].isin([*OPEN_ABOVE, *OPEN_BELOW]).to_numpy(dtype=bool)
    middle = np.isnan(value) & ~np.isnan(low) & ~np.isnan(high)  # a range: its middle, as figure_marks
    y = np.where(~bounded & middle, (low + high) / 2, value)
    claimant = frame["claimant_name"].where(frame["claimant_name"] != "", frame["claimant_id"])
    whose = frame["whose"] if "whose" in frame.columns else pd.Series("", index=frame.index)
    parts = [
        '{"claimant":', json_literals(claimant),
        ',"date":', json_literals(frame["period_end"]),
        ',"figure":', json_literals(frame["figure"]),
        ',"href":', json_literals(href),
        ',"id":', json_literals(frame["claim_id"]),
        ',"series":true,"whose":', json_literals(whose),
        ',"y":', pc.fill_null(number_text(pa.array(y, from_pandas=True)), "null"), "}",
    ]  # fmt: skip
    return pc.binary_join_element_wise(*parts, "")


def spec_script(spec: dict[str, Any], days: pa.Array) -> Markup:
    """The spec as script_json writes it, with the lines' days in the place of LINE_DAYS in its
    data (escaped the same way: no <, > or & is left to end the script element)."""
    text = str(script_json(spec))
    joined = ",".join(days.to_pylist())
    joined = joined.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    here = json.dumps(LINE_DAYS)
    if joined:
        return Markup(text.replace(here, joined, 1))
    return Markup(text.replace("," + here, "", 1).replace(here, "", 1))
