"""The Vega-Lite chart of a metric page: one mark per figure, its bounds drawn as an interval.

Vega-Lite (drawn in the browser by the vendored vega-embed, docs/site.md says why) gets a spec
whose data are already laid out: each figure's mark position and interval ends are computed here,
so the chart needs no transform a reader would have to trust. The layout:

- y: one row per figure, labelled with its claim ID and period, in the page's order;
- x: the value; a stated figure is a point, an open bound an interval running to the edge of
  the axis with a triangle pointing the open way, a range an interval with a diamond at its
  middle (no figure is stated there; the tooltip says so);
- colour: the claimant; retracted and superseded figures faded and their intervals dashed;
- hovering a mark shows claim ID, wording, claimant, reporter and dates; clicking opens the
  claim's page; each mark carries an ARIA description for screen readers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..compare.claimants import DAILY_GAP
from .model import SERIES_MIN

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
KINDS = {
    "stated figure": "circle",
    "lower bound (open above)": "triangle-right",
    "upper bound (open below)": "triangle-left",
    "range (no single figure)": "diamond",
}
OPEN_ABOVE = ("at_least", "more_than")
OPEN_BELOW = ("at_most", "fewer_than")
STANDING = {"current": 1.0, "retracted or superseded": 0.35}
# 50k, 1.2M: short tick labels that do not run into each other; the tooltip gives the figure
X_AXIS = {"format": "~s", "labelOverlap": True, "tickCount": 8}
# several legends under a chart stand one above the other, not in a row as wide as all of them
CONFIG = {
    "font": "system-ui, sans-serif",
    "axis": {"labelFontSize": 11},
    "legend": {"layout": {"bottom": {"anchor": "start", "direction": "vertical"}}},
}


TOOLTIP = [
    {"field": "id", "title": "Claim"},
    {"field": "wording", "title": "Wording"},
    {"field": "figure", "title": "Figure"},
    {"field": "claimant", "title": "Claimant"},
    {"field": "whose", "title": "Whose losses"},
    {"field": "reporter", "title": "Reported by"},
    {"field": "period", "title": "Period"},
    {"field": "published", "title": "Published"},
    {"field": "status", "title": "Status"},
]
COLOUR = {
    "field": "claimant",
    "type": "nominal",
    "title": "Claimant",
    # in columns, never one row: a row of 19 claimants made a chart 4,700 px wide
    "legend": {"orient": "bottom", "columns": 2, "labelLimit": 240},
}
OPACITY = {
    "field": "standing",
    "type": "ordinal",
    "sort": list(STANDING),
    "title": "Status",
    "scale": {"domain": list(STANDING), "range": list(STANDING.values())},
    "legend": {"orient": "bottom"},
}
# on a time chart the figures run up the vertical axis: an open bound points up or down
TIME_SHAPES = {
    "stated figure": "circle",
    "lower bound (open above)": "triangle-up",
    "upper bound (open below)": "triangle-down",
    "range (no single figure)": "diamond",
}


def _num(x: float) -> float | None:
    return None if x != x else float(x)  # NaN is the only value unequal to itself


def figure_marks(figures: list[Any], numbers: np.ndarray, top: float | None = None) -> list[dict[str, Any]]:
    """The chart's data: one entry per figure. figures are model.claim_records rows (display
    text), numbers the (value, value_low, value_high) of the same rows as floats, NaN for empty;
    top, the largest number on the chart when it shows more than these figures."""
    if top is None:
        top = float(np.nanmax(numbers)) if len(numbers) and not np.isnan(numbers).all() else 1.0
    edge = (top or 1.0) * 1.08  # where an open upper bound's interval ends: past every stated number
    marks = []
    for row, (v, lo, hi) in zip(figures, numbers.tolist(), strict=True):
        v, lo, hi = _num(v), _num(lo), _num(hi)
        q = row.qualifier
        if q in OPEN_ABOVE:
            kind, x, start, end = "lower bound (open above)", v, v, edge
        elif q in OPEN_BELOW:
            kind, x, start, end = "upper bound (open below)", v, 0.0, v
        elif v is None and lo is not None and hi is not None:
            kind, x, start, end = "range (no single figure)", (lo + hi) / 2, lo, hi
        else:
            kind, x, start, end = "stated figure", v, lo, hi
        if start is not None and end is not None and start == end:
            start = end = None  # an exact figure: the point alone
        cid = row.claim_id
        marks.append(
            {
                "id": cid,
                "row": f"{cid} · {row.period_short}",
                "x": x,
                "start": start,
                "end": end,
                "kind": kind,
                "claimant": row.claimant_name or row.claimant_id,
                "whose": getattr(row, "whose", ""),
                "standing": "current" if row.current else "retracted or superseded",
                "wording": row.wording,
                "figure": row.figure,
                "reporter": row.reporter,
                "period": row.period,
                "published": row.source_published or "not given",
                "status": row.status,
                "href": "../" + getattr(row, "address", f"claim/{cid}.html"),
            }
        )
    return marks


def metric_spec(marks: list[dict[str, Any]], axis_title: str) -> dict[str, Any]:
    tooltip, colour, opacity = TOOLTIP, COLOUR, OPACITY
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"One mark per figure; {axis_title}",
        "width": 640,
        "height": {"step": 18},
        "data": {"values": marks},
        "encoding": {
            "y": {"field": "row", "type": "nominal", "sort": None, "title": None, "axis": {"labelLimit": 260}},
        },
        "layer": [
            {
                "name": "intervals",
                "transform": [{"filter": "datum.start != null && datum.end != null"}],
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "start", "type": "quantitative", "title": axis_title, "axis": X_AXIS},
                    "x2": {"field": "end"},
                    "color": colour,
                    "opacity": opacity,
                    "strokeDash": {
                        "field": "standing",
                        "type": "ordinal",
                        "sort": list(STANDING),
                        "title": "Status",
                        "scale": {"domain": list(STANDING), "range": [[1, 0], [4, 3]]},
                        "legend": {"orient": "bottom"},
                    },
                    "tooltip": tooltip,
                    "href": {"field": "href"},
                },
            },
            {
                "name": "figures",
                "mark": {"type": "point", "filled": True, "size": 90, "cursor": "pointer"},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "title": axis_title, "axis": X_AXIS},
                    "shape": {
                        "field": "kind",
                        "type": "nominal",
                        "title": "Mark",
                        "scale": {"domain": list(KINDS), "range": list(KINDS.values())},
                        "legend": {"orient": "bottom"},
                    },
                    "color": colour,
                    "opacity": opacity,
                    "tooltip": tooltip,
                    "href": {"field": "href"},
                    "description": {"field": "figure_aria", "type": "nominal"},
                },
            },
        ],
        "transform": [
            {
                "calculate": "datum.id + ': ' + datum.wording + ', ' + datum.claimant + ', ' + datum.status",
                "as": "figure_aria",
            }
        ],
        "config": CONFIG,
    }


Y_AXIS = {"format": "~s", "labelOverlap": True, "tickCount": 8}


def time_marks(figures: list[Any], numbers: np.ndarray, top: float | None = None) -> list[dict[str, Any]]:
    """The figures of a metric placed in time: x the day a figure is for (period_end), y its
    figure; a claimant's running total of SERIES_MIN dated figures or more is a series (a line),
    the others are points with their bounds. Undated figures keep date None: the chart draws them
    in a column of their own, since they have no place on the time axis. top: see figure_marks."""
    marks = figure_marks(figures, numbers, top)
    counts: dict[str, int] = {}
    days: dict[str, set[str]] = {}
    for row in figures:
        if _in_series(row):
            counts[row.claimant_id] = counts.get(row.claimant_id, 0) + 1
            days.setdefault(row.claimant_id, set()).add(row.period_end)
    # a line is one figure a day: a claimant counting item by item (a figure per model) is points,
    # and so are figures published weeks apart (compare/claimants.Series.daily says the rule)
    lines = {c for c, n in counts.items() if n >= SERIES_MIN and len(days[c]) == n and _daily(days[c])}
    for mark, row in zip(marks, figures, strict=True):
        mark["date"] = row.period_end or None
        mark["series"] = _in_series(row) and row.claimant_id in lines
        mark["y"], mark["y_start"], mark["y_end"] = mark.pop("x"), mark.pop("start"), mark.pop("end")
        if mark["series"]:  # a day of a line: what its tooltip and link need, no more (1,600 a series)
            for name in SERIES_DROPPED:
                mark.pop(name, None)
        if mark["date"] is None:
            mark["why"] = "no date: the source gives no day this figure is for"
    return marks


# Colours of the claimants a chart names: the first few each their own, each with a contrast of
# at least 3:1 against the white page (WCAG 2.1, 1.4.11); the rest share a grey of 4.6:1 and are
# named by the legend, the tooltip and the table (a ten-colour scheme gave 19 claimants ten
# colours, some of 1.6:1).
PALETTE = ("#1f5fa8", "#b3311f", "#1e7a3a", "#7b3fa0", "#8a5300")
GREY = "#6e6e6e"


def paint(spec: Any, names: list[str]) -> Any:
    """Give every colour-by-claimant encoding of the spec the scale that colours names: the first
    len(PALETTE) (the claimants with the most figures, as the caller orders them) their own colour,
    the rest grey."""
    scale = {"domain": list(names), "range": [*PALETTE[: len(names)], *[GREY] * max(0, len(names) - len(PALETTE))]}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            colour = node.get("color")
            if isinstance(colour, dict) and colour.get("field") == "claimant":
                node["color"] = {**colour, "scale": scale}
            for key, value in node.items():
                if key != "data":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return spec


def _daily(days: set[str]) -> bool:
    gaps = np.diff(np.array(sorted(days), dtype="datetime64[D]")).astype(int)
    return bool(len(gaps)) and bool(np.median(gaps) <= DAILY_GAP)


SERIES_DROPPED = ("row", "y_start", "y_end", "kind", "reporter", "period", "published", "status", "wording", "standing")
SERIES_TOOLTIP = [
    {"field": "id", "title": "Claim"},
    {"field": "date", "title": "Day"},
    {"field": "figure", "title": "Figure"},
    {"field": "claimant", "title": "Claimant"},
    {"field": "whose", "title": "Whose losses"},
]


def _in_series(row: Any) -> bool:
    """A figure of a series: a current running total read from a data file (it has a locator),
    not an article's figure of the same claimant beside it."""
    return bool(row.period_end) and row.count_type == "cumulative" and row.current and bool(getattr(row, "locator", ""))


