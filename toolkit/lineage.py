"""Lineage: the release in which each claim first appeared and the one in which it last changed.

Journalists who quoted a figure from an older release need to know whether it has changed since;
the CHANGELOG says it per release, these two columns say it per claim (OpenSanctions' first_seen
and last_seen). They are computed from the releases the history records (releases.py; no tags
needed), each read with `git archive`, by comparing a fingerprint of every claim's row.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from .gate import open_package
from .git import is_repository
from .package import LoadedPackage, Table
from .releases import find_releases


def _fingerprints(table: Table) -> pd.Series:
    """One 64-bit hash per claim of all its values as text, indexed by claim_id."""
    frame = table.frame
    values = pd.DataFrame(
        {c: table.as_written(c).astype(str) for c in frame.columns if c != "claim_id"}, index=frame.index
    )
    hashes = pd.util.hash_pandas_object(values, index=False)
    return pd.Series(hashes.to_numpy(), index=frame["claim_id"].to_numpy())


def claim_lineage(repo: Path, current: LoadedPackage) -> pd.DataFrame:
    """claim_id, first_release, last_changed_release; empty releases outside a git repository.

    The working tree counts as "unreleased" unless it is exactly the newest release.
    """
    claims = current.tables["claims"]
    if not is_repository(repo):
        ids = claims.frame["claim_id"].to_numpy()
        return pd.DataFrame({"claim_id": ids, "first_release": None, "last_changed_release": None})
    states: list[tuple[str, pd.Series]] = []
    for release in find_releases(repo):
        with ExitStack() as stack:
            old = open_package(release.commit, "readable", f"release {release.version}", stack, repo)
        if "claims" in old.tables:
            states.append((release.version, _fingerprints(old.tables["claims"])))
    version = str(current.descriptor.get("version", ""))
    now = _fingerprints(claims)
    if not (states and states[-1][0] == version and states[-1][1].equals(now)):
        states.append(("unreleased", now))
    first = pd.Series(dtype=object)
    last = pd.Series(dtype=object)
    previous: pd.Series | None = None
    for label, prints in states:
        prints = prints[~prints.index.duplicated()]
        if previous is None:
            changed = prints.index
        else:
            common = prints.index.intersection(previous.index)
            same = prints[common].to_numpy() == previous[common].to_numpy()
            changed = prints.index.difference(previous.index).append(common[~same])
        first = first.combine_first(pd.Series(label, index=prints.index, dtype=object))
        last = pd.Series(label, index=changed, dtype=object).combine_first(last)
        previous = prints
    ids = claims.frame["claim_id"]
    return pd.DataFrame(
        {
            "claim_id": ids.to_numpy(),
            "first_release": ids.map(first).to_numpy(),
            "last_changed_release": ids.map(last).to_numpy(),
        }
    )
