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
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from ..package import LoadedPackage
from .chart import figure_marks, metric_spec
from .model import UNIT_WORDS, Download, Edition, claim_records, edition, locate_quotes, read_seeds, source_records

HERE = Path(__file__).parent
PAGE_SIZE = 100  # figures per metric page: a chart row each, so a page stays readable and light
SEARCH_CHUNK = 5_000  # claims per search data file
SOURCES_PER_PAGE = 1_000  # rows of the sources index (about 150 bytes each)
CHANGES_LISTED = 500  # claims listed in the home page's changes; the rest are counted


@dataclass
class SiteResult:
    folder: Path
    pages: int = 0
    bytes: int = 0
    largest: tuple[int, str] = (0, "")
    files: list[str] = field(default_factory=list)


def _safe_url(value: str) -> str:
    """A link target only for web addresses: a javascript: or data: URL in a source's url cell
    is shown as text, never made a link."""
    text = str(value or "")
    return text if text.lower().startswith(("https://", "http://")) else ""


def _filesize(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = _safe_url
    env.filters["filesize"] = _filesize
    return env


def script_json(value: Any) -> Markup:
    """JSON that cannot end its <script> element or open a comment or tag inside it: marked safe
    for the template because no <, > or & is left in it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Writer:
    def __init__(self, folder: Path) -> None:
        self.result = SiteResult(folder)
        self.folder = folder
        self._made: set[Path] = set()

    def write(self, rel: str, text: str) -> None:
        data = text.encode("utf-8")
        path = self.folder / rel
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        r = self.result
        r.files.append(rel)
        r.bytes += len(data)
        if rel.endswith(".html"):
            r.pages += 1
            if len(data) > r.largest[0]:
                r.largest = (len(data), rel)


class Layout:
    """The page around each page's content (layout.html), rendered once per folder depth and set
    of scripts and cut at its two holes, so the 100,000th claim page costs its own content only."""

    _TITLE, _MAIN = "\x00title\x00", "\x00main\x00"

    def __init__(self, env: jinja2.Environment, ed: Edition) -> None:
        self.template = env.get_template("layout.html")
        self.edition = ed
        self._parts: dict[tuple[str, str], tuple[str, str, str]] = {}

    def page(self, root: str, title: str, main: str, scripts: tuple[str, ...] = ()) -> str:
        key = (root, " ".join(scripts))
        if key not in self._parts:
            tags = Markup("\n").join(Markup('<script src="{}"></script>').format(root + s) for s in scripts)
            text = self.template.render(
                edition=self.edition, root=root, title=Markup(self._TITLE), main=Markup(self._MAIN), scripts=tags
            )
            before, rest = text.split(self._TITLE)
            middle, after = rest.split(self._MAIN)
            self._parts[key] = (before, middle, after)
        before, middle, after = self._parts[key]
        return f"{before}{escape(title)}{middle}{main}{after}"


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


def page_file(metric_id: str, number: int) -> str:
    return f"{metric_id}.html" if number == 1 else f"{metric_id}-{number}.html"


def build_site(
    root: Path,
    package: LoadedPackage,
    folder: Path,
    history: pd.DataFrame,
    label: str,
    downloads: list[Download],
) -> SiteResult:
    """Write the whole site into folder (an empty staging folder: see dist.new_set).

    history is lineage.claim_history's table and label the state this package is in it ("1.0.0",
    or "unreleased" when the tree differs from its newest release).
    """
    env = environment()
    ed = edition(root, package, downloads)
    layout = Layout(env, ed)
    out = Writer(folder)
    _copy_assets(folder)
    t = package.tables
    claims = claim_records(package).sort_values("claim_id", kind="stable").reset_index(drop=True)
    numbers = t["claims"].frame.set_index("claim_id")[["value", "value_low", "value_high"]]
    numbers = numbers[~numbers.index.duplicated()].reindex(claims["claim_id"]).to_numpy(dtype="float64")
    seeds = read_seeds(package)
    spans = locate_quotes(claims, seeds)
    records = _records(claims)

    # search data, then the home page that names its files
    chunks: list[str] = []
    search_cols = ["claim_id", "metric_label", "claimant_name", "wording", "figure", "subject", "period", "status"]
    rows = [[getattr(r, c) for c in search_cols] for r in records]
    for n, start in enumerate(range(0, len(rows), SEARCH_CHUNK), 1):
        name = f"search/claims-{n:04d}.js"
        body = json.dumps(rows[start : start + SEARCH_CHUNK], ensure_ascii=False, separators=(",", ":"))
        out.write(name, f"window.WAR_CLAIMS_SEARCH.push.apply(window.WAR_CLAIMS_SEARCH, {body});\n")
        chunks.append(name)

    metrics = _counts(t["metrics"].frame, "metric_id", claims)
    claimants = _counts(t["claimants"].frame, "claimant_id", claims)
    sources = source_records(package)
    home = env.get_template("home.html").render(
        edition=ed,
        root="",
        counts={"claims": len(claims), "sources": len(sources)},
        citation=citation(ed),
        search_chunks=chunks,
        changes=_changes(history, label, ed.version),
        metrics=metrics,
        claimants=claimants,
    )
    out.write("index.html", layout.page("", "Reported figures", home))

    # metric pages, PAGE_SIZE figures each, ordered by period then claim ID
    metric_tpl = env.get_template("metric.html")
    for metric in metrics:
        mine = claims.index[claims["metric_id"] == metric.metric_id]
        if not len(mine):
            continue
        order = claims.loc[mine].sort_values(["period_start", "period_end", "claim_id"], kind="stable").index
        unit = getattr(metric, "unit", "") or ""
        metric.unit_words = UNIT_WORDS.get(unit, unit)
        count, page_count = len(order), (len(order) + PAGE_SIZE - 1) // PAGE_SIZE
        for number in range(1, page_count + 1):
            first, last = (number - 1) * PAGE_SIZE + 1, min(number * PAGE_SIZE, count)
            at = order[first - 1 : last].to_numpy()
            part = [records[i] for i in at]
            marks = figure_marks(part, numbers[at])
            # the table sorts by the number it shows: the figure, else its lower, else its upper bound
            for record, (v, lo, hi) in zip(part, numbers[at], strict=True):
                shown = v if v == v else lo if lo == lo else hi
                record.sort_value = "" if shown != shown else repr(float(shown))
            page = {"number": number, "first": first, "last": last}
            main = metric_tpl.render(
                edition=ed,
                metric=metric,
                total=count,
                page=page,
                page_count=page_count,
                pager=pager(number, page_count, metric.metric_id),
                rows=part,
                spec_json=script_json(metric_spec(marks, f"{metric.label} ({metric.unit_words})")),
            )
            title = metric.label if page_count == 1 else f"{metric.label} (page {number})"
            out.write(f"metric/{page_file(metric.metric_id, number)}", layout.page("../", title, main, CHART_SCRIPTS))

    # claim pages
    superseded_by: dict[str, list[str]] = {}
    for record in records:
        if record.supersedes:
            superseded_by.setdefault(record.supersedes, []).append(record.claim_id)
    events: dict[str, list[dict[str, str]]] = {}
    for cid, release, event, cols in history.itertuples(index=False):
        events.setdefault(cid, []).append({"release": release, "event": event, "columns": cols})
    render_claim = env.get_template("claim.html").render
    for record in records:
        cid = record.claim_id
        span = spans.get(cid)
        seed = seeds.get(record.source_id)
        main = render_claim(
            c=record,
            context=seed.context(span) if seed is not None and span is not None else None,
            history=events.get(cid, ()),
            superseded_by=superseded_by.get(cid, ()),
            cite=f"war-claims {cid} (v{ed.version})",
        )
        out.write(f"claim/{cid}.html", layout.page("../", f"{cid}: {record.wording}", main))

    # source pages and their index
    by_source: dict[str, list[str]] = {}
    for record in records:
        by_source.setdefault(record.source_id, []).append(record.claim_id)
    render_source = env.get_template("source.html").render
    listing = []
    for record in _records(sources):
        sid = record.source_id
        ids = by_source.get(sid, [])
        seed = seeds.get(sid)
        mine = {cid: spans[cid] for cid in ids if cid in spans}
        main = render_source(
            s=record,
            claims=ids,
            unlocated=[cid for cid in ids if cid not in spans],
            segments=seed.segments(mine) if seed is not None else [],
        )
        out.write(f"source/{sid}.html", layout.page("../", f"{sid}: {record.title}", main))
        record.count = len(ids)
        listing.append(record)
    render_sources = env.get_template("sources.html").render
    page_count = max(1, (len(listing) + SOURCES_PER_PAGE - 1) // SOURCES_PER_PAGE)
    for number in range(1, page_count + 1):
        first = (number - 1) * SOURCES_PER_PAGE
        main = render_sources(
            sources=listing[first : first + SOURCES_PER_PAGE],
            total=len(listing),
            page={"number": number, "first": first + 1, "last": min(first + SOURCES_PER_PAGE, len(listing))},
            page_count=page_count,
            pager=pager(number, page_count, "index"),
        )
        title = "Sources" if page_count == 1 else f"Sources (page {number})"
        out.write(f"source/{page_file('index', number)}", layout.page("../", title, main))
    return out.result
