"""Claimants side by side: each claimant's running totals of one thing, aligned day by day.

A comparison is anchored on a metric that other metrics name in `compares_with` (tank_losses,
which Oryx's tank counts compare with), or on a metric several claimants report themselves
(killed_or_wounded). Its series are one per claimant and metric: the claimant's dated running
totals (current claims only). Where a claimant counts the thing item by item, on several metrics
or models a day (Oryx's per-model counts over its categories of armoured vehicles), its series is
the sum of those claims on each day: a figure the package computes, never a claim, and named as
such wherever it is shown.

Days are aligned "as of": on a day, each claimant's figure is its latest on or before that day,
with the day it is for. The pairs set each series beside the main one (the series with the most
days) on the days the other has a figure. A source that counts several subjects under the anchor
metric (the killed of each side) takes part with its claims of the main subject only. Nothing
here is stored; the site and the downloads compute it from the claims of the release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..read.model import LoadedPackage

LIVE = ("reported", "corroborated", "disputed")
WARRING = ("RU", "UA")  # a claimant of either country is a party to the war, whose figures the reader weighs so


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

    @property
    def label(self) -> str:
        if self.derived:
            return f"{self.claimant_name}: sum computed by war-claims"
        return self.claimant_name

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
    # its CSV once made (compare/comparison_table.comparison_csv): the release and the site publish the same bytes
    csv: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def main(self) -> Series:
        return self.series[0]

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
        """For each other series, the pair at its latest day the main series also has a figure by."""
        out = []
        for other in self.series[1:]:
            paired = [p for p in self.pairs(other) if p.ratio is not None]
            if paired:
                out.append((other, paired[-1]))
        return out


def comparisons(package: LoadedPackage) -> list[Comparison]:
    """Every comparison the package's metrics and claims make, by anchor metric ID."""
    tables = package.tables
    if "claims" not in tables or "metrics" not in tables:
        return []
    metrics = tables["metrics"].frame
    claims = _dated_totals(tables["claims"].frame)
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
            parts = _one_side(parts)
            if _claimants(parts) < 2:
                continue
        elif anchor.metric_id in several:
            parts[0] = _one_subject(parts[0])
            if _claimants(parts) < 2:
                continue
        series = _series(pd.concat(parts), names, parties)
        if len(series) >= 2:
            series.sort(key=lambda s: (-len(s.days), s.key))  # the main series: the most days
            out.append(
                Comparison(
                    metric_id=anchor.metric_id,
                    label=str(anchor.label),
                    unit=str(anchor.unit),
                    members=members,
                    series=series,
                )
            )
    return out


def _claimants(parts: list[pd.DataFrame]) -> int:
    return len({c for part in parts for c in part["claimant_id"].unique()})


def _one_side(parts: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Every member's claims of the anchor's main side (the side most of its claims count): a
    comparison sets the figures of one side's losses beside each other, never the other side's."""
    sides = parts[0]["side"].fillna("")
    counts = sides.value_counts()
    main = min(counts.index, key=lambda side: (-counts[side], side))
    return [part[part["side"].fillna("") == main] for part in parts]


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
    columns = ["claim_id", "source_id", "claimant_id", "metric_id", "subject", "period_end"]
    columns += [c for c in ("side",) if c in claims.columns]
    out = claims.loc[use.fillna(False), columns].copy()
    number = claims.loc[out.index, "value"].astype("float64")
    number = number.fillna(claims.loc[out.index, "value_low"].astype("float64"))
    out["figure"] = number.fillna(claims.loc[out.index, "value_high"].astype("float64"))
    out = out[out["figure"].notna()]
    out["day"] = out["period_end"].dt.strftime("%Y-%m-%d")
    return out


def _series(claims: pd.DataFrame, names: dict[str, str], parties: set[str] | None = None) -> list[Series]:
    """One series per claimant: its figure each day, or the sum of its claims that day when it
    counts item by item (one source giving several figures a day: a model each, a category each).

    One sort, then each claimant's rows are a slice of plain arrays: pandas' per-group operations
    cost more than the work itself at a few thousand rows, and this runs once per comparison."""
    part = claims.sort_values(["claimant_id", "day", "claim_id"], kind="stable")
    claimant, day, source, ids, metric = (
        part[c].astype(str).to_numpy(dtype=object) for c in ("claimant_id", "day", "source_id", "claim_id", "metric_id")
    )
    figure = part["figure"].to_numpy(dtype="float64")
    starts = np.flatnonzero(np.r_[True, claimant[1:] != claimant[:-1]]) if len(part) else np.array([], dtype=int)
    out = []
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(part)], strict=True):
        days = day[start:end]
        firsts = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])  # each day's first row (by claim ID)
        itemised = len(set(zip(days.tolist(), source[start:end].tolist(), strict=True))) < end - start
        if itemised:  # the sum of the day's items
            values = np.add.reduceat(figure[start:end], firsts).tolist()
            claims_ = [group.tolist() for group in np.split(ids[start:end], firsts[1:])]
        else:  # its one figure a day (the first claim, by ID, where an article repeats a figure of the series)
            values = figure[start:end][firsts].tolist()
            claims_ = [[c] for c in ids[start:end][firsts].tolist()]  # already str: no copy per claim
        who = claimant[start]
        out.append(
            Series(
                key=f"{who}_sum" if itemised else str(who),
                claimant_id=str(who),
                claimant_name=str(names.get(who, who)),
                metrics=sorted(set(metric[start:end].tolist())),
                derived=itemised,
                days=days[firsts].tolist(),
                values=[float(v) for v in values],
                claims=claims_,
                party=who in (parties or set()),
            )
        )
    return out


def ratio_text(ratio: float | None) -> str:
    """A ratio as a reader says it: "3.2 times", "0.45 times"."""
    if ratio is None or not math.isfinite(ratio):
        return ""
    return f"{ratio:.2f} times" if ratio < 10 else f"{ratio:,.1f} times"
