"""The diff floor: a plain full join of two claims files on claim_id, comparing every column as text.

    python benchmarks/floor_join.py OLD_PACKAGE NEW_PACKAGE

polars, every column read as text, no typing, no classification, no rendering: what the
simplest correct row-and-cell comparison costs, imports included, in its own process.
bench_diff.py runs it beside `claims diff`.
"""

from __future__ import annotations

import sys
import time

start = time.perf_counter()
import polars as pl  # noqa: E402  (the import is part of the floor)


def main(old: str, new: str) -> None:
    a = pl.read_csv(f"{old}/data/claims.csv", infer_schema=False)
    b = pl.read_csv(f"{new}/data/claims.csv", infer_schema=False)
    joined = a.join(b, on="claim_id", how="full", suffix="_new", coalesce=True)
    changed = pl.lit(False)
    for column in a.columns:
        if column != "claim_id":
            changed = changed | joined[column].ne_missing(joined[f"{column}_new"])
    counts = joined.select(changed.sum().alias("changed"))
    print(f"{joined.height} keys, {counts['changed'][0]} differ, in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
