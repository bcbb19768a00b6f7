"""What the site shows, as plain objects: computed once from a valid package, rendered by pages.py.

Every value here is text as a reader sees it ("at least 50,000", "from 2022-02-24, end not
given"); escaping is the templates' job (Jinja2 autoescape), never this module's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from markupsafe import Markup, escape

from ..compare.claimants import SERIES_MIN, SIDE_WORDS  # SERIES_MIN: dated running totals that make a series
from ..core.arrow import column_number_text
from ..core.data_file import read_data_file
from ..core.json_pointer import pointer, resolve, tokens
from ..core.paths import regular_file_inside
from ..errors import UsageError
from ..read.model import LoadedPackage
from .quotes import Seed, Span

RETIRED = ("retracted", "superseded")  # drawn apart from current figures
PHRASES = {
    "exact": "{v}",
    "approximately": "about {v}",
    "at_least": "at least {v}",
    "more_than": "more than {v}",
    "at_most": "at most {v}",
    "fewer_than": "fewer than {v}",
    "range": "between {lo} and {hi}",
    "estimate": "an estimated {v} ({lo} to {hi})",
    "order_of_magnitude": "between {lo} and {hi} (order of magnitude)",
}
UNIT_WORDS = {
    "person": "people",
    "item": "items",
    "year": "years",
    "percent": "%",
    "percentage_point": "percentage points",
}


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str


@dataclass
class Edition:
    """The dataset as a whole: what the home page says about this release."""

    title: str
    description: str
    version: str
    date: str  # the CHANGELOG's date for this version; "" when it has none
    licence: str
    licence_url: str
    downloads: list[Download] = field(default_factory=list)
    creator: str = ""  # the contributor with the role "creator" (Data Package v2), else the first
    issues: str = ""  # where a reader opens the data-error form (a GitHub repository's), "" when unknown


def _digits(col: pd.Series) -> pd.Series:
    """Numbers as written (number_text), with thousands separators on the whole part, in arrow's
    string kernels: a comma after every third digit of the reversed whole part."""
    text = pa.array(column_number_text(col).to_numpy(dtype=object), pa.string(), from_pandas=True)
    text = pc.fill_null(text, "")
    parts = pc.extract_regex(text, r"^(?P<whole>[0-9]+)(?P<rest>\.[0-9]*)?$")
    whole = pc.struct_field(parts, "whole")
    grouped = pc.replace_substring_regex(pc.utf8_reverse(whole), r"([0-9]{3})", r"\1,")
    grouped = pc.utf8_reverse(pc.utf8_rtrim(grouped, characters=","))
    rest = pc.fill_null(pc.struct_field(parts, "rest"), "")
    out = pc.if_else(pc.is_valid(parts), pc.binary_join_element_wise(grouped, rest, ""), text)
    return pd.Series(out.to_numpy(zero_copy_only=False), index=col.index, dtype=object)


def figure_words(claims: pd.DataFrame) -> pd.Series:
    """The figure with its qualifier in words, e.g. "at least 50,000", from the typed bounds."""
    v, lo, hi = (_digits(claims[c]) for c in ("value", "value_low", "value_high"))
    out = pd.Series("", index=claims.index, dtype=object)
    for qualifier, phrase in PHRASES.items():
        hit = (claims["qualifier"] == qualifier).fillna(False).to_numpy()
        if hit.any():
            out[hit] = [phrase.format(v=a, lo=b, hi=c) for a, b, c in zip(v[hit], lo[hit], hi[hit], strict=True)]
    return out


def _dates(col: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").fillna("")
    return col.fillna("").astype(str)


def period_words(start: pd.Series, end: pd.Series) -> pd.Series:
    both = start.ne("") & end.ne("")
    out = pd.Series("not given", index=start.index, dtype=object)
    out[both] = start[both] + " to " + end[both]
    only_start = start.ne("") & end.eq("")
    out[only_start] = "from " + start[only_start] + " (end not given)"
    only_end = start.eq("") & end.ne("")
    out[only_end] = "up to " + end[only_end] + " (start not given)"
    return out


def period_short(start: pd.Series, end: pd.Series) -> pd.Series:
    """The period as a chart label: "2022-02-24 – 2024-12-31", "2022-02-24 –", "no period"."""
    out = (start + " – " + end).str.strip()
    return out.where(out != "–", "no period")


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as display text: dates as YYYY-MM-DD, numbers as written, empty as ""."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            out[name] = _dates(col)
        elif pd.api.types.is_float_dtype(col) or pd.api.types.is_integer_dtype(col):
            out[name] = _digits(col)
        else:
            out[name] = col.astype(object).where(col.notna(), "").astype(str)
    return pd.DataFrame(out, index=frame.index)


def claim_records(package: LoadedPackage) -> pd.DataFrame:
    """One row per claim: its columns as text, joined to its metric, claimant and source."""
    t = package.tables
    claims = _text_frame(t["claims"].frame)
    claims["figure"] = figure_words(t["claims"].frame)
    claims["unit_words"] = claims["unit"].map(UNIT_WORDS).fillna(claims["unit"])
    claims["period"] = period_words(claims["period_start"], claims["period_end"])
    claims["period_short"] = period_short(claims["period_start"], claims["period_end"])
    side = claims["side"] if "side" in claims.columns else pd.Series("", index=claims.index)
    claims["whose"] = side.map(SIDE_WORDS).where(side != "", "not given").fillna(side)
    metrics = _text_frame(t["metrics"].frame)[["metric_id", "label"]].rename(columns={"label": "metric_label"})
    claimants = _text_frame(t["claimants"].frame)[["claimant_id", "name", "kind"]]
    claimants = claimants.rename(columns={"name": "claimant_name", "kind": "claimant_kind"})
    sources = _text_frame(t["sources"].frame)[["source_id", "title", "publisher", "url", "published"]]
    sources = sources.rename(columns={c: f"source_{c}" for c in ("title", "publisher", "url", "published")})
    out = claims.merge(metrics, on="metric_id", how="left").merge(claimants, on="claimant_id", how="left")
    out = out.merge(sources, on="source_id", how="left").fillna("")
    out["reporter"] = out["source_publisher"].where(out["source_publisher"] != "", out["source_title"])
    out["current"] = ~out["status"].isin(RETIRED)
    return out


def claim_events(history: pd.DataFrame) -> dict[str, list[dict[str, str]]]:
    """Each claim's rows of compare/lineage.claim_history (release, event, columns), in release
    order: what its page and its claim/<id>.json both show as its history."""
    events: dict[str, list[dict[str, str]]] = {}
    columns = (history[c].tolist() for c in ("claim_id", "release", "event", "columns"))
    for cid, release, event, cols in zip(*columns, strict=True):
        events.setdefault(cid, []).append({"release": release, "event": event, "columns": cols})
    return events


def superseded_by(claims: pd.DataFrame) -> dict[str, list[str]]:
    """The claims that name each claim in their supersedes column, in claim ID order."""
    later: dict[str, list[str]] = {}
    named = claims[claims["supersedes"].fillna("").astype(str) != ""]
    ordered = named.sort_values("claim_id", kind="stable")
    for cid, old in zip(ordered["claim_id"].tolist(), ordered["supersedes"].tolist(), strict=True):
        later.setdefault(old, []).append(cid)
    return later


def series_latest(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The latest figure of each series (a claimant's running total of a metric over SERIES_MIN
    days or more), newest first: what a journalist quotes "as of" a day. claims are claim_records,
    sources source_records (text)."""
    dated = claims[(claims["period_end"] != "") & claims["current"] & (claims["count_type"] == "cumulative")]
    if "locator" in dated.columns:  # a series is read from a data file; an article's figure beside it is not part
        dated = dated[dated["locator"] != ""]
    keys = ["claimant_id", "metric_id"]
    # one figure a day from a source: a claimant that counts a metric item by item (Oryx, per model)
    # has no one latest figure of it; the comparison pages sum its items, and say so
    per_day = dated.groupby([*keys, "period_end", "source_id"])["claim_id"].transform("size")
    itemised = (per_day > 1).groupby([dated[k] for k in keys]).transform("any")
    # two compilations of one claimant's reports: each day's first claim by ID, as the charts draw it
    number = dated["claim_id"].str.extract(r"([0-9]+)$", expand=False).astype("int64")
    series = dated[~itemised].assign(n=number).sort_values([*keys, "period_end", "n"])
    series = series.drop_duplicates([*keys, "period_end"]).drop(columns="n")
    series = series[series.groupby(keys)["claim_id"].transform("size") >= SERIES_MIN]
    latest = series.groupby(keys, sort=False).tail(1).copy()
    latest["days"] = series.groupby(keys, sort=False)["period_end"].transform("size").loc[latest.index]
    latest["first_day"] = series.groupby(keys, sort=False)["period_end"].transform("min").loc[latest.index]
    columns = [c for c in ("source_id", "commit", "data_path") if c in sources.columns]
    latest = latest.merge(sources[columns], on="source_id", how="left").fillna("")
    latest["people_first"] = latest["unit"] != "person"  # a count of people leads, as in the news
    order = ["period_end", "people_first", "metric_label"]
    return latest.sort_values(order, ascending=[False, True, True]).drop(columns="people_first").reset_index(drop=True)


