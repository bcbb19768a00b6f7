"""Lineage: each claim's history across releases, and from it the release in which it first
appeared and the one in which it last changed.

Journalists who quoted a figure from an older release need to know whether it has changed since;
the CHANGELOG says it per release, the history says it per claim (OpenSanctions' first_seen and
last_seen, with the columns that changed). It is computed from the releases the history records
(repo/release_record.py; no tags needed), each read with `git archive`, by comparing every claim's row as
written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.arrow import column_number_text
from ..read.model import LoadedPackage, Table
from ..read.policy import open_readable
from ..repo.git import is_repository
from ..repo.release_record import find_releases, proven

UNRELEASED = "unreleased"
HISTORY_COLUMNS = ["claim_id", "release", "event", "columns"]


def _text(column: pd.Series) -> pd.Series:
    """A column as text, an empty cell as "" (so two empty cells compare equal) and a number as
    written (50000 whether the schema of that release typed it integer or number)."""
    if pd.api.types.is_float_dtype(column) or pd.api.types.is_integer_dtype(column):
        return column_number_text(column).where(column.notna(), "")
    return column.astype(str).where(column.notna(), "").astype(object)


def _as_text(table: Table) -> pd.DataFrame:
    """Every column as the text it compares by, indexed by claim_id (first row of a repeated ID)."""
    frame = table.frame
    values = pd.DataFrame({c: _text(table.as_written(c)) for c in frame.columns if c != "claim_id"})
    values.index = pd.Index(frame["claim_id"].astype(str).to_numpy())
    return values[~values.index.duplicated()]


def claim_states(repo: Path, current: LoadedPackage) -> list[tuple[str, pd.DataFrame]]:
    """The claims of each release of the repository, oldest first, then the working tree as
    "unreleased" unless it is exactly the newest release."""
    now = _as_text(current.tables["claims"])
    states: list[tuple[str, pd.DataFrame]] = []
    for release in map(proven, find_releases(repo)):
        with open_readable(release.commit, f"release {release.version}", repo) as old:
            if "claims" in old.tables:
                states.append((release.version, _as_text(old.tables["claims"])))
    version = str(current.descriptor.get("version", ""))
    if not (states and states[-1][0] == version and states[-1][1].equals(now)):
        states.append((UNRELEASED, now))
    return states


def claim_history(states: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per claim and release in which it was added or changed: claim_id, release, event
    ("added" or "changed") and the columns that changed, joined by ", "."""
    parts: list[pd.DataFrame] = []
    previous: pd.DataFrame | None = None
    for label, rows in states:
        new = rows.index if previous is None else rows.index.difference(previous.index)
        parts.append(pd.DataFrame({"claim_id": new, "release": label, "event": "added", "columns": ""}))
        if previous is not None:
            common = rows.index.intersection(previous.index)
            shared = [c for c in rows.columns if c in previous.columns]
            before, after = previous.loc[common, shared], rows.loc[common, shared]
            differs = before.to_numpy() != after.to_numpy()
            # a column added or dropped between releases changes every row
            extra = sorted(set(rows.columns) ^ set(previous.columns))
            names = np.array([f"{c}, " for c in shared], dtype=object)
            text = pd.Series((differs * names).sum(axis=1), index=common, dtype=object).str.rstrip(", ")
            if extra:
                text = text.where(text == "", text + ", ").add(", ".join(extra))
            hit = text != ""
            parts.append(
                pd.DataFrame(
                    {"claim_id": common[hit.to_numpy()], "release": label, "event": "changed", "columns": text[hit]}
                )
            )
        previous = rows
    history = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=HISTORY_COLUMNS)
    return history[HISTORY_COLUMNS].reset_index(drop=True)


def lineage_from_history(history: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """claim_id, first_release, last_changed_release for the claims of ids."""
    grouped = history.groupby("claim_id", sort=False)["release"]
    first, last = grouped.first(), grouped.last()
    return pd.DataFrame(
        {
            "claim_id": ids.to_numpy(),
            "first_release": ids.map(first).astype(object).to_numpy(),
            "last_changed_release": ids.map(last).astype(object).to_numpy(),
        }
    )


def release_history(repo: Path, current: LoadedPackage) -> tuple[pd.DataFrame, str]:
    """claim_history of the releases and the working tree, and the label of the working tree's
    state (its version when it is exactly the newest release, else "unreleased"). Outside a git
    repository there is no history: an empty table."""
    if not is_repository(repo):
        return pd.DataFrame(columns=HISTORY_COLUMNS), UNRELEASED
    states = claim_states(repo, current)
    return claim_history(states), states[-1][0]


def claim_lineage(repo: Path, current: LoadedPackage, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """claim_id, first_release, last_changed_release; empty releases outside a git repository.

    The working tree counts as "unreleased" unless it is exactly the newest release.
    """
    ids = current.tables["claims"].frame["claim_id"]
    if history is None:
        history = release_history(repo, current)[0]
    if history.empty:
        return pd.DataFrame({"claim_id": ids.to_numpy(), "first_release": None, "last_changed_release": None})
    return lineage_from_history(history, ids)
