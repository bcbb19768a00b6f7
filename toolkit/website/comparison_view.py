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


# a claimant of Russia or Ukraine (compare/claimants.py: WARRING), marked in the chart
LEGEND_ROW = 4  # claimants a legend lists in one row
DAILY = "daily series"
PARTY = "a party to the war"
NOT_PARTY = "not a party to the war"
PARTY_FIGURE = "figure of a party to the war"


def _figure(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


@dataclass(frozen=True, kw_only=True)
class FigureRow:
    """A figure of a claimant with no daily series: its day, who, the figure, its claim."""

    day: str
    claimant: str
    party: bool
    figure: str
    claim: str


def listed(series: Series) -> bool:
    """A series whose figures the page lists one by one: a claimant's own few figures, not a daily
    line and not a computed sum."""
    return not series.derived and len(series.days) < SERIES_MIN


def figures_by_day(comparison: Comparison, words: dict[str, str] | None = None) -> list[FigureRow]:
    """Every figure the chart draws as a point (not a daily line, not a computed sum), by day then
    claimant: the estimates of many claimants read as one list, each with the claim that gives its
    wording, reference and source. words: each claim's figure in words ("between 189,500 and
    223,000"), where the chart can draw one number only (a range at its low bound)."""
    words = words or {}
    rows = [
        FigureRow(
            day=day,
            claimant=s.claimant_name,
            party=s.party,
            figure=words.get(claims[0]) or _figure(value),
            claim=claims[0],
        )
        for s in comparison.series
        if listed(s)
        for day, value, claims in zip(s.days, s.values, s.claims, strict=True)
    ]
    return sorted(rows, key=lambda r: (r.day, r.claimant))


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
    axis = f"{comparison.label} ({unit_words(comparison)})"
    x = {"field": "date", "type": "temporal", "title": "Day the figure is for", "axis": {"format": "%Y-%m"}}
    y = {"field": "figure", "type": "quantitative", "title": axis, "axis": Y_AXIS}
    colour = {
        "field": "series",
        "type": "nominal",
        "title": "Claimant",
        # a few claimants in a row; many (a table of estimates) in three columns, within the page
        "legend": {"orient": "bottom", "labelLimit": 360}
        if len(comparison.series) <= LEGEND_ROW
        else {"orient": "bottom", "columns": 3, "labelLimit": 260},
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Every claimant's figures of {comparison.label} over time",
        "data": {"values": _chart_values(comparison, address or {})},
        "transform": [
            {"calculate": f"datum.party ? '{PARTY}' : '{NOT_PARTY}'", "as": "side"},
            {"calculate": f"datum.kind || '{DAILY}'", "as": "kind"},
        ],
        "width": 620,
        "height": 340,
        "layer": [_lines_layer(x, y, colour), _points_layer(x, y, colour)],
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 11}},
    }


def _kind(series: Series) -> str:
    if series.derived:
        return "sum computed by war-claims"
    if len(series.days) >= SERIES_MIN:
        return DAILY
    return PARTY_FIGURE if series.party else "figure"


def _chart_values(comparison: Comparison, address: dict[str, str]) -> list[dict[str, Any]]:
    """A record per figure. What repeats over a daily series' thousand points is left to the
    chart to compute: its kind, and every point's side in words. What is the same for a whole
    series is worked out once per series, not once per point."""
    values: list[dict[str, Any]] = []
    for series in comparison.series:
        kind = _kind(series)
        shared = {**({} if kind == DAILY else {"kind": kind}), **({"party": 1} if series.party else {})}
        label = series.label
        if series.derived:
            hrefs = [""] * len(series.claims)
        else:
            hrefs = ["../" + address.get(c[0], f"claim/{c[0]}.html") for c in series.claims]
        values += [
            {**shared, "date": day, "figure": value, "series": label, "claims": _named(claims), "href": href}
            for day, value, claims, href in zip(series.days, series.values, series.claims, hrefs, strict=True)
        ]
    return values


def _named(claims: list[str]) -> str:
    """The claims behind a figure as its tooltip names them: the first few, and how many more."""
    if len(claims) == 1:
        return claims[0]
    more = len(claims) - CLAIMS_SHOWN
    return " ".join(claims[:CLAIMS_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _lines_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """The daily series, a party's dashed."""
    return {
        "name": "lines",
        "transform": [{"filter": f"datum.kind == '{DAILY}'"}],
        "mark": {"type": "line", "strokeWidth": 1.5},
        "encoding": {
            "x": x,
            "y": y,
            "color": colour,
            "strokeDash": {
                "field": "side",
                "type": "nominal",
                "title": "Line",
                "scale": {"domain": [PARTY, NOT_PARTY], "range": [[6, 3], [1, 0]]},
                "legend": {"orient": "bottom", "direction": "vertical"},
            },
        },
    }


def _points_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """The other figures: a circle each, a triangle for a party's, a square for a computed sum."""
    tooltip = [
        {"field": "series", "title": "Claimant"},
        {"field": "date", "title": "Day", "type": "temporal", "format": "%Y-%m-%d"},
        {"field": "figure", "title": "Figure", "format": ","},
        {"field": "kind", "title": "Kind"},
        {"field": "side", "title": "Who"},
        {"field": "claims", "title": "Claims"},
    ]
    return {
        "name": "points",
        "transform": [{"filter": f"datum.kind != '{DAILY}'"}],
        "mark": {"type": "point", "filled": True, "size": 80},
        "encoding": {
            "x": x,
            "y": y,
            "color": colour,
            "shape": {
                "field": "kind",
                "type": "nominal",
                "title": "Mark",
                "scale": {
                    "domain": ["figure", PARTY_FIGURE, "sum computed by war-claims"],
                    "range": ["circle", "triangle-up", "square"],
                },
                "legend": {"orient": "bottom", "direction": "vertical"},
            },
            "tooltip": tooltip,
            "href": {"field": "href"},
        },
    }
