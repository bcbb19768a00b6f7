"""What a comparison page shows, and its chart: every claimant's figures of one side's losses.

A daily series is a line; a claimant's other figures are points, never joined: a range is a bar
from its low to its high bound (its middle marked when it states no figure), an open bound a
triangle pointing the open way, a party's mark hollow, a date the evidence doubts marked "?". A
handful of claimants (the main one and those with the newest figures) get a colour each and a
label at their latest figure; the rest are grey, named on hover and in the tables. A sum the
package computed over a claimant's item-by-item claims (Oryx's models) is a square labelled "sum
computed by war-claims" wherever it appears.

Every figure shown beside a later day says how old it is; a figure more than STALE_DAYS older than
the newest of its comparison is old, and "who says what today" and the home page's "where claims
differ" set only current figures against each other, naming the old ones apart.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ..compare.claimants import STALE_DAYS, Comparison, Series, days_between, ratio_text
from .chart import GREY, PALETTE, VEGA_LITE_SCHEMA, Y_AXIS
from .model import UNIT_WORDS

CLAIMS_SHOWN = 5  # claim IDs named in a tooltip; the rest are counted
# Colours of the highlighted claimants and the grey of the others: chart.PALETTE and chart.GREY,
# each of at least 3:1 against the white page (tests/test_comparison_view.py computes them).
OTHERS = "Other claimants"
OTHERS_COLOUR = GREY
DAILY = "daily series"
SUM = "sum computed by war-claims"
PARTY = "a party to the war"
# how a figure is drawn, by its qualifier: the shape says which way a bound is open
SHAPES = {
    "stated figure": "circle",
    "range (its middle; the bar is the range)": "diamond",
    "at least (open above)": "triangle-up",
    "at most (open below)": "triangle-down",
    SUM: "square",
}
OPEN_ABOVE = ("at_least", "more_than")
OPEN_BELOW = ("at_most", "fewer_than")


def _figure(value: float | None) -> str:
    if value is None or value != value:  # NaN: no such bound
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _shape(series: Series, at: int) -> str:
    if series.derived:
        return SUM
    qualifier = series.qualifiers[at] if series.qualifiers else ""
    if qualifier in OPEN_ABOVE:
        return "at least (open above)"
    if qualifier in OPEN_BELOW:
        return "at most (open below)"
    if qualifier == "range":
        return "range (its middle; the bar is the range)"
    return "stated figure"


def kind(series: Series) -> str:
    if series.derived:
        return SUM
    return DAILY if series.daily else "figures"


def listed(series: Series) -> bool:
    """A series whose figures the page lists one by one: a claimant's own figures that are not a
    daily line, not a computed sum."""
    return not series.derived and not series.daily


@dataclass(frozen=True, kw_only=True)
class FigureRow:
    """A figure drawn as a point: its day, who, the figure in words, its bounds and qualifier."""

    day: str
    claimant: str
    party: bool
    figure: str
    qualifier: str
    low: str
    high: str
    doubt: str
    claim: str


def _words(series: Series, at: int, words: dict[str, str]) -> str:
    return words.get(series.claims[at][0]) or _figure(series.values[at])


def figures_by_day(comparison: Comparison, words: dict[str, str] | None = None) -> list[FigureRow]:
    """Every figure the chart draws as a point (not a daily line, not a computed sum), by day then
    claimant, each in its words ("between 189,500 and 223,000") with its bounds and qualifier.
    words: each claim's figure in words, from the site's model."""
    words = words or {}
    rows = [
        FigureRow(
            day=day,
            claimant=s.claimant_name,
            party=s.party,
            figure=_words(s, i, words),
            qualifier=s.qualifiers[i] if s.qualifiers else "",
            low=_figure(s.lows[i]) if s.lows else "",
            high=_figure(s.highs[i]) if s.highs else "",
            doubt=s.doubts[i] if s.doubts else "",
            claim=s.claims[i][0],
        )
        for s in comparison.series
        if listed(s)
        for i, day in enumerate(s.days)
    ]
    return sorted(rows, key=lambda r: (r.day, r.claimant))


@dataclass(frozen=True, kw_only=True)
class LatestRow:
    """A claimant's latest figure in a comparison: who says what, as of when, how old it is."""

    series: Series
    figure: str  # in words
    number: float  # the number it is drawn at (its stated figure, else its range's middle)
    qualifier: str
    low: str
    high: str
    day: str
    age: int  # days before the comparison's newest figure
    claims: list[str]
    doubt: str
    kind: str

    @property
    def old(self) -> bool:
        return self.age > STALE_DAYS


