"""Render the site: Jinja2 templates over the plain objects of model.py, written into a folder.

Every page is a static file that works from file:// and from any static host: links are
relative, scripts and styles are files of the site (the Vega libraries are vendored in
assets/vendor/), and search data are script files rather than fetch() requests, which file://
refuses. Output is a function of the package alone (no clock, no random order), so two builds of
one commit are the same bytes. Autoescape is on for every template; the only text that reaches a
page unescaped is the chart's JSON, in a script element with <, > and & written as \\u escapes.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

import jinja2
import numpy as np
import pandas as pd
import pyarrow as pa
from markupsafe import Markup

from ..compare.claimants import (
    DAILY_GAP,
    SERIES_MIN,
    SIDE_WORDS,
    STALE_DAYS,
    Comparison,
    comparisons,
    ratio_text,
)
from ..compare.comparison_table import comparison_files
from ..compare.reporters import disagreements
from ..read.model import LoadedPackage
from .chart import figure_marks, metric_spec, paint, time_marks, time_spec
from .chart_images import chart_svg, require_renderer
from .chart_lines import LINE_DAYS, line_marks, line_rows, spec_script
from .comparison_view import (
    Spread,
    age_words,
    beside,
    colours,
    comparison_spec,
    figures_by_day,
    latest,
    listed,
    spread,
    spreads,
    unit_words,
)
from .data_files import DataFiles
from .feeds import changelog_sections, corrections_feed, releases_feed
from .model import (
    UNIT_WORDS,
    DataRecords,
    Download,
    Edition,
    claim_events,
    claim_records,
    edition,
    locate_quotes,
    read_datasets,
    read_seeds,
    series_latest,
    source_records,
    superseded_by,
)
from .output import HERE, Layout, SiteResult, Writer, environment, script_json
from .quotes import Seed, Span
from .series_site import LOOKUP, SeriesGroup, addresses, lookup_js, rows_html, series_groups
from .structured import claim_jsonld, dataset_jsonld, site_base

PAGE_SIZE = 100  # figures per metric page: a chart row each, so a page stays readable and light
SEARCH_CHUNK = 5_000  # claims per search data file
SOURCES_PER_PAGE = 1_000  # rows of the sources index (about 150 bytes each)
CHANGES_LISTED = 500  # claims listed in the home page's changes; the rest are counted
UNDATED_LISTED = 50  # undated figures listed beside a time chart; the table lists them all


CHART_SCRIPTS = (
    "assets/vendor/vega.min.js",
    "assets/vendor/vega-lite.min.js",
    "assets/vendor/vega-embed.min.js",
    "assets/chart.js",
)


def _copy_assets(folder: Path) -> None:
    shutil.copytree(HERE / "assets", folder / "assets", ignore=shutil.ignore_patterns("*.md", "__pycache__"))


def _records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows as objects whose columns are attributes, read column-wise from object arrays.

    Attributes, not dicts: Jinja2 looks `c.wording` up with getattr first, and on a dict that
    raises and catches an AttributeError each time (half the time of 100,000 claim pages);
    DataFrame.to_dict iterates Arrow-backed strings one Python object at a time.
    """
    names = list(frame.columns)
    columns = [frame[c].to_numpy(dtype=object) for c in names]
    return [SimpleNamespace(**dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]


class Rows:
    """The claims' rows (model.claim_records) as objects like _records', each made when first
    asked for: a site of a million series figures shows a few thousand of them one by one (the
    figures with a page, a page of a metric's table); its series are written column-wise."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._names = list(frame.columns)
        self._columns = [frame[c].to_numpy(dtype=object) for c in self._names]
        self._made: dict[int, SimpleNamespace] = {}
        self.address: dict[str, str] = {}  # claim ID -> its address (series_site.addresses)

    def __len__(self) -> int:
        return len(self._columns[0]) if self._columns else 0

    def __getitem__(self, i: int) -> SimpleNamespace:
        i = int(i)
        row = self._made.get(i)
        if row is None:
            row = SimpleNamespace(**{n: c[i] for n, c in zip(self._names, self._columns, strict=True)})
            row.address = self.address.get(row.claim_id, f"claim/{row.claim_id}.html")
            self._made[i] = row
        return row


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed table as a reader sees it: dates as YYYY-MM-DD, whole numbers without a point, "" for empty."""
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if str(col.dtype).startswith("datetime"):
            out[name] = col.dt.strftime("%Y-%m-%d")
        elif str(col.dtype).startswith("float"):
            out[name] = [("" if v != v else f"{int(v):+d}" if float(v).is_integer() else str(v)) for v in col]
    return out.fillna("")


def _counts(frame: pd.DataFrame, key: str, claims: pd.DataFrame) -> list[SimpleNamespace]:
    counts = claims[key].value_counts()
    rows = _records(frame)
    for row in rows:
        row.count = int(counts.get(getattr(row, key), 0))
    return rows


def citation(ed: Edition) -> str:
    date = f" ({ed.date[:4]})" if ed.date else ""
    return f"war-claims maintainers{date}. {ed.title}, version {ed.version}. Data licence {ed.licence}."


def _changes(history: pd.DataFrame, label: str, version: str) -> dict[str, Any]:
    """The claims added or changed in this state: the release itself, or the unreleased tree."""
    here = history[history["release"] == label]
    if label == version:
        heading = f"What changed in v{version}"
    else:
        heading = f"Changes since the last release (v{version}, not yet released)"
    return {
        "heading": heading,
        "rows": _records(here.head(CHANGES_LISTED)),
        "added": int((here["event"] == "added").sum()),
        "changed": int((here["event"] == "changed").sum()),
        "more": len(here) > CHANGES_LISTED,
    }


def pager(number: int, count: int, name: str) -> list[dict[str, Any] | None]:
    """Links to the first, last and nearby pages (None for a gap): a metric of 100,000 figures
    has 1,000 pages, and a page listing them all would weigh more than its figures. Page 1 is
    name.html, page n name-n.html."""
    if count < 2:
        return []
    keep = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    out: list[dict[str, Any] | None] = []
    for i, n in enumerate(keep):
        if i and n != keep[i - 1] + 1:
            out.append(None)
        out.append({"number": n, "file": page_file(name, n)})
    return out


def page_file(name: str, number: int) -> str:
    return f"{name}.html" if number == 1 else f"{name}-{number}.html"


@dataclass(frozen=True)
class Page:
    """One page of a list split into pages of the same size (a metric's figures, the sources)."""

    number: int
    count: int  # pages in all
    first: int  # 1-based position of the page's first item
    last: int
    file: str
    pager: list[dict[str, Any] | None]

    def title(self, label: str) -> str:
        return label if self.count == 1 else f"{label} (page {self.number})"


def paginate(items: int, size: int, name: str) -> list[Page]:
    """The pages of items things, size a page, page 1 named name.html (one page when empty)."""
    count = max(1, (items + size - 1) // size)
    return [
        Page(n, count, (n - 1) * size + 1, min(n * size, items), page_file(name, n), pager(n, count, name))
        for n in range(1, count + 1)
    ]


@dataclass
class Site:
    """Everything the pages are made from, computed once; each method writes one kind of page."""

    env: jinja2.Environment
    edition: Edition
    layout: Layout
    out: Writer
    package: LoadedPackage
    claims: pd.DataFrame  # model.claim_records, sorted by claim_id
    records: Rows  # the same rows, for templates
    numbers: np.ndarray  # value, value_low, value_high of the same rows (NaN when empty)
    seeds: dict[str, Seed]
    spans: dict[str, Span]  # where each located quote sits in its seed
    datasets: dict[str, DataRecords]  # each dataset source's archived data file, its records rendered once
    latest: list[SimpleNamespace]  # the latest figure of each series (model.series_latest)
    base: str = ""  # the address the site is published at (structured.site_base), "" when unknown
    chart_images: bool = False  # write each chart's SVG beside its page (website/chart_images.py)
    comparisons: list[Comparison] = field(default_factory=list)  # compare/claimants.comparisons
    listed_per_claimant: int = 500  # a claimant page lists up to this many figures; metric pages list all
    groups: list[SeriesGroup] = field(default_factory=list)  # series_site.series_groups
    address: dict[str, str] = field(default_factory=dict)  # claim ID -> its address from the site's root
    _in_series: set[str] | None = None
    _series_mask: np.ndarray | None = None
    _shadowed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # set with the lines
    _metric_order: tuple[np.ndarray, np.ndarray] | None = None
    _lines: tuple[np.ndarray, np.ndarray, Any] | None = None

    def in_series(self) -> set[str]:
        """The claims shown on series pages (no page of their own); computed once."""
        if self._in_series is None:
            ids = self.claims["claim_id"].to_numpy()
            self._in_series = {ids[r] for g in self.groups for r in g.rows}
        return self._in_series

    def series_mask(self) -> np.ndarray:
        """Per row of claims: shown on a series page (True) or on a page of its own."""
        if self._series_mask is None:
            mask = np.zeros(len(self.claims), dtype=bool)
            for g in self.groups:
                mask[g.rows] = True
            self._series_mask = mask
        return self._series_mask

    def metric_rows(self, metric_id: str) -> np.ndarray:
        """The positions of a metric's figures ordered by period, then claim ID: one sort of
        all the claims, then a slice per metric."""
        if self._metric_order is None:
            claims = self.claims
            order = claims.sort_values(["metric_id", "period_start", "period_end", "claim_id"], kind="stable").index
            self._metric_order = (order.to_numpy(), claims["metric_id"].to_numpy(dtype=object)[order.to_numpy()])
        order, metric_ids = self._metric_order
        start = int(np.searchsorted(metric_ids, metric_id, side="left"))
        return order[start : int(np.searchsorted(metric_ids, metric_id, side="right"))]

    def lines(self) -> tuple[np.ndarray, np.ndarray, Any]:
        """The days of the charts' lines, for all metrics at once (chart_lines): which rows of
        claims they are, where each row's mark is in the marks, and the marks as JSON."""
        if self._lines is None:
            claims = self.claims
            mask, self._shadowed = line_rows(claims)
            rows = np.flatnonzero(mask)
            on_line = claims.iloc[rows]
            href = pd.Series(["../" + self.address[c] for c in on_line["claim_id"].tolist()], index=on_line.index)
            where = np.full(len(claims), -1)
            where[rows] = np.arange(len(rows))
            self._lines = (mask, where, line_marks(on_line, self.numbers[rows], href))
        return self._lines

    def disagreeing(self) -> dict[str, str]:
        """claim ID -> what the other compilation of its claimant's reports gives that day, where
        it gives another figure (compare/reporters), for the claim's row on its series page."""
        tables = self.package.tables
        if "sources" not in tables:
            return {}
        found = disagreements(tables["claims"].frame, tables["sources"].frame)
        out: dict[str, str] = {}
        for r in found.itertuples():  # a hundred days
            out[r.claim_id] = f"{r.other_claim_id} ({r.other_reporter}) gives {_amount(r.other_value)} that day."
            out[r.other_claim_id] = f"{r.claim_id} ({r.reporter}) gives {_amount(r.value)} that day."
        return out

    def says(self) -> tuple[dict[str, str], dict[str, str]]:
        """What a claim ID typed into the search answers with (series_site.lookup_js): each claim's
        figure, with its metric and claimant when it has a page of its own; and each series page's
        metric, claimant and whose losses, said once for its figures."""
        c = self.claims
        who = c["claimant_name"].where(c["claimant_name"] != "", c["claimant_id"])
        what = c["metric_label"].where(c["metric_label"] != "", c["metric_id"])
        full = c["figure"] + " · " + what + " · " + who
        text = c["figure"].where(self.series_mask(), full)
        whose = c["whose"].to_numpy(dtype=object)
        pages: dict[str, str] = {}
        for g in self.groups:
            sides = sorted({whose[r] for r in g.rows} - {"not given"})
            about = f"{g.metric_label} · {g.claimant_name}" + (f" · {', '.join(sides)}" if sides else "")
            for year in g.years:
                pages[g.page(year)] = about
        return dict(zip(c["claim_id"].tolist(), text.tolist(), strict=True)), pages

    def claimant_order(self, rows: np.ndarray) -> list[str]:
        """The claimants of these rows as charts name them, the one with the most figures first:
        who gets a colour of its own (chart.paint)."""
        names = self.claims["claimant_name"].where(self.claims["claimant_name"] != "", self.claims["claimant_id"])
        counts = names.iloc[rows].value_counts()
        return sorted(counts.index.tolist(), key=lambda n: (-int(counts[n]), n))

    def compared_in(self) -> dict[tuple[str, str], str]:
        """(metric ID, side) -> the key of the comparison it is part of (its page's name), and
        (metric ID, "") -> that of its first comparison, for a page that names no side."""
        out: dict[tuple[str, str], str] = {}
        for c in self.comparisons:
            for m in c.members:
                out.setdefault((m.metric_id, c.side), c.key)
                out.setdefault((m.metric_id, ""), c.key)
        return out

    def temporal(self) -> str:
        """The span the figures cover, as ISO 8601 start/end ("" when no figure has a day)."""
        days = pd.concat([self.claims["period_start"], self.claims["period_end"]])
        days = days[days != ""]
        return f"{days.min()}/{days.max()}" if len(days) else ""

    def search_files(self) -> list[str]:
        """The search data: each figure with a page of its own, and each series with its subjects
        and whose losses (its figures are found by their ID through the lookup, not by the words
        of each day). A row: [claim ID or "series", metric, claimant, wording, figure, subject,
        period, status or upstream, address, whose losses, figures held (a series)]."""
        cols = ["claim_id", "metric_label", "claimant_name", "wording", "figure", "subject", "period", "status"]
        own = (self.records[i] for i in np.flatnonzero(~self.series_mask()))
        rows: list[list[Any]] = [[*(getattr(r, c) for c in cols), r.address, r.whose] for r in own]
        subject = self.claims["subject"].to_numpy(dtype=object)
        whose = self.claims["whose"].to_numpy(dtype=object)
        ends = self.claims["period_end"].to_numpy(dtype=object)
        for g in self.groups:
            period = f"{g.first_day} to {g.last_day}" if g.first_day else "undated"
            days = sorted({ends[r] for r in g.rows if ends[r]})
            gaps = np.diff(np.array(days, dtype="datetime64[D]")).astype(int) if len(days) > 1 else np.array([])
            daily = len(days) >= SERIES_MIN and not g.itemised and float(np.median(gaps)) <= DAILY_GAP
            kind = (
                f"daily series of {len(g.rows):,} figures"
                if daily
                else f"{len(g.rows):,} figure{'s' if len(g.rows) != 1 else ''} on {len(days):,} day"
                + ("s" if len(days) != 1 else "")
            )
            subjects = sorted({subject[r] for r in g.rows})
            shown = "; ".join(subjects[:3]) + (f" and {len(subjects) - 3:,} more" if len(subjects) > 3 else "")
            sides = ", ".join(sorted({whose[r] for r in g.rows}))
            rows.append(
                ["series", g.metric_label, g.claimant_name, kind, "", shown, period, g.upstream, g.page(g.years[0]),
                 sides, len(g.rows)]
            )  # fmt: skip
        counts = self.claims["metric_id"].value_counts()
        metrics = [  # a metric's page, found by the words of its definition, listed first
            ["metric", m.label, "", m.definition, "", m.metric_id, "", "", f"metric/{m.metric_id}.html", "",
             int(counts[m.metric_id])]
            for m in _records(self.package.tables["metrics"].frame.fillna(""))
            if int(counts.get(m.metric_id, 0))
        ]  # fmt: skip
        rows = metrics + rows
        names = []
        for n, start in enumerate(range(0, len(rows), SEARCH_CHUNK), 1):
            name = f"search/claims-{n:04d}.js"
            body = json.dumps(rows[start : start + SEARCH_CHUNK], ensure_ascii=False, separators=(",", ":"))
            self.out.write(name, f"window.WAR_CLAIMS_SEARCH.push.apply(window.WAR_CLAIMS_SEARCH, {body});\n")
            names.append(name)
        return names

    def home(
        self, search: list[str], changes: dict[str, Any], metrics: list[SimpleNamespace], differ: list[Spread]
    ) -> None:
        tables = self.package.tables
        main = self.env.get_template("home.html").render(
            differ=differ,
            stale=STALE_DAYS,
            ratio_text=ratio_text,
            edition=self.edition,
            root="",
            counts={
                "claims": len(self.claims),
                "sources": len(tables["sources"].frame),
                "own": int((~self.series_mask()).sum()),
                "series": len(self.groups),
            },
            citation=citation(self.edition),
            search_chunks=search,
            changes=changes,
            metrics=metrics,
            claimants=_counts(tables["claimants"].frame, "claimant_id", self.claims),
            latest=self.latest,
            runs_to=self.claims["period_end"].max() if len(self.claims) else "",  # "" sorts first
            jsonld=dataset_jsonld(self.edition, self.package.descriptor, self.base, self.temporal()),
        )
        self.out.write("index.html", self.layout.page("", "Reported figures", main))

    def metric_pages(self, metric: SimpleNamespace) -> None:
        """PAGE_SIZE figures a page, ordered by period then claim ID, each a chart and a table.

        A metric with dated figures has one time chart, written once beside its pages
        (metric/<id>.chart.js) and drawn on each of them; one without has a chart of the page's
        figures, a row each."""
        order = self.metric_rows(metric.metric_id)
        if not len(order):
            return
        unit = getattr(metric, "unit", "") or ""
        metric.unit_words = UNIT_WORDS.get(unit, unit)
        axis = f"{metric.label} ({metric.unit_words})"
        on_line, where, marks = self.lines()
        names = self.claimant_order(order)
        lines = on_line[order]
        drawn = order[~lines & ~self._shadowed[order]]  # a second reporter's figure of a line's day: the table's
        everything = [self.records[i] for i in drawn]  # the lines' days are written column-wise
        timed = bool(lines.any()) or any(r.period_end for r in everything)
        groups = [g for g in self.groups if g.metric_id == metric.metric_id]
        listed = order[~self.series_mask()[order]]
        image = ""
        if timed:
            numbers = self.numbers[order]
            top = float(np.nanmax(numbers)) if not np.isnan(numbers).all() else 1.0  # the lines' too
            sides = self.claims["whose"].to_numpy(dtype=object)[order]
            marks_ = time_marks(everything, self.numbers[drawn], top)
            spec = paint(time_spec(marks_, axis, sides=len(set(sides.tolist()) - {"not given"})), names)
            spec["data"]["values"].append(LINE_DAYS)
            text = spec_script(spec, marks.take(pa.array(where[order[lines]])))
            self.out.write(f"metric/{metric.metric_id}.chart.js", f"window.WAR_CLAIMS_CHART = {text};\n")
            if self.chart_images:
                image = f"{metric.metric_id}.svg"
                self.out.write_bytes(f"metric/{image}", chart_svg(json.loads(str(text))))
        undated = [r for r in everything if not r.period_end] if timed else []
        render = self.env.get_template("metric.html").render
        for page in paginate(len(listed), PAGE_SIZE, metric.metric_id):
            at = listed[page.first - 1 : page.last]
            part = [self.records[i] for i in at]
            numbers = self.numbers[at]
            # the table sorts by the number it shows: the figure, else its lower, else its upper bound
            for record, (v, lo, hi) in zip(part, numbers, strict=True):
                shown = v if v == v else lo if lo == lo else hi
                record.sort_value = "" if shown != shown else repr(float(shown))
            spec = None if timed else paint(metric_spec(figure_marks(part, numbers), axis), names)
            if spec is not None and self.chart_images:
                image = page.file.removesuffix(".html") + ".svg"
                self.out.write_bytes(f"metric/{image}", chart_svg(spec))
            main = render(
                edition=self.edition,
                metric=metric,
                total=len(order),
                page=page,
                rows=part,
                chart_script=f"{metric.metric_id}.chart.js" if timed else "",
                undated=undated[:UNDATED_LISTED],
                series=[s for s in self.latest if s.metric_id == metric.metric_id],
                groups=groups,
                in_series=len(order) - len(listed),
                comparison=self.compared_in().get((metric.metric_id, ""), ""),
                undated_total=len(undated),
                spec_json="" if spec is None else script_json(spec),
                chart_image=image,
            )
            html = self.layout.page("../", page.title(metric.label), main, CHART_SCRIPTS)
            self.out.write(f"metric/{page.file}", html)

    def claim_pages(self, events: dict[str, list[dict[str, str]]], later: dict[str, list[str]]) -> None:
        """events: model.claim_events of the history; later: model.superseded_by of the claims."""
        render = self.env.get_template("claim.html").render
        version = self.edition.version
        for i in np.flatnonzero(~self.series_mask()):  # a series figure is a row of its series' page
            record = self.records[i]
            cid = record.claim_id
            span = self.spans.get(cid)
            seed = self.seeds.get(record.source_id)
            records = self.datasets.get(record.source_id)
            main = render(
                c=record,
                context=seed.context(span) if seed is not None and span is not None else None,
                data=records.around(record.locator) if records is not None and record.locator else None,
                history=events.get(cid, ()),
                superseded_by=later.get(cid, ()),
                cite=f"war-claims {cid} (v{version})",
                edition=self.edition,
                jsonld=claim_jsonld(record, self.edition, self.base),
            )
            self.out.write(f"claim/{cid}.html", self.layout.page("../", f"{cid}: {record.wording}", main))

    def series_pages(self, corrections: pd.DataFrame | None) -> None:
        """A page per series and year, newest first: each row a figure, its claim ID an anchor."""
        render = self.env.get_template("series.html").render
        metrics = self.package.tables["metrics"].frame.drop_duplicates("metric_id").set_index("metric_id")
        fixes: dict[tuple[str, str, str], list[str]] = {}
        if corrections is not None and {"claimant_id", "metric_id", "date", "value"} <= set(corrections.columns):
            for row in _records(_text(corrections)):
                day = getattr(row, "effective", "") or row.date
                note = (
                    f"{row.value} (its total corrected"
                    + (f"; dated {row.date} upstream" if day != row.date else "")
                    + ")"
                )
                fixes.setdefault((row.claimant_id, row.metric_id, day), []).append(note)
        sources = {r.source_id: r for r in _records(source_records(self.package))}
        groups = self.groups
        if groups:  # every series' rows made at once (column-wise), then cut a series and a year a page
            sizes = [len(g.rows) for g in groups]
            part = self.claims.iloc[np.concatenate([g.rows for g in groups])]
            keys = zip(*(part[c].tolist() for c in ("claimant_id", "metric_id", "period_end")), strict=True)
            day_fixes = ["; ".join(fixes[k]) if k in fixes else "" for k in keys] if fixes else [""] * len(part)
            later = [self.address.get(old, "") if old else "" for old in part["supersedes"].tolist()]
            itemised = np.repeat([g.itemised for g in groups], sizes)
            told = self.disagreeing()
            html = rows_html(part, day_fixes, itemised, later, [told.get(c, "") for c in part["claim_id"].tolist()])
            years = part["period_end"].str.slice(0, 4).where(part["period_end"] != "", "undated").tolist()
            starts = np.concatenate([[0], np.cumsum(sizes)])
        for k, group in enumerate(groups):
            definition = str(metrics["definition"].get(group.metric_id, ""))
            by_year: dict[str, list[str]] = {}
            for year, row in zip(years[starts[k] : starts[k + 1]], html[starts[k] : starts[k + 1]], strict=True):
                by_year.setdefault(year, []).append(row)
            for year in group.years:
                rows = by_year.get(year, [])
                main = render(
                    g=group,
                    year=year,
                    count=len(rows),
                    rows_html=Markup("\n".join(rows)),
                    definition=definition,
                    sources=[sources[sid] for sid in group.sources if sid in sources],
                    table=any(
                        str(getattr(sources.get(sid), "data_path", "")).endswith(".csv") for sid in group.sources
                    ),
                )
                title = f"{group.metric_label}: {group.claimant_name}, {year}"
                self.out.write(group.page(year), self.layout.page("../", title, main))
        self.out.write(LOOKUP, lookup_js(self.address, *self.says()))

    def finding_pages(self) -> None:
        """claim/index.html (claim/?id=C12345 goes to the claim) and 404.html (an address of an
        earlier release's per-claim page goes there too, on a host that serves 404.html)."""
        main = self.env.get_template("lookup.html").render()
        self.out.write("claim/index.html", self.layout.page("../", "Find a claim", main))
        # written for the address it most often stands in for, claim/<id>.html of an earlier release:
        # its links and scripts are relative to claim/
        main = self.env.get_template("notfound.html").render()
        self.out.write("404.html", self.layout.page("../", "Not found", main))

    def comparison_pages(self) -> None:
        """A page per comparison (a metric and the side whose losses it counts), with its chart,
        who says what today, its figures, its pairs and, beside it, its files."""
        render = self.env.get_template("comparison.html").render
        stated = self._stated()
        undated = self._undated() if self.comparisons else {}
        credit = self.credit()
        for comparison in self.comparisons:
            words = unit_words(comparison)
            main = render(
                c=comparison,
                edition=self.edition,
                unit_words=words,
                derived=any(s.derived for s in comparison.series),
                latest=latest(comparison, stated),
                spread=spread(comparison, stated),
                age_words=age_words,
                stale=STALE_DAYS,
                colours=colours(comparison),
                others=[c for c in self.comparisons if c.metric_id == comparison.metric_id and c is not comparison],
                pairs=beside(comparison),
                figures=figures_by_day(comparison, stated),
                undated=[u for u in undated.get(comparison.metric_id, []) if u.side in ("", comparison.side)],
                spec_json=script_json(comparison_spec(comparison, self.address, credit)),
            )
            name = f"compare/{comparison.key}"
            self.out.write(
                f"{name}.html",
                self.layout.page("../", f"{comparison.title}: claimants side by side", main, CHART_SCRIPTS),
            )
            for suffix, data in comparison_files(comparison, words).items():
                self.out.write_bytes(f"{name}{suffix}", data)

    def credit(self) -> str:
        """The line a saved chart image carries: where it is from, which version, the licence."""
        ed = self.edition
        when = f" of {ed.date}" if ed.date else ""
        return (
            f"Source: war-claims v{ed.version}{when}, compiled from the claims' own sources; data licence "
            f"{ed.licence}. Each figure is a claim, not a verified fact."
        )

    def _stated(self) -> dict[str, str]:
        """Each figure the comparison pages show in words (the chart draws a range at one number):
        looked up for those claims only, not for every claim."""
        wanted = [
            claims[0]
            for comparison in self.comparisons
            for s in comparison.series
            if not s.derived
            for claims in (s.claims if listed(s) else s.claims[-1:])
        ]
        if not wanted:
            return {}
        at = pd.Index(self.claims["claim_id"].to_numpy(dtype=object)).get_indexer(wanted)
        figures = self.claims["figure"].to_numpy(dtype=object)
        return {c: figures[i] for c, i in zip(wanted, at.tolist(), strict=True) if i >= 0}

    def _undated(self) -> dict[str, list[SimpleNamespace]]:
        """The current figures of each metric that give no day (an article's "over one million"):
        no place on a time axis, so listed beside the chart. One selection for every comparison."""
        c = self.claims
        hit = (c["period_end"] == "") & c["current"].astype(bool)
        side = c["side"] if "side" in c.columns else pd.Series("", index=c.index)
        rows = c.loc[hit, ["metric_id", "claim_id", "claimant_id", "claimant_name", "figure"]].assign(side=side[hit])
        out: dict[str, list[SimpleNamespace]] = {}
        for r in rows.itertuples():
            out.setdefault(r.metric_id, []).append(
                SimpleNamespace(
                    claim=r.claim_id, claimant=r.claimant_name or r.claimant_id, figure=r.figure, side=r.side or ""
                )
            )
        return out

    def claimant_pages(self) -> None:
        """A page per claimant: its figures by metric, its sources, its corrections, its figures."""
        tables = self.package.tables
        claims = self.claims
        compared = self.compared_in()
        sources = {r.source_id: r for r in _records(source_records(self.package))}
        corrections = tables["series_corrections"].frame if "series_corrections" in tables else None
        fixes: dict[str, list[SimpleNamespace]] = {}
        if corrections is not None and "claimant_id" in corrections.columns:
            for who, part in _text(corrections).groupby("claimant_id", sort=False):
                fixes[str(who)] = _records(part)
        metrics = _claimant_metrics(claims, compared)
        by_source = claims.groupby(["claimant_id", "source_id"], sort=True).size()
        rows = claims.groupby("claimant_id", sort=False).indices  # positions of each claimant's claims
        render = self.env.get_template("claimant.html").render
        for who in _records(tables["claimants"].frame.fillna("")):
            mine = rows.get(who.claimant_id, np.empty(0, dtype=int))
            counts = by_source[who.claimant_id].items() if who.claimant_id in rows else []
            main = render(
                who=who,
                total=len(mine),
                metrics=metrics.get(who.claimant_id, []),
                sources=[SimpleNamespace(**vars(sources[s]), count=int(n)) for s, n in counts if s in sources],
                corrections=fixes.get(who.claimant_id, []),
                listed=[self.records[i] for i in mine] if len(mine) <= self.listed_per_claimant else [],
            )
            self.out.write(f"claimant/{who.claimant_id}.html", self.layout.page("../", who.name, main))

    def _figures_by_source_and_metric(self) -> dict[str, list[SimpleNamespace]]:
        """For each source, its figures by metric: how many, the first and last claim ID and day.
        A dataset source has thousands of figures: its page lists these, not every claim."""
        claims = self.claims
        out: dict[str, list[SimpleNamespace]] = {}
        grouped = claims.groupby(["source_id", "metric_id"], sort=True)
        for (sid, mid), part in grouped:
            days = part["period_end"][part["period_end"] != ""]
            out.setdefault(str(sid), []).append(
                SimpleNamespace(
                    metric_id=mid,
                    label=part["metric_label"].iloc[0] or mid,
                    count=len(part),
                    first=part["claim_id"].iloc[0],
                    last=part["claim_id"].iloc[-1],
                    first_day=days.min() if len(days) else "",
                    last_day=days.max() if len(days) else "",
                )
            )
        return out

    def source_pages(self) -> None:
        """A page per source with its text, every quote marked; then the index of sources."""
        render = self.env.get_template("source.html").render
        listing = _records(source_records(self.package))
        counts = self.claims["source_id"].value_counts()
        # a dataset source's page counts its figures by metric; a document's lists each claim
        documents = {r.source_id for r in listing if not r.data_path}
        mine = self.claims[self.claims["source_id"].isin(documents)]
        by_source = {str(sid): list(ids) for sid, ids in mine.groupby("source_id", sort=False)["claim_id"]}
        by_metric = self._figures_by_source_and_metric()
        for record in listing:
            sid = record.source_id
            ids = by_source.get(sid, [])
            seed = self.seeds.get(sid)
            dataset = bool(record.data_path)
            main = render(
                s=record,
                dataset=dataset,
                claims=[] if dataset else ids,
                metrics=by_metric.get(sid, []),
                unlocated=[] if dataset else [cid for cid in ids if cid not in self.spans],
                segments=seed.segments({c: self.spans[c] for c in ids if c in self.spans}) if seed else [],
            )
            self.out.write(f"source/{sid}.html", self.layout.page("../", f"{sid}: {record.title}", main))
            record.count = int(counts.get(sid, 0))
        render_index = self.env.get_template("sources.html").render
        for page in paginate(len(listing), SOURCES_PER_PAGE, "index"):
            main = render_index(sources=listing[page.first - 1 : page.last], total=len(listing), page=page)
            self.out.write(f"source/{page.file}", self.layout.page("../", page.title("Sources"), main))


def _claimant_metrics(claims: pd.DataFrame, compared: dict[tuple[str, str], str]) -> dict[str, list[SimpleNamespace]]:
    """Each claimant's figures by metric and by whose losses they count, for all claimants in one
    pass over the claims (a page each was a group-by each): how many, the days they span, and the
    latest figure, or how many figures share the latest day where the claimant counts item by item
    (a figure per model)."""
    if "side" not in claims.columns:
        claims = claims.assign(side="")
    keys = ["claimant_id", "metric_id", "side"]
    dated = claims["period_end"] != ""
    grouped = claims.groupby(keys, sort=True)
    days = claims[dated].groupby(keys)["period_end"]
    stats = pd.DataFrame({"figures": grouped.size(), "label": grouped["metric_label"].first()})
    stats["first_day"], stats["last_day"] = days.min(), days.max()
    stats = stats.fillna({"first_day": "", "last_day": ""})
    last_day = claims[keys].join(stats["last_day"], on=keys)["last_day"]
    at_last = claims[dated & (claims["period_end"] == last_day)].groupby(keys)
    stats["on_last"] = at_last.size()
    latest = at_last[["claim_id", "figure"]].last()  # the last in claim order, as a stable sort gave
    stats = stats.join(latest).fillna({"on_last": 0, "claim_id": "", "figure": ""})
    out: dict[str, list[SimpleNamespace]] = {}
    for (who, mid, side), r in zip(stats.index, stats.itertuples(index=False), strict=True):
        if r.on_last > 1:  # item by item: no one latest figure
            latest_text, claim = f"{int(r.on_last)} figures of {r.last_day}", ""
        elif r.on_last == 1:
            latest_text, claim = f"{r.figure} ({r.last_day})", r.claim_id
        else:
            latest_text, claim = "", ""
        out.setdefault(str(who), []).append(
            SimpleNamespace(
                metric_id=mid,
                label=r.label or mid,
                side=SIDE_WORDS.get(str(side), str(side)) if side else "not given",
                count=int(r.figures),
                first_day=r.first_day,
                last_day=r.last_day,
                latest=latest_text,
                latest_claim=claim,
                comparison=compared.get((str(mid), str(side)), ""),
            )
        )
    return out


T = TypeVar("T")
Later = T | Callable[[], T]  # a value, or the function that gives it when it is needed


def build_site(
    root: Path,
    package: LoadedPackage,
    folder: Path,
    history: Later[tuple[pd.DataFrame, str]],
    downloads: Later[list[Download]],
    chart_images: bool = False,
    compared: Later[list[Comparison]] | None = None,
) -> SiteResult:
    """Write the whole site into folder (an empty staging folder: see publish/dist_sets.new_set).

    history is compare/lineage.release_history's pair: the claims' history table and the label of the
    state this package is in it ("1.0.0", or "unreleased" when the tree differs from its newest
    release). compared: the comparisons, when the caller computes them
    (compare/claimants.comparisons). compared, history and downloads may be functions, called only
    when the pages that need them are written (the comparisons once the claims are read; the
    history and the downloads last), so that another process can compute them meanwhile
    (publish/build.py).
    """
    if chart_images:
        require_renderer()
    env = environment()
    ed = edition(root, package, [])
    out = Writer(folder)
    _copy_assets(folder)
    claims = claim_records(package).sort_values("claim_id", kind="stable").reset_index(drop=True)
    numbers = package.tables["claims"].frame.set_index("claim_id")[["value", "value_low", "value_high"]]
    numbers = numbers[~numbers.index.duplicated()].reindex(claims["claim_id"]).to_numpy(dtype="float64")
    seeds = read_seeds(package)
    site = Site(
        env,
        ed,
        Layout(env, ed),
        out,
        package,
        claims,
        Rows(claims),
        numbers,
        seeds,
        locate_quotes(claims, seeds),
        read_datasets(package),
        _records(series_latest(claims, source_records(package))),
        site_base(package.descriptor),
        chart_images,
    )
    site.comparisons = comparisons(package) if compared is None else compared() if callable(compared) else compared
    site.groups = series_groups(claims, source_records(package))
    site.address = addresses(claims, site.groups)
    site.records.address = site.address
    env.filters["at"] = lambda cid: site.address.get(cid, f"claim/{cid}.html")
    metrics = _counts(package.tables["metrics"].frame, "metric_id", claims)
    search = site.search_files()
    for metric in metrics:
        site.metric_pages(metric)
    site.comparison_pages()
    site.claimant_pages()
    site.series_pages(package.tables["series_corrections"].frame if "series_corrections" in package.tables else None)
    site.finding_pages()
    site.source_pages()
    sections = changelog_sections(root)
    out.write_bytes("feeds/releases.xml", releases_feed(ed, sections))
    files = DataFiles(package, ed)
    ids = claims["claim_id"].to_numpy()
    for rel, data in (*files.metric_files(site.groups, ids), *files.series_files(site.groups, ids)):
        out.write_bytes(rel, data)
    # what needs the history, then the downloads
    table, label = history() if callable(history) else history
    events, later = claim_events(table), superseded_by(claims)
    site.claim_pages(events, later)
    out.write_bytes("feeds/corrections.xml", corrections_feed(ed, sections, table, claims, site.address))
    for rel, data in files.claim_files(events, later, site.in_series()):
        out.write_bytes(rel, data)
    ed.downloads = downloads() if callable(downloads) else downloads
    site.home(search, _changes(table, label, ed.version), metrics, spreads(site.comparisons, site._stated()))
    return out.result


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