def _layers(marks_filter: str, x: dict[str, Any], axis_title: str) -> list[dict[str, Any]]:
    """Intervals and points of the figures that are not part of a series line."""
    y = {"field": "y", "type": "quantitative", "title": axis_title, "axis": Y_AXIS}
    return [
        {
            "name": f"{marks_filter}intervals",
            "transform": [{"filter": "datum.y_start != null && datum.y_end != null"}],
            "mark": {"type": "rule", "strokeWidth": 2},
            "encoding": {
                "x": x,
                "y": {"field": "y_start", "type": "quantitative", "title": axis_title, "axis": Y_AXIS},
                "y2": {"field": "y_end"},
                "color": COLOUR,
                "opacity": OPACITY,
                "tooltip": TOOLTIP,
                "href": {"field": "href"},
            },
        },
        {
            "name": f"{marks_filter}figures",
            "mark": {"type": "point", "filled": True, "size": 90, "cursor": "pointer"},
            "encoding": {
                "x": x,
                "y": y,
                "shape": {
                    "field": "kind",
                    "type": "nominal",
                    "title": "Mark",
                    "scale": {
                        "domain": list(KINDS),
                        "range": [s.replace("right", "up").replace("left", "down") for s in KINDS.values()],
                    },
                    "legend": {"orient": "bottom"},
                },
                "color": COLOUR,
                "opacity": OPACITY,
                "tooltip": TOOLTIP,
                "href": {"field": "href"},
                "description": {"field": "figure_aria", "type": "nominal"},
            },
        },
    ]