def latest(comparison: Comparison, words: dict[str, str] | None = None) -> list[LatestRow]:
    """Who says what today: each claimant's latest figure, newest first."""
    words = words or {}
    out = []
    for series, age in comparison.latest():
        at = len(series.days) - 1
        out.append(
            LatestRow(
                series=series,
                figure=_words(series, at, words),
                number=series.values[at],
                qualifier=series.qualifiers[at] if series.qualifiers else "",
                low=_figure(series.lows[at]) if series.lows else "",
                high=_figure(series.highs[at]) if series.highs else "",
                day=series.days[at],
                age=age,
                claims=series.claims[at],
                doubt=series.doubts[at] if series.doubts else "",
                kind=kind(series),
            )
        )
    return out


@dataclass(frozen=True, kw_only=True)
class Spread:
    """How far apart the current latest figures of a comparison are, and which were left out."""

    comparison: Comparison
    current: list[LatestRow]
    old: list[LatestRow]

    @property
    def lowest(self) -> LatestRow:
        return min(self.current, key=lambda r: (r.number, r.series.key))

    @property
    def highest(self) -> LatestRow:
        return max(self.current, key=lambda r: (r.number, r.series.key))

    @property
    def ratio(self) -> float | None:
        low, high = self.lowest.number, self.highest.number
        return high / low if low else None

    def words(self) -> str:
        """The spread said in a sentence or two, for the page and the home page."""
        c, low, high = self.comparison, self.lowest, self.highest
        head = (
            f"The latest figures of {len(self.current)} claimants from the {STALE_DAYS} days to {c.newest} run from "
            f"{low.figure} ({low.series.label}, {low.day}) to {high.figure} ({high.series.label}, {high.day})"
        )
        ratio = self.ratio
        head += f": the highest is {ratio_text(ratio)} the lowest." if ratio else "."
        if self.old:
            head += (
                f" {len(self.old)} claimant{'s' if len(self.old) != 1 else ''}' latest figures are older than that and "
                "are not set against them (their age is in the table)."
            )
        return head


def spread(comparison: Comparison, words: dict[str, str] | None = None) -> Spread | None:
    """The spread of the current figures (two claimants or more within STALE_DAYS of the newest)."""
    rows = latest(comparison, words)
    current = [r for r in rows if not r.old]
    if len(current) < 2:
        return None
    return Spread(comparison=comparison, current=current, old=[r for r in rows if r.old])


def spreads(comparisons: list[Comparison], words: dict[str, str] | None = None) -> list[Spread]:
    """Where claims differ today, for the home page: each comparison's spread, the widest first,
    of the comparisons that still run (their newest figure within STALE_DAYS of the newest of
    all): a metric the claimants stopped counting years ago (motor vehicles, to April 2022) says
    nothing of today, and its page keeps its spread."""
    if not comparisons:
        return []
    newest = max(c.newest for c in comparisons)
    running = [c for c in comparisons if days_between(c.newest, newest) <= STALE_DAYS]
    found = [s for s in (spread(c, words) for c in running) if s is not None]
    return sorted(found, key=lambda s: (-(s.ratio or 0), s.comparison.key))


@dataclass(frozen=True, kw_only=True)
class PairRow:
    day: str
    main: str  # the main claimant's figure as of the day, with its day and age when earlier
    main_claim: str
    other: str
    other_claims: list[str]
    ratio: str
    old: bool  # the main figure is more than STALE_DAYS older than the day: no ratio is given


@dataclass(frozen=True, kw_only=True)
class Beside:
    """One series beside the main one: its name, how it is made, and the pairs."""

    series: Series
    rows: list[PairRow]


def beside(comparison: Comparison) -> list[Beside]:
    out = []
    for other in comparison.series[1:]:
        rows = []
        for pair in comparison.pairs(other):
            shown = _figure(pair.main_value)
            if shown and pair.main_day != pair.day:
                age = pair.age or 0
                shown += f" (of {pair.main_day}, {age:,} day{'s' if age != 1 else ''} earlier)"
            rows.append(
                PairRow(
                    day=pair.day,
                    main=shown or "none yet",
                    main_claim=pair.main_claims[0] if pair.main_claims else "",
                    other=_figure(pair.other_value),
                    other_claims=pair.other_claims,
                    ratio="" if pair.stale else ratio_text(pair.ratio),
                    old=pair.stale,
                )
            )
        out.append(Beside(series=other, rows=rows))
    return out


