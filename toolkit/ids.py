"""IDs are minted once and never reused: the next one is one past the highest ever seen."""

from __future__ import annotations

import pandas as pd


def next_id(ids: pd.Series, prefix: str, width: int = 4) -> str:
    """The ID after the highest prefix+digits in ids (S0001 -> S0002), gaps never refilled."""
    numbers = ids.dropna().astype(str).str.extract(rf"^{prefix}([0-9]+)$")[0].dropna().astype(int)
    return f"{prefix}{(int(numbers.max()) + 1 if len(numbers) else 1):0{width}d}"


def id_number(claim_id: str) -> int:
    return int(claim_id[1:])
