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


def _num(x: float) -> float | None:
    return None if x != x else float(x)  # NaN is the only value unequal to itself


def figure_marks(figures: list[dict[str, Any]], numbers: np.ndarray) -> list[dict[str, Any]]:
    """The chart's data: one entry per figure. figures are model.claim_records rows (display
    text), numbers the (value, value_low, value_high) of the same rows as floats, NaN for empty."""
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
                "standing": "current" if row.current else "retracted or superseded",
                "wording": row.wording,
                "figure": row.figure,
                "reporter": row.reporter,
                "period": row.period,
                "published": row.source_published or "not given",
                "status": row.status,
                "href": f"../claim/{cid}.html",
            }
        )
    return marks


def metric_spec(marks: list[dict[str, Any]], axis_title: str) -> dict[str, Any]:
    tooltip = [
        {"field": "id", "title": "Claim"},
        {"field": "wording", "title": "Wording"},
        {"field": "figure", "title": "Figure"},
        {"field": "claimant", "title": "Claimant"},
        {"field": "reporter", "title": "Reported by"},
        {"field": "period", "title": "Period"},
        {"field": "published", "title": "Published"},
        {"field": "status", "title": "Status"},
    ]
    colour = {"field": "claimant", "type": "nominal", "title": "Claimant", "legend": {"orient": "bottom"}}
    opacity = {
        "field": "standing",
        "type": "ordinal",
        "sort": list(STANDING),
        "title": "Status",
        "scale": {"domain": list(STANDING), "range": list(STANDING.values())},
        "legend": {"orient": "bottom"},
    }
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
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 11}},
    }