def unit_words(comparison: Comparison) -> str:
    return UNIT_WORDS.get(comparison.unit, comparison.unit)


def colours(comparison: Comparison) -> dict[str, str]:
    """series key -> colour: the main series and the claimants with the newest figures get one of
    the palette's, in that order; the others share the grey."""
    chosen = [comparison.main] + [s for s, _ in comparison.latest() if s is not comparison.main]
    out = {s.key: PALETTE[i] for i, s in enumerate(chosen[: len(PALETTE)])}
    return {s.key: out.get(s.key, OTHERS_COLOUR) for s in comparison.series}


def comparison_spec(comparison: Comparison, address: dict[str, str] | None = None, credit: str = "") -> dict[str, Any]:
    """One chart of one side's figures: lines for daily series, points with their ranges and open
    bounds for the others, labels at the highlighted claimants' latest figures; its title, whose
    losses, what the marks mean and the credit line (source, version, licence) are part of the
    chart, so an image saved from it carries them. address: where each claim is shown, from the
    site's root (series_site.addresses)."""
    axis = f"{comparison.label} ({unit_words(comparison)})"
    x = {
        "field": "date",
        "type": "temporal",
        "title": "Day the figure is for",
        "axis": {"format": "%Y", "tickCount": 6},
    }
    y = {"field": "figure", "type": "quantitative", "title": axis, "axis": Y_AXIS}
    paint = colours(comparison)
    values, series_info = _chart_values(comparison, address or {}, paint)
    domain = [s.label for s in comparison.series if paint[s.key] != OTHERS_COLOUR]
    colour = {
        "field": "colour",
        "type": "nominal",
        "title": "Claimant",
        "scale": {
            "domain": [*domain, *([OTHERS] if OTHERS_COLOUR in paint.values() else [])],
            "range": [*PALETTE[: len(domain)], OTHERS_COLOUR],
        },
        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 280, "symbolType": "circle"},
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {
            "text": f"{comparison.title}: claimants side by side",
            "subtitle": _subtitle(comparison, credit),
            "anchor": "start",
            "fontSize": 15,
            "subtitleFontSize": 11,
            "subtitleColor": "#3d434a",
        },
        "description": f"Every claimant's figures of {comparison.title.lower()} over time",
        "data": {"values": values},
        "transform": [
            {
                "lookup": "s",
                "from": {
                    "data": {"values": series_info},
                    "key": "s",
                    "fields": ["series", "colour", "line", "party", "stem"],
                },
            },
            {"calculate": HREF, "as": "href"},
        ],
        "width": "container",
        "height": 360,
        "autosize": {"type": "fit-x", "contains": "padding"},
        # only the layers that have marks to draw (an empty one leaves the chart a warning)
        "layer": [
            layer(x, y, colour)
            for layer, wanted in (
                (_lines_layer, "line"),
                (_bars_layer, "low"),
                (_points_layer, "shape"),
                (_doubt_layer, "doubt"),
                (_labels_layer, "latest"),
            )
            if any(v.get(wanted) for v in (*values, *series_info))
        ],
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 11}, "view": {"stroke": None}},
    }


def _subtitle(comparison: Comparison, credit: str) -> list[str]:
    marks = "● a figure, ◆ the middle of a range (its bar is the range), ▲ at least, ▼ at most"
    if any(s.derived for s in comparison.series):
        marks += ", ■ a sum war-claims computed"
    lines = [f"Whose losses: {comparison.side_words}. A line is one claimant's daily series; {marks}."]
    extra = []
    if any(s.party for s in comparison.series):
        extra.append("a hollow mark or dashed line is a party to the war's")
    if any(d for s in comparison.series for d in s.doubts):
        extra.append("? marks a figure whose date the evidence doubts")
    if extra:
        lines.append("; ".join(extra).capitalize() + ".")
    if credit:
        lines.append(credit)
    return lines


