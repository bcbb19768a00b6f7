"""Time `claims diff` against daff (keyed on claim_id) and a plain pandas merge, same files, same run.

    python benchmarks/bench_diff.py --claims 1000000 [--daff-timeout 1800]

Two synthetic releases (see generate.py): the second has 1% of claims changed, 0.5% added and
0.5% removed. daff is the Python package's command line (`pip install -e '.[bench]'`); a daff run that
exceeds --daff-timeout is stopped and reported as a lower bound.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import measure
from generate import generated

PANDAS_MERGE = """
import sys, pandas as pd
a = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine="pyarrow")
b = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False, engine="pyarrow")
m = a.merge(b, on="claim_id", how="outer", suffixes=("_old", "_new"), indicator=True)
both = m[m["_merge"] == "both"]
cols = [c for c in a.columns if c != "claim_id"]
changed = sum(int((both[c + "_old"] != both[c + "_new"]).sum()) for c in cols)
print(int((m["_merge"] == "left_only").sum()), int((m["_merge"] == "right_only").sum()), changed)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "diff")
    parser.add_argument("--daff-timeout", type=float, default=1800)
    parser.add_argument("--skip-daff", action="store_true", help="daff takes minutes on a million rows")
    args = parser.parse_args()
    old, new = args.out / "old", args.out / "new"
    generated(old, args.claims)
    generated(new, args.claims, changed=0.01, added=0.005, removed=0.005)
    size = (old / "data/claims.csv").stat().st_size + (new / "data/claims.csv").stat().st_size
    bindir = Path(sys.executable).parent
    results: dict[str, tuple[float, int, int] | None] = {}
    results["claims diff"] = measure([str(bindir / "claims"), "diff", str(old), str(new), "--format", "json"], args.out)
    floor = [sys.executable, str(Path(__file__).resolve().parent / "floor_join.py"), str(old), str(new)]
    results["join floor (floor_join.py, polars)"] = measure(floor, args.out)
    results["pandas merge (claims.csv only)"] = measure(
        [sys.executable, "-c", PANDAS_MERGE, str(old / "data/claims.csv"), str(new / "data/claims.csv")], args.out
    )
    daff_cmd = [
        str(bindir / "daff"),
        "diff",
        "--id",
        "claim_id",
        "--output",
        str(args.out / "daff.csv"),
        str(old / "data/claims.csv"),
        str(new / "data/claims.csv"),
    ]
    start = time.perf_counter()
    if args.skip_daff:
        daff_cmd = ["true"]  # measured as nothing; reported as skipped
    try:
        results["daff (claims.csv only)"] = measure(["timeout", str(args.daff_timeout), *daff_cmd], args.out)
    except subprocess.CalledProcessError:
        results["daff (claims.csv only)"] = None
    daff_time = results["daff (claims.csv only)"]
    if daff_time is None or daff_time[2] == 124:
        results["daff (claims.csv only)"] = (time.perf_counter() - start, 0, 124)
    ours = results["claims diff"]
    rows = ["| tool | seconds | peak memory |", "| --- | ---: | ---: |"]
    for name, (seconds, peak, code) in results.items():
        note = " (stopped at the timeout: a lower bound)" if code == 124 else ""
        rows.append(f"| {name} | {seconds:.1f}{note} | {peak / 1e6:.0f} MB |")
    if args.skip_daff:
        del results["daff (claims.csv only)"]
        rows = [r for r in rows if not r.startswith("| daff")]
    daff_s = results["daff (claims.csv only)"][0] if not args.skip_daff else float("nan")
    floor = results["join floor (floor_join.py, polars)"]
    summary = {
        "claims": args.claims,
        "two_files_mb": round(size / 1e6, 1),
        "claims_diff_s": round(ours[0], 2),
        "daff_s": round(daff_s, 1),
        "daff_timed_out": not args.skip_daff and results["daff (claims.csv only)"][2] == 124,
        "pandas_merge_s": round(results["pandas merge (claims.csv only)"][0], 2),
        "speedup_vs_daff": round(daff_s / ours[0], 1),
        "claims_peak_over_files": round(ours[1] / size, 2),
        "join_floor_s": round(floor[0], 2),
        "claims_over_floor": round(ours[0] / floor[0], 2),
        "join_floor_peak_over_files": round(floor[1] / size, 2),
    }
    print(json.dumps(summary, indent=2))
    print("\n".join(rows))
    against = "" if args.skip_daff else f"{daff_s / ours[0]:.1f}x faster than daff and "
    print(
        f"\n{args.claims:,} claims per release ({size / 1e6:.0f} MB for the two claims files): claims diff is "
        f"{against}{ours[0] / floor[0]:.1f}x the join floor; its peak memory is {ours[1] / size:.2f}x the two files."
    )


if __name__ == "__main__":
    main()
