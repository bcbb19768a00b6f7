"""How current each tracked series is: the last day its figures run to, the snapshot they come
from, and whether that is older than its mapping allows (`stale_after_days`), which claims check
says as a warning: a series nobody updates goes quietly out of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..read.model import LoadedPackage
from .mapping import MAPPINGS, read_mapping


@dataclass(frozen=True, kw_only=True)
class SeriesState:
    name: str
    last_day: dt.date | None  # the last day its claims are for; None when none is imported yet
    commit: str  # the newest snapshot's commit ("" when none)
    limit: int  # stale_after_days of its mapping (0: no limit)
    age: int | None  # days from last_day to today

    @property
    def stale(self) -> bool:
        return bool(self.limit) and (self.age is None or self.age > self.limit)

    def warning(self) -> str:
        if self.last_day is None:
            return f"the series {self.name} has a mapping but no imported snapshot: claims import {self.name} FOLDER"
        return (
            f"the series {self.name} runs to {self.last_day} (snapshot {self.commit[:12]}), {self.age} days ago; "
            f"its mapping asks for an update within {self.limit} days: claims import {self.name} FOLDER"
        )


def series_states(package: LoadedPackage, today: dt.date) -> list[SeriesState]:
    """The state of every series the package has a mapping for (mappings/*.toml)."""
    folder = package.root / MAPPINGS
    if not folder.is_dir():
        return []
    claims, sources = package.tables.get("claims"), package.tables.get("sources")
    out = []
    for path in sorted(Path(folder).glob("*.toml")):
        mapping = read_mapping(path)
        last, commit = None, ""
        if claims is not None and sources is not None and "data_path" in sources.frame.columns:
            s = sources.frame
            mine = s[s["data_path"].fillna("").str.startswith(f"{mapping.archive}/")]
            days = claims.frame.loc[claims.frame["source_id"].isin(mine["source_id"]), "period_end"].dropna()
            if len(days):
                at = days.idxmax()
                last = days[at].date()
                source = claims.frame.at[at, "source_id"]
                commit = str(s.loc[s["source_id"] == source, "commit"].iloc[0])
        out.append(
            SeriesState(
                name=mapping.name,
                last_day=last,
                commit=commit,
                limit=mapping.stale_after_days,
                age=(today - last).days if last else None,
            )
        )
    return out