def _chart_values(
    comparison: Comparison, address: dict[str, str], paint: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(a record per figure, a record per series). What is the same for a whole series (its name,
    colour, whether it is a line, a party's, the stem of its pages' addresses) is said once, in its
    series record, which the chart looks up by "s": a daily series' 1,600 days carry only their
    day, figure and claim (the page of a day's claim is its series' page for its year)."""
    values: list[dict[str, Any]] = []
    series_info: list[dict[str, Any]] = []
    days = comparison.days()
    first, newest = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    middle = (first + (newest - first) / 2).isoformat()
    for s_at, series in enumerate(comparison.series):
        daily, label = series.daily, series.label
        info: dict[str, Any] = {
            "s": s_at,
            "series": label,
            "colour": label if paint[series.key] != OTHERS_COLOUR else OTHERS,
            "line": 1 if daily else 0,
            **({"party": 1} if series.party else {}),
        }
        if series.derived:
            hrefs = [""] * len(series.claims)
        else:
            hrefs = ["../" + address.get(c[0], f"claim/{c[0]}.html") for c in series.claims]
        stem = _stem(series, hrefs) if daily else ""
        if stem:
            info["stem"] = stem
        series_info.append(info)
        last = len(series.days) - 1
        for at, (day, value, claims, href) in enumerate(
            zip(series.days, series.values, series.claims, hrefs, strict=True)
        ):
            record: dict[str, Any] = {"s": s_at, "date": day, "figure": value, "claims": _named(claims)}
            if not stem:
                record["href"] = href
            if at == last:  # 1: label to its right (early in the axis), 2: to its left
                record["latest"] = 1 if day < middle else 2
            if not daily:
                record["shape"] = _shape(series, at)
                record["words"] = series.wordings[at] if series.wordings else _figure(value)
                low = series.lows[at] if series.lows else math.nan
                high = series.highs[at] if series.highs else math.nan
                if low == low and high == high and low != high:  # NaN is unequal to itself: no such bound
                    record["low"], record["high"] = low, high
                if series.doubts and series.doubts[at]:
                    record["doubt"] = series.doubts[at]
            values.append(record)
    _nudge([v for v in values if v.get("latest")], series_info)
    return values, series_info


def _nudge(latest: list[dict[str, Any]], series_info: list[dict[str, Any]]) -> None:
    """Labels of figures close in height, on the same side of their points, are moved down a line
    each (label_at, in the figures' units) so they do not print over one another: a label is about
    1/28 of the chart's height."""
    top = max((v["figure"] for v in latest), default=0) or 1
    shown = [v for v in latest if series_info[v["s"]]["colour"] != OTHERS]
    for side in (1, 2):
        previous: dict[str, Any] | None = None
        for v in sorted((v for v in shown if v["latest"] == side), key=lambda v: -v["figure"]):
            step = top / 28 * 1.3
            at = v["figure"]
            if previous is not None and previous["label_at"] - at < step:
                at = previous["label_at"] - step
            v["label_at"] = at
            previous = v
    for v in latest:  # where no label moved, the chart reads the figure itself
        if v.get("label_at") == v["figure"]:
            del v["label_at"]


def _stem(series: Series, hrefs: list[str]) -> str:
    """The stem every day's address is made from (../series/<key>, then -<year>.html#<claim>), or
    "" when some day's address is not so made."""
    first = hrefs[0] if hrefs else ""
    if "#" not in first or "-" not in first:
        return ""
    stem = first.split("#", 1)[0].rsplit("-", 1)[0]
    for day, claims, href in zip(series.days, series.claims, hrefs, strict=True):
        if href != f"{stem}-{day[:4]}.html#{claims[0]}":
            return ""
    return stem


HREF = (
    "isValid(datum.href) ? datum.href"
    " : datum.stem ? datum.stem + '-' + substring(datum.date, 0, 4) + '.html#' + datum.claims : ''"
)


def _named(claims: list[str]) -> str:
    """The claims behind a figure as its tooltip names them: the first few, and how many more."""
    if len(claims) == 1:
        return claims[0]
    more = len(claims) - CLAIMS_SHOWN
    return " ".join(claims[:CLAIMS_SHOWN]) + (f" and {more} more" if more > 0 else "")


TOOLTIP = [
    {"field": "series", "title": "Claimant"},
    {"field": "date", "title": "Day", "type": "temporal", "format": "%Y-%m-%d"},
    {"field": "words", "title": "Figure"},
    {"field": "shape", "title": "Mark"},
    {"field": "doubt", "title": "Date in doubt"},
    {"field": "claims", "title": "Claims"},
]


def _lines_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """The daily series, a party's dashed; an invisible point on each day for its tooltip and link."""
    dash = {"condition": {"test": "datum.party", "value": [6, 3]}, "value": [1, 0]}
    return {
        "name": "lines",
        "transform": [{"filter": "datum.line"}],
        "layer": [
            {
                "name": "line",
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "color": colour, "strokeDash": dash},
            },
            {
                "name": "line_days",
                "mark": {"type": "point", "size": 30, "opacity": 0, "cursor": "pointer"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": [
                        {"field": "series", "title": "Claimant"},
                        {"field": "date", "title": "Day", "type": "temporal", "format": "%Y-%m-%d"},
                        {"field": "figure", "title": "Figure", "format": ","},
                        {"field": "claims", "title": "Claim"},
                    ],
                    "href": {"field": "href"},
                },
            },
        ],
    }


