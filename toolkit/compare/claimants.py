"""Claimants side by side: each claimant's running totals of one thing, aligned day by day.

A comparison is anchored on a metric that other metrics name in `compares_with` (tank_losses,
which Oryx's tank counts compare with), or on a metric several claimants report themselves
(killed_or_wounded). Its series are one per claimant and metric: the claimant's dated running
totals (current claims only). Where a claimant counts the thing item by item, on several metrics
or models a day (Oryx's per-model counts over its categories of armoured vehicles), its series is
the sum of those claims on each day: a figure the package computes, never a claim, and named as
such wherever it is shown. A claimant whose figures come from several compilations that count
different metrics (Oryx's lists per model, and its daily tallies) has a series per compilation,
named by it: adding them would count each item twice on the days both give.

Days are aligned "as of": on a day, each claimant's figure is its latest on or before that day,
with the day it is for, and so with its age; a figure more than STALE_DAYS older than the one it is
set beside is old, and the site never sets it against a current one without saying so. The pairs
set each series beside the main one (the series with the most days) on the days the other has a
figure.

A comparison is of one side's losses: the claims' `side` (Russia's forces, Ukraine's) splits a
metric that holds both into a comparison per side, so a figure about one side is never read as
one about the other. Each figure keeps its bounds and qualifier (a range is drawn as a range, "at
least" as an open bound) and the doubt the evidence casts on its date. Nothing here is stored;
the site and the downloads compute it from the claims of the release.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from ..read.model import LoadedPackage
from .reporters import claim_reporters

SERIES_MIN = 5  # figures a claimant needs for its figures to be a series (website/model.py uses the same)

LIVE = ("reported", "corroborated", "disputed")
WARRING = ("RU", "UA")  # a claimant of either country is a party to the war, whose figures the reader weighs so
STALE_DAYS = 90  # a figure this many days older than the one beside it is old: never set against it unmarked
DAILY_GAP = 2  # a series is daily (a line) when its figures are at most this many days apart, as a rule
SIDE_WORDS = {"russia": "Russia's forces", "ukraine": "Ukraine's forces", "": "either side"}
MAIN_SIDE = "russia"  # the side whose comparison keeps the metric's own address: the package's main subject


def days_between(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days


@dataclass(frozen=True, kw_only=True)
class Member:
    """A metric in a comparison: the anchor, or one that compares with it."""

    metric_id: str
    label: str
    definition: str
    comparison: str  # how it differs from the anchor ("" for the anchor)


@dataclass(kw_only=True)
class Series:
    """One claimant's figures in a comparison, one a day."""

    key: str  # a name for a column: the claimant ID, or "<claimant>_sum" for a computed sum
    claimant_id: str
    claimant_name: str
    metrics: list[str]
    derived: bool  # a sum the package computed over several claims a day
    days: list[str] = field(default_factory=list)  # YYYY-MM-DD, ascending
    values: list[float] = field(default_factory=list)
    claims: list[list[str]] = field(default_factory=list)  # the claim IDs behind each day's figure
    party: bool = False  # the claimant is of Russia or Ukraine (claimants.csv country RU or UA): a warring party
    # the compilation (the upstream its figures are read from: seeds/<compilation>/) when the claimant's
    # figures come from several that count different metrics (Oryx per model, Oryx's daily tallies):
    # a series each, never added together; "" when its figures are one series
    compilation: str = ""
    # each day's figure as its claim states it (empty for a computed sum): its bounds (NaN when it
    # sets none), qualifier, wording, and the doubt the evidence casts on its day ("" when none)
    stated: list[float] = field(default_factory=list)  # the value the claim states (NaN: bounds only)
    lows: list[float] = field(default_factory=list)
    highs: list[float] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    wordings: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)

    @property
    def daily(self) -> bool:
        """One figure a day, day after day (the General Staff's reports): drawn as a line. Figures
        weeks or years apart (a table of estimates) are points, never joined as if they were one."""
        if self.derived or len(self.days) < SERIES_MIN:
            return False
        gaps = np.diff(np.array(self.days, dtype="datetime64[D]")).astype(int)
        return bool(np.median(gaps) <= DAILY_GAP)

    @property
    def label(self) -> str:
        name = f"{self.claimant_name}, {self.compilation}" if self.compilation else self.claimant_name
        if self.derived:
            return f"{name}: sum computed by war-claims"
        return name

    def as_of(self, day: str) -> tuple[float, str, list[str]] | None:
        """The latest figure on or before day: (figure, its day, its claims)."""
        return self.as_of_each([day])[0]

    def as_of_each(self, days: list[str]) -> list[tuple[float, str, list[str]] | None]:
        """as_of for many days at once (a comparison's table asks for every day)."""
        found = np.searchsorted(np.array(self.days), np.array(days), side="right") - 1
        return [None if at < 0 else (self.values[at], self.days[at], self.claims[at]) for at in found.tolist()]


