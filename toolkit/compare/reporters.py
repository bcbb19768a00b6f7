"""Two compilations of one claimant's reports set against each other, day by day.

The General Staff's daily figures reach the package twice: as PetroIvaniuk's dataset and as
orc-losses transcribe them. Each keeps its own claims (a figure is what a reporter wrote), and
where the two give one claimant, metric, subject and day different figures, the reader is told:
by `claims validate` (reporters-disagree), on the series pages, and in a release's table. Which of
the two the report itself supports needs the report, so nothing here decides it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LIVE = ("reported", "corroborated", "disputed")
KEYS = ["claimant_id", "metric_id", "subject", "period_end"]
COLUMNS = [
    "claimant_id", "metric_id", "subject", "day",
    "claim_id", "reporter", "value", "locator",
    "other_claim_id", "other_reporter", "other_value", "other_locator",
]  # fmt: skip


def claim_reporters(claims: pd.DataFrame, sources: pd.DataFrame) -> np.ndarray:
    """Per claim, the compilation it was read from: the upstream whose archive (seeds/<upstream>/...)
    holds its source's data file; "" for a document's figure."""
    if "data_path" not in sources.columns or "source_id" not in claims.columns:
        return np.full(len(claims), "", dtype=object)
    upstream = sources["data_path"].fillna("").astype(str).str.extract(r"^seeds/([^/]+)/", expand=False).fillna("")
    by_source = dict(zip(sources["source_id"].astype(str), upstream, strict=True))
    return claims["source_id"].astype(str).map(by_source).fillna("").to_numpy(dtype=object)


def disagreements(claims: pd.DataFrame, sources: pd.DataFrame, use: np.ndarray | None = None) -> pd.DataFrame:
    """A row per day on which two reporters of one claimant give one metric and subject different
    figures: the day's first claim (by ID, as the comparisons and charts take it), and the first
    claim of each other reporter that gives another figure. claims is the typed claims table (values as numbers,
    period_end as dates); use, the rows that may take part (typed without fault)."""
    reporter = claim_reporters(claims, sources)
    keep = (claims["period_end"].notna() & claims["status"].isin(LIVE)).fillna(False).to_numpy() & (reporter != "")
    if use is not None:
        keep &= use
    if keep.sum() < 2:
        return pd.DataFrame(columns=COLUMNS)
    sub = claims.loc[keep, ["claim_id", *KEYS]].assign(
        subject=claims.loc[keep, "subject"].fillna(""),
        reporter=reporter[keep],
        number=claims.loc[keep, "value"].fillna(claims.loc[keep, "value_low"]).fillna(claims.loc[keep, "value_high"]),
        locator=claims.loc[keep, "locator"].fillna("") if "locator" in claims.columns else "",
        n=claims.loc[keep, "claim_id"].astype(str).str.extract(r"([0-9]+)$", expand=False).astype("int64"),
    )
    grouped = sub.groupby(KEYS, sort=False)
    several = (grouped["reporter"].transform("nunique") > 1) & (grouped["number"].transform("nunique") > 1)
    found = sub[several.to_numpy()].sort_values([*KEYS, "n"])
    firsts = found.drop_duplicates([*KEYS, "reporter"])  # a claim per reporter and day, the first by ID
    base = firsts.drop_duplicates(KEYS)  # the day's first claim: the one the comparisons and charts show
    pairs = firsts.merge(base, on=KEYS, suffixes=("", "_base"))
    pairs = pairs[(pairs["reporter"] != pairs["reporter_base"]) & (pairs["number"] != pairs["number_base"])]
    out = pd.DataFrame(
        {
            "claimant_id": pairs["claimant_id"],
            "metric_id": pairs["metric_id"],
            "subject": pairs["subject"],
            "day": pairs["period_end"],
            "claim_id": pairs["claim_id_base"],
            "reporter": pairs["reporter_base"],
            "value": pairs["number_base"],
            "locator": pairs["locator_base"],
            "other_claim_id": pairs["claim_id"],
            "other_reporter": pairs["reporter"],
            "other_value": pairs["number"],
            "other_locator": pairs["locator"],
        }
    )
    return out.sort_values(["day", "claimant_id", "metric_id", "subject", "other_reporter"]).reset_index(drop=True)