def time_spec(marks: list[dict[str, Any]], axis_title: str, sides: int = 1) -> dict[str, Any]:
    """A time chart of a metric: a line per series, the other figures as points with their bounds,
    undated figures in a column beside the axis, on the same scale of figures. sides: how many
    sides' losses the metric's figures count; with more than one, the timeline is a panel per
    side, each headed with whose losses it shows, so one side's figures never sit on the other's
    axis unmarked."""
    day = {"field": "date", "type": "temporal", "title": "Day the figure is for", "axis": {"format": "%Y-%m"}}
    timeline = {
        "name": "timeline",
        "width": 620,
        "height": 340,
        "transform": [{"filter": "datum.date != null"}],
        "layer": [
            {
                "name": "series",
                "transform": [{"filter": "datum.series"}],
                "mark": {"type": "line", "strokeWidth": 1.5},
                "encoding": {
                    "x": day,
                    "y": {"field": "y", "type": "quantitative", "title": axis_title, "axis": Y_AXIS},
                    "color": COLOUR,
                },
            },
            {
                "name": "series_days",  # invisible points on the line: a tooltip and a link for each day
                "transform": [{"filter": "datum.series"}],
                "mark": {"type": "point", "size": 30, "opacity": 0, "cursor": "pointer"},
                "encoding": {
                    "x": day,
                    "y": {"field": "y", "type": "quantitative"},
                    "tooltip": SERIES_TOOLTIP,
                    "href": {"field": "href"},
                },
            },
            *[
                {**layer, "transform": [{"filter": "!datum.series"}, *layer.get("transform", [])]}
                for layer in _layers("", day, axis_title)
            ],
        ],
    }
    if sides > 1:
        inner = {k: v for k, v in timeline.items() if k != "name"}
        header = {"labelFontWeight": "bold", "labelAngle": 0, "labelAlign": "left", "labelOrient": "top"}
        timeline = {
            "name": "timeline",
            "facet": {"row": {"field": "whose", "title": "Whose losses", "header": header}},
            "spec": inner,
            "resolve": {"scale": {"y": "independent"}},
        }
    undated = [m for m in marks if m["date"] is None]
    views: list[dict[str, Any]] = [timeline]
    if undated:
        column = {"field": "id", "type": "nominal", "title": "Undated", "axis": {"labelAngle": -45}}
        views.append(
            {
                "name": "undated",
                "width": {"step": 28},
                "height": 340,
                "transform": [{"filter": "datum.date == null"}],
                "layer": _layers("undated_", column, axis_title),
            }
        )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": f"Figures over time; {axis_title}",
        "data": {"values": marks},
        "transform": [
            {
                "calculate": "datum.id + ': ' + datum.wording + ', ' + datum.claimant + ', ' + datum.status",
                "as": "figure_aria",
            }
        ],
        "hconcat": views,
        "resolve": {"scale": {"y": "shared", "color": "shared", "shape": "shared", "opacity": "shared"}},
        "config": CONFIG,
    }