@dataclass(frozen=True, kw_only=True)
class Pair:
    """Another series beside the main one on a day the other has a figure."""

    day: str
    main_value: float | None
    main_day: str  # the day the main figure is for (on or before day)
    main_claims: list[str]
    other_value: float
    other_claims: list[str]

    @property
    def age(self) -> int | None:
        """How many days older the main figure is than the day it is set beside."""
        return days_between(self.main_day, self.day) if self.main_day else None

    @property
    def stale(self) -> bool:
        return self.age is not None and self.age > STALE_DAYS

    @property
    def ratio(self) -> float | None:
        """main / other: how many times the main claimant's figure is the other's."""
        if self.main_value is None or not self.other_value:
            return None
        return self.main_value / self.other_value


@dataclass(kw_only=True)
class Comparison:
    metric_id: str  # the anchor
    label: str
    unit: str
    members: list[Member]
    series: list[Series]  # the main series first
    side: str = ""  # whose losses every figure counts (claims.side), "" for a package without sides
    # its files once made (compare/comparison_table.comparison_files): the release and the site publish the same bytes
    files: dict[str, bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def main(self) -> Series:
        return self.series[0]

    @property
    def key(self) -> str:
        """Its name in addresses and file names: the metric's, with the side when it is not the main one."""
        return self.metric_id if self.side in ("", MAIN_SIDE) else f"{self.metric_id}-{self.side}"

    @property
    def side_words(self) -> str:
        return SIDE_WORDS.get(self.side, self.side)

    @property
    def title(self) -> str:
        """What the comparison counts, and whose: "Killed or wounded, Russia's forces"."""
        return f"{self.label}, {self.side_words}" if self.side else self.label

    @property
    def newest(self) -> str:
        """The latest day any claimant has a figure for: the day every figure's age is counted to."""
        return max(s.days[-1] for s in self.series)

    def latest(self) -> list[tuple[Series, int]]:
        """Each claimant's latest figure (the last of its series) with its age in days, newest first."""
        newest = self.newest
        rows = [(s, days_between(s.days[-1], newest)) for s in self.series]
        return sorted(rows, key=lambda r: (r[1], r[0].claimant_name))

    def pairs(self, other: Series) -> list[Pair]:
        out = []
        main = self.main.as_of_each(other.days)
        for day, value, claims, found in zip(other.days, other.values, other.claims, main, strict=True):
            out.append(
                Pair(
                    day=day,
                    main_value=found[0] if found else None,
                    main_day=found[1] if found else "",
                    main_claims=found[2] if found else [],
                    other_value=value,
                    other_claims=claims,
                )
            )
        return out

    def days(self) -> list[str]:
        """Every day any series has a figure for."""
        return sorted({d for s in self.series for d in s.days})

    def gaps(self) -> list[tuple[Series, Pair]]:
        """For each other series, the pair at its latest day the main series also has a figure by,
        when neither figure is old: the main one no more than STALE_DAYS before the other's day, and
        the other's day no more than STALE_DAYS before the comparison's newest (a figure of years
        ago is not set against today's, however far apart they are)."""
        out = []
        newest = self.newest
        for other in self.series[1:]:
            paired = [p for p in self.pairs(other) if p.ratio is not None]
            if paired and not paired[-1].stale and days_between(paired[-1].day, newest) <= STALE_DAYS:
                out.append((other, paired[-1]))
        return out


def comparisons(package: LoadedPackage) -> list[Comparison]:
    """Every comparison the package's metrics and claims make, by anchor metric ID."""
    tables = package.tables
    if "claims" not in tables or "metrics" not in tables:
        return []
    metrics = tables["metrics"].frame
    claims = _dated_totals(tables["claims"].frame)
    sources = tables["sources"].frame if "sources" in tables else pd.DataFrame(columns=["source_id"])
    claims["compilation"] = claim_reporters(claims, sources)  # the upstream folder of its source's file
    # a claim of a file of many days (a series' file, not a list dated by its version): its items are
    # running tallies, which a sum of a day carries forward until they change
    claims["tallied"] = (claims["compilation"] != "") & (claims.groupby("source_id")["day"].transform("nunique") > 1)
    names: dict[str, str] = {}
    parties: set[str] = set()
    if "claimants" in tables:
        frame = tables["claimants"].frame
        names = dict(zip(frame["claimant_id"], frame["name"], strict=True))
        if "country" in frame.columns:
            parties = set(frame.loc[frame["country"].isin(WARRING).fillna(False), "claimant_id"])
    rows = [SimpleNamespace(**r) for r in metrics.to_dict("records")]  # a few dozen: plain objects
    others: dict[str, list[SimpleNamespace]] = {}
    for row in rows:
        if isinstance(getattr(row, "compares_with", None), str):
            others.setdefault(row.compares_with, []).append(row)
    by_metric = {str(m): part for m, part in claims.groupby("metric_id", sort=False)}
    # the metrics of which a source counts several subjects, found once (_one_subject per metric
    # cost a group-by each)
    subjects = claims.groupby(["metric_id", "source_id"], sort=False)["subject"].nunique()
    several = set(subjects.index.get_level_values(0)[subjects.to_numpy() > 1])
    out = []
    for anchor in rows:
        members = [_member(anchor, "")]
        for other in others.get(anchor.metric_id, []):
            members.append(_member(other, other.comparison if isinstance(other.comparison, str) else ""))
        parts = [by_metric[m.metric_id] for m in members if m.metric_id in by_metric]
        if _claimants(parts) < 2:
            continue  # one claimant: nothing to set beside it
        if "side" in claims.columns and parts:
            sides = _sides(parts)
        else:
            if anchor.metric_id in several:
                parts[0] = _one_subject(parts[0])
            sides = [("", parts)]
        for side, own in sides:
            if not own or _claimants(own) < 2:
                continue
            series = _series(pd.concat(own), names, parties)
            series.sort(key=lambda s: (-len(s.days), s.key))  # the main series: the most days
            out.append(
                Comparison(
                    metric_id=anchor.metric_id,
                    label=str(anchor.label),
                    unit=str(anchor.unit),
                    members=members,
                    series=series,
                    side=side,
                )
            )
    return out


def _apart(claims: pd.DataFrame) -> pd.Series:
    """The series each claim belongs to: its claimant's, or, for a claimant whose figures come from
    several compilations counting different metrics (Oryx's per-model lists and its daily tallies,
    each compared with the same General Staff metric), its claimant's and compilation's. Two
    compilations of the same metrics (two transcriptions of the General Staff's reports) stay one
    series: the same figures, whose disagreements reporters-disagree names."""
    group = claims["claimant_id"].astype(str)
    if "compilation" not in claims.columns:
        return group
    for who, part in claims[claims["compilation"] != ""].groupby("claimant_id", sort=False):
        metrics = part.groupby("compilation")["metric_id"].agg(frozenset)
        every = [m for ms in metrics for m in ms]
        if len(metrics) > 1 and len(every) == len(set(every)):  # no metric counted by two of them
            at = (claims["claimant_id"] == who) & (claims["compilation"] != "")  # a document's stay the claimant's
            group[at] = str(who) + "\x00" + claims.loc[at, "compilation"].astype(str)
    return group


def _claimants(parts: list[pd.DataFrame]) -> int:
    return len({c for part in parts for c in part["claimant_id"].unique()})


def _sides(parts: list[pd.DataFrame]) -> list[tuple[str, list[pd.DataFrame]]]:
    """The members' claims split by side, one comparison each: the figures of one side's losses
    are set beside each other, never beside the other side's. Claims of no side (a package's
    articles before `side`) take part in a metric of one side only."""
    found = sorted({s for part in parts for s in part["side"].fillna("").unique()})
    named = [s for s in found if s]
    if not named:
        return [("", parts)]
    out = []
    for side in named:
        keep = [p["side"].fillna("").isin([side, ""] if len(named) == 1 else [side]) for p in parts]
        out.append((side, [p[k] for p, k in zip(parts, keep, strict=True) if k.any()]))
    return out


def _one_subject(claims: pd.DataFrame) -> pd.DataFrame:
    """The anchor metric's claims of its main subject (the one most of them count), where a source
    counts several: a table of estimates gives the killed of Russia's forces and of Ukraine's under
    one metric, and a comparison sets figures of one side beside each other, never sums them. A
    source of one subject keeps its claims (an article's words for the same forces differ)."""
    subjects = claims.groupby("source_id")["subject"].transform("nunique")
    if not (subjects > 1).any():
        return claims
    counts = claims["subject"].value_counts()
    main = min(counts.index, key=lambda subject: (-counts[subject], subject))  # a tie: the first by name
    return claims[(subjects == 1) | (claims["subject"] == main)]


def _member(row: object, comparison: str) -> Member:
    return Member(
        metric_id=str(row.metric_id),  # type: ignore[attr-defined]
        label=str(row.label),  # type: ignore[attr-defined]
        definition=str(row.definition),  # type: ignore[attr-defined]
        comparison=comparison,
    )


def _dated_totals(claims: pd.DataFrame) -> pd.DataFrame:
    """Current dated running totals, each with the one number it states (else a bound)."""
    use = claims["status"].isin(LIVE) & (claims["count_type"] == "cumulative") & claims["period_end"].notna()
    columns = ["claim_id", "source_id", "claimant_id", "metric_id", "subject", "period_end", "qualifier", "wording"]
    columns += [c for c in ("side", "date_doubt") if c in claims.columns]
    out = claims.loc[use.fillna(False), columns].copy()
    value = claims.loc[out.index, "value"].astype("float64")
    low = claims.loc[out.index, "value_low"].astype("float64")
    high = claims.loc[out.index, "value_high"].astype("float64")
    out["value"], out["low"], out["high"] = value, low, high
    # the number a figure is drawn and compared at: the one it states, else the middle of its range,
    # else its one bound
    out["figure"] = value.fillna((low + high) / 2).fillna(low).fillna(high)
    out = out[out["figure"].notna()]
    out["day"] = out["period_end"].dt.strftime("%Y-%m-%d")
    return out


def _series(claims: pd.DataFrame, names: dict[str, str], parties: set[str] | None = None) -> list[Series]:
    """One series per claimant: its figure each day, or the sum of its claims that day when it
    counts item by item (one source giving several figures a day: a model each, a category each).

    One sort, then each claimant's rows are a slice of plain arrays: pandas' per-group operations
    cost more than the work itself at a few thousand rows, and this runs once per comparison."""
    # by claim number, not text: C28425 comes after C4574
    number = claims["claim_id"].astype(str).str.extract(r"([0-9]+)$", expand=False).astype("int64")
    part = claims.assign(n=number, group=_apart(claims)).sort_values(["group", "day", "n"], kind="stable")
    claimant, day, source, ids, metric, group = (
        part[c].astype(str).to_numpy(dtype=object)
        for c in ("claimant_id", "day", "source_id", "claim_id", "metric_id", "group")
    )
    subject = part["subject"].fillna("").astype(str).to_numpy(dtype=object)
    figure = part["figure"].to_numpy(dtype="float64")
    tallied = part["tallied"].to_numpy(dtype=bool) if "tallied" in part.columns else np.zeros(len(part), dtype=bool)
    low, high, stated = (part[c].to_numpy(dtype="float64") for c in ("low", "high", "value"))
    qualifier, wording = (part[c].fillna("").astype(str).to_numpy(dtype=object) for c in ("qualifier", "wording"))
    doubt = (
        part["date_doubt"].fillna("").astype(str).to_numpy(dtype=object)
        if "date_doubt" in part.columns
        else np.full(len(part), "", dtype=object)
    )
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(part) else np.array([], dtype=int)
    out = []
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(part)], strict=True):
        days = day[start:end]
        firsts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])  # each day's first row (by claim ID)
        itemised = len(set(zip(days.tolist(), source[start:end].tolist(), strict=True))) < end - start
        items = len(set(zip(metric[start:end].tolist(), subject[start:end].tolist(), strict=True)))
        if items > 1 and tallied[start:end].all():  # running tallies: each item's latest figure stands
            itemised = True
            at_days, values, claims_ = _latest_sums(part.iloc[start:end])
            days, firsts = np.array(at_days, dtype=object), np.arange(len(at_days))
        elif itemised:  # the sum of the day's items
            values = np.add.reduceat(figure[start:end], firsts).tolist()
            claims_ = [group.tolist() for group in np.split(ids[start:end], firsts[1:])]
        else:  # its one figure a day (the first claim, by ID, where an article repeats a figure of the series)
            values = figure[start:end][firsts].tolist()
            claims_ = [[c] for c in ids[start:end][firsts].tolist()]  # already str: no copy per claim
        own = {} if itemised else _as_stated(start + firsts, stated, low, high, qualifier, wording, doubt)
        who = claimant[start]
        compilation = group[start].partition("\x00")[2]  # "" unless the claimant's figures are apart
        name = f"{who}_{re.sub(r'[^a-z0-9]+', '_', compilation.lower())}" if compilation else str(who)
        out.append(
            Series(
                key=f"{name}_sum" if itemised else name,
                compilation=compilation,
                claimant_id=str(who),
                claimant_name=str(names.get(who, who)),
                metrics=sorted(set(metric[start:end].tolist())),
                derived=itemised,
                days=days[firsts].tolist(),
                values=[float(v) for v in values],
                claims=claims_,
                party=who in (parties or set()),
                **own,
            )
        )
    return out