def source_records(package: LoadedPackage) -> pd.DataFrame:
    return _text_frame(package.tables["sources"].frame)


def read_seeds(package: LoadedPackage) -> dict[str, Seed]:
    return {
        sid: Seed(path.read_bytes().decode("utf-8", "replace")) for sid, path in sorted(package.seeds.texts.items())
    }


def read_datasets(package: LoadedPackage) -> dict[str, DataRecords]:
    """Each dataset source's archived data file, parsed (a valid package's files all parse)."""
    return {sid: DataRecords(read_data_file(path)) for sid, path in sorted(package.seeds.data.items())}


@dataclass(frozen=True)
class DataRecord:
    """The record a figure sits in, in its archived data file: where it is, and its fields as
    table rows with the figure's marked, as a quote is shown in the lines around it."""

    at: str  # the pointer of the record (the figure's parent)
    rows: Markup  # <tr> per field: the field's name and its value as the file writes it, escaped


class DataRecords:
    """The records of one archived data file, each rendered once for all the figures it holds
    (a day of the General Staff's report holds 18): a figure's page only marks its own field."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._rows: dict[str, list[tuple[str, str, str]]] = {}  # record -> (field, its row, its row marked)

    def around(self, locator: str) -> DataRecord | None:
        """The record around the value at locator; None when the locator names nothing there."""
        try:
            path = tokens(locator)
        except ValueError:
            return None
        at = pointer(*path[:-1]) or "/"
        if at not in self._rows:
            self._rows[at] = self._render(path[:-1])
        rows = self._rows[at]
        if not any(key == path[-1] for key, _, _ in rows):
            return None
        return DataRecord(at=at, rows=Markup("".join(marked if key == path[-1] else row for key, row, marked in rows)))

    def _render(self, parent: list[str]) -> list[tuple[str, str, str]]:
        try:
            record = resolve(self.document, pointer(*parent)) if parent else self.document
        except KeyError:
            return []
        items = record.items() if isinstance(record, dict) else enumerate(record) if isinstance(record, list) else ()
        out = []
        for k, v in items:
            key, value = escape(str(k)), escape(json.dumps(v, ensure_ascii=False))
            out.append(
                (
                    str(k),
                    f"<tr><td>{key}</td><td>{value}</td></tr>\n",
                    f'<tr class="figure"><td><mark id="quote">{key}</mark></td><td><mark>{value}</mark></td></tr>\n',
                )
            )
        return out


def locate_quotes(claims: pd.DataFrame, seeds: dict[str, Seed]) -> dict[str, Span]:
    spans: dict[str, Span] = {}
    quoted = claims[claims["quote"].fillna("").astype(str) != ""]  # an empty quote is found nowhere
    columns = (quoted[c].tolist() for c in ("claim_id", "source_id", "quote"))
    for cid, sid, quote in zip(*columns, strict=True):
        seed = seeds.get(sid)
        span = seed.locate(quote) if seed else None
        if span is not None:
            spans[cid] = span
    return spans


_DATE_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\]\s*-\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)


def release_date(root: Path, version: str) -> str:
    """The date the CHANGELOG gives this version ("" when it gives none): never the build's clock,
    so two builds of one commit are the same bytes."""
    try:  # a CHANGELOG linked to a file outside the package is not read (build refuses to publish it)
        path = regular_file_inside(root, "CHANGELOG.md")
    except UsageError:
        return ""
    for match in _DATE_HEADING.finditer(path.read_text(encoding="utf-8", errors="replace")):
        if match["version"] == version:
            return match["date"]
    return ""


def edition(root: Path, package: LoadedPackage, downloads: list[Download]) -> Edition:
    d = package.descriptor
    licences = d.get("licenses") or [{}]
    first = licences[0] if isinstance(licences[0], dict) else {}
    version = str(d.get("version", ""))
    return Edition(
        title=str(d.get("title") or d.get("name") or "war-claims"),
        description=str(d.get("description", "")),
        version=version,
        date=release_date(root, version),
        licence=str(first.get("name") or first.get("title") or ""),
        licence_url=str(first.get("path", "")),
        downloads=downloads,
        creator=_creator(d.get("contributors")),
        issues=issue_form(root),
    )


GITHUB = re.compile(r"^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def issue_form(root: Path) -> str:
    """The data-error issue form of the repository CITATION.cff names (`repository-code`), when it
    is a GitHub repository and the form is in the package; "" otherwise: no link is better than a
    link to a form that is not there."""
    import yaml

    try:
        text = regular_file_inside(root, "CITATION.cff").read_text(encoding="utf-8")
        regular_file_inside(root, ".github/ISSUE_TEMPLATE/data-error.yml")
        meta = yaml.safe_load(text[:100_000])
    except (UsageError, OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    url = str(meta.get("repository-code", "")).removesuffix(".git").rstrip("/") if isinstance(meta, dict) else ""
    return f"{url}/issues/new?template=data-error.yml" if GITHUB.match(url) else ""


def _creator(contributors: object) -> str:
    people = [c for c in contributors if isinstance(c, dict)] if isinstance(contributors, list) else []
    creators = [c for c in people if "creator" in (c.get("roles") or [])] or people
    return str(creators[0].get("title", "")) if creators else ""
