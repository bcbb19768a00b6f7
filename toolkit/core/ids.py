"""IDs are minted once and never reused: the next one is one past the highest ever seen."""

from __future__ import annotations

import pandas as pd


def next_number(ids: pd.Series, prefix: str) -> int:
    """The number after the highest prefix+digits in ids (S0001 -> 2), gaps never refilled."""
    numbers = ids.dropna().astype(str).str.extract(rf"^{prefix}([0-9]+)$")[0].dropna().astype(int)
    return int(numbers.max()) + 1 if len(numbers) else 1


def next_id(ids: pd.Series, prefix: str, width: int = 4) -> str:
    """The ID after the highest prefix+digits in ids (S0001 -> S0002)."""
    return f"{prefix}{next_number(ids, prefix):0{width}d}"
