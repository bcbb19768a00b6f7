"""What a comparison page shows, and its chart: every claimant's series of one thing on one axis.

A daily series is a line; a claimant with a few figures is a point each; a sum the package
computed over a claimant's item-by-item claims (Oryx's models) is a point drawn as a square and
labelled "sum computed by war-claims" wherever it appears, in the legend, the tooltip and the
table. The table pairs each other series with the main one on the other's days ("as of": the main
claimant's latest figure on or before the day).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..compare.claimants import Comparison, Series, ratio_text
from .chart import VEGA_LITE_SCHEMA, Y_AXIS
from .model import SERIES_MIN, UNIT_WORDS

CLAIMS_SHOWN = 5  # claim IDs named in a tooltip; the rest are counted


@dataclass(frozen=True, kw_only=True)
class PairRow:
    day: str
    main: str  # the main claimant's figure as of the day, with its day when earlier
    main_claim: str
    other: str
    other_claims: list[str]
    ratio: str


@dataclass(frozen=True, kw_only=True)
class Beside:
    """One series beside the main one: its name, how it is made, and the pairs."""

    series: Series
    rows: list[PairRow]


@dataclass(frozen=True, kw_only=True)
class Gap:
    """The largest difference of a comparison at its latest common day, for the home page."""

    comparison: Comparison
    other: Series
    day: str
    main: str
    other_figure: str
    ratio: float
    ratio_words: str


def _figure(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def beside(comparison: Comparison) -> list[Beside]:
    out = []
    for other in comparison.series[1:]:
        rows = []
        for pair in comparison.pairs(other):
            shown = _figure(pair.main_value)
            if shown and pair.main_day != pair.day:
                shown += f" (of {pair.main_day})"
            rows.append(
                PairRow(
                    day=pair.day,
                    main=shown or "none yet",
                    main_claim=pair.main_claims[0] if pair.main_claims else "",
                    other=_figure(pair.other_value),
                    other_claims=pair.other_claims,
                    ratio=ratio_text(pair.ratio),
                )
            )
        out.append(Beside(series=other, rows=rows))
    return out


def gaps(comparisons: list[Comparison]) -> list[Gap]:
    """Each comparison's other series at their latest day paired with the main one, the largest
    gap first (a ratio of 4 and one of 1/4 are as far apart)."""
    out = []
    for comparison in comparisons:
        for other, pair in comparison.gaps():
            assert pair.ratio is not None
            out.append(
                Gap(
                    comparison=comparison,
                    other=other,
                    day=pair.day,
                    main=_figure(pair.main_value),
                    other_figure=_figure(pair.other_value),
                    ratio=pair.ratio,
                    ratio_words=ratio_text(pair.ratio),
                )
            )
    return sorted(out, key=lambda g: (-max(g.ratio, 1 / g.ratio), g.comparison.metric_id, g.other.key))


def unit_words(comparison: Comparison) -> str:
    return UNIT_WORDS.get(comparison.unit, comparison.unit)


def comparison_spec(comparison: Comparison, address: dict[str, str] | None = None) -> dict[str, Any]:
    """One chart: a line per daily series, a point per figure of the others, a square per sum.
    address: where each claim is shown, from the site's root (series_site.addresses)."""
    address = address or {}
    values = []
    for series in comparison.series:
        kind = (
            "sum computed by war-claims"
            if series.derived
            else "daily series"
            if len(series.days) >= SERIES_MIN
            else "figure"
        )
        for day, value, claims in zip(series.days, series.values, series.claims, strict=True):
            named = " ".join(claims[:CLAIMS_SHOWN]) + (
                f" and {len(claims) - CLAIMS_SHOWN} more" if len(claims) > CLAIMS_SHOWN else ""
            )
            values.append(
                {
                    "date": day,
                    "figure": value,
                    "series": series.label,
                    "kind": kind,
                    "claims": named,
                    "href": "" if series.derived else "../" + address.get(claims[0], f"claim/{claims[0]}.html"),
                }
            )
    axis = f"{comparison.label} ({unit_words(comparison)})"
    x = {"field": "date", "type": "temporal", "title": "Day the figure is for", "axis": {"format": "%Y-%m"}}
    y = {"field": "figure", "type": "quantitative", "title": axis, "axis": Y_AXIS}
    colour = {
        "field": "series",
        "type": "nominal",
        "title": "Claimant",
        "legend": {"orient": "bottom", "labelLimit": 360},
    }
    tooltip = [
        {"field": "series", "title": "Claimant"},
        {"field": "date", "title": "Day", "type": "temporal", "format": "%Y-%m-%d"},
        {"field": "figure", "title": "Figure", "format": ","},
        {"field": "kind", "title": "Kind"},
        {"field": "claims", "title": "Claims"},
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Every claimant's figures of {comparison.label} over time",
        "data": {"values": values},
        "width": 620,
        "height": 340,
        "layer": [
            {
                "name": "lines",
                "transform": [{"filter": "datum.kind == 'daily series'"}],
                "mark": {"type": "line", "strokeWidth": 1.5},
                "encoding": {"x": x, "y": y, "color": colour},
            },
            {
                "name": "points",
                "transform": [{"filter": "datum.kind != 'daily series'"}],
                "mark": {"type": "point", "filled": True, "size": 80},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "shape": {
                        "field": "kind",
                        "type": "nominal",
                        "title": "Mark",
                        "scale": {"domain": ["figure", "sum computed by war-claims"], "range": ["circle", "square"]},
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": tooltip,
                    "href": {"field": "href"},
                },
            },
        ],
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 11}},
    }