def _bars_layer(x: dict[str, Any], _y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """A range's bar, from its low to its high bound."""
    return {
        "name": "ranges",
        "transform": [{"filter": "!datum.line && isValid(datum.low) && isValid(datum.high)"}],
        "mark": {"type": "rule", "strokeWidth": 2.5},
        "encoding": {
            "x": x,
            "y": {"field": "low", "type": "quantitative"},
            "y2": {"field": "high"},
            "color": colour,
            "tooltip": TOOLTIP,
            "href": {"field": "href"},
        },
    }


def _points_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """The figures that are not a daily line: the shape by what the words state; a party's hollow
    (its outline in the claimant's colour), the others filled."""
    encoding = {
        "x": x,
        "y": y,
        "color": colour,
        "shape": {
            "field": "shape",
            "type": "nominal",
            "scale": {"domain": list(SHAPES), "range": list(SHAPES.values())},
            "legend": None,
        },
        "tooltip": TOOLTIP,
        "href": {"field": "href"},
    }
    mark = {"type": "point", "size": 75, "strokeWidth": 2, "opacity": 1, "cursor": "pointer"}
    return {
        "name": "points",
        "transform": [{"filter": "!datum.line"}],
        "layer": [
            {
                "name": "figure_points",
                "transform": [{"filter": "!datum.party"}],
                "mark": {**mark, "filled": True},
                "encoding": encoding,
            },
            {
                "name": "party_points",
                "transform": [{"filter": "datum.party"}],
                "mark": {**mark, "filled": False},
                "encoding": encoding,
            },
        ],
    }


def _doubt_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """A "?" beside a figure whose date the evidence doubts (claims.date_doubt, in its tooltip)."""
    return {
        "name": "doubts",
        "transform": [{"filter": "datum.doubt"}],
        "mark": {"type": "text", "text": "?", "dx": 9, "dy": -9, "fontSize": 14, "fontWeight": "bold"},
        "encoding": {"x": x, "y": y, "color": colour, "tooltip": TOOLTIP},
    }


def _labels_layer(x: dict[str, Any], y: dict[str, Any], colour: dict[str, Any]) -> dict[str, Any]:
    """The highlighted claimants' names at their latest figure, so the chart reads without a
    legend: to the right of a figure in the first half of the time axis, to its left in the second,
    so a label never runs out of the chart."""
    text = {"type": "text", "dy": -10, "fontSize": 11, "fontWeight": "bold"}
    y = {**y, "field": "label_y"}
    return {
        "name": "labels",
        "transform": [
            {"filter": f"datum.latest && datum.colour != '{OTHERS}'"},
            {"calculate": "datum.series + ': ' + format(datum.figure, ',.0f')", "as": "label"},
            {"calculate": "isValid(datum.label_at) ? datum.label_at : datum.figure", "as": "label_y"},
        ],
        "layer": [
            {
                "transform": [{"filter": "datum.latest == 1"}],
                "mark": {**text, "align": "left", "dx": 8},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}, "color": colour},
            },
            {
                "transform": [{"filter": "datum.latest == 2"}],
                "mark": {**text, "align": "right", "dx": -8},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}, "color": colour},
            },
        ],
    }


def age_words(days: int) -> str:
    if days == 0:
        return "the newest"
    return f"{days:,} day{'s' if days != 1 else ''} older"