def _latest_sums(rows: pd.DataFrame) -> tuple[list[str], list[float], list[list[str]]]:
    """A claimant's items (a metric and subject each) read from files of many days, each item a
    running tally given on the days it changed: on each day any of them changes, the sum of every
    item's latest figure on or before it, and the claims behind those figures. (A file of one day,
    a list per version, gives every item it counts that day: its sum is that day's figures alone,
    so an item a later version drops is not carried forward.)"""
    frame = rows.assign(item=rows["metric_id"].astype(str) + "\x00" + rows["subject"].fillna("").astype(str))
    figures = frame.pivot_table(index="day", columns="item", values="figure", aggfunc="last").sort_index().ffill()
    ids = frame.pivot_table(index="day", columns="item", values="claim_id", aggfunc="last").reindex(figures.index)
    ids = ids.reindex(columns=figures.columns).ffill()
    claims = [[str(c) for c in row if isinstance(c, str)] for row in ids.to_numpy(dtype=object).tolist()]
    return figures.index.astype(str).tolist(), figures.sum(axis=1, min_count=1).astype(float).tolist(), claims


def _as_stated(
    at: np.ndarray, stated: np.ndarray, low: np.ndarray, high: np.ndarray, *texts: np.ndarray
) -> dict[str, list[Any]]:
    qualifier, wording, doubt = (t[at].tolist() for t in texts)
    return {
        "stated": stated[at].tolist(),
        "lows": low[at].tolist(),
        "highs": high[at].tolist(),
        "qualifiers": qualifier,
        "wordings": wording,
        "doubts": doubt,
    }


def ratio_text(ratio: float | None) -> str:
    """A ratio as a reader says it: "3.2 times", "0.45 times"."""
    if ratio is None or not math.isfinite(ratio):
        return ""
    return f"{ratio:.2f} times" if ratio < 10 else f"{ratio:,.1f} times"
