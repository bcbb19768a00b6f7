"""Time `claims validate` against `frictionless validate` on the same synthetic package.

    python benchmarks/bench_validate.py --claims 1000000 [--out benchmarks/out/validate]

Both tools run as separate processes on the same files in the same run; wall time is the best of
--repeat runs, peak memory is the child's maximum resident set size. The generated package is
synthetic (see generate.py) and written outside data/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generated

_MEASURE = (
    "import resource, subprocess, sys, time;"
    "t = time.perf_counter();"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, p.returncode)"
)


def measure(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(seconds, peak bytes, exit code) of cmd, run in its own measuring process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, capture_output=True, text=True, check=True)
    seconds, peak, code = out.stdout.split()
    return float(seconds), int(peak), int(code)


def package_parser(doc: str | None, claims: int, out: str) -> argparse.ArgumentParser:
    """The options every package benchmark takes: --claims, --out (its synthetic package, under
    benchmarks/out/ by default) and --repeat; a script adds its own."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=claims)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / out)
    parser.add_argument("--repeat", type=int, default=1)
    return parser


def measure_each(tools: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, tuple[float, int, int]]:
    """The best of repeat runs of each command, in order, in the same run; a warning on stderr for
    a command that exited non-zero (its figures would not be a full run)."""
    results = {}
    for name, cmd in tools.items():
        results[name] = min(measure(cmd, cwd) for _ in range(repeat))
        if results[name][2] != 0:
            print(f"warning: {name} exited {results[name][2]}", file=sys.stderr)
    return results


def main() -> None:
    args = package_parser(__doc__, 1_000_000, "validate").parse_args()
    pkg = args.out
    generated(pkg, args.claims)
    csv_bytes = sum(p.stat().st_size for p in (pkg / "data").glob("*.csv"))
    bindir = Path(sys.executable).parent
    tools = {
        "claims validate": [str(bindir / "claims"), "validate", "."],
        "frictionless validate": [str(bindir / "frictionless"), "validate", "datapackage.json"],
        "reading floor": [sys.executable, str(Path(__file__).resolve().parent / "floor_read.py"), "."],
    }
    results = measure_each(tools, pkg, args.repeat)
    ours, theirs, floor = results["claims validate"], results["frictionless validate"], results["reading floor"]
    summary = {
        "claims": args.claims,
        "csv_mb": round(csv_bytes / 1e6, 1),
        "claims_validate_s": round(ours[0], 2),
        "frictionless_validate_s": round(theirs[0], 2),
        "speedup": round(theirs[0] / ours[0], 1),
        "claims_peak_mb": round(ours[1] / 1e6),
        "frictionless_peak_mb": round(theirs[1] / 1e6),
        "claims_peak_over_csv": round(ours[1] / csv_bytes, 2),
        "reading_floor_s": round(floor[0], 2),
        "claims_over_floor": round(ours[0] / floor[0], 2),
    }
    print(json.dumps(summary, indent=2))
    print(
        f"\n| tool | seconds | peak memory |\n| --- | ---: | ---: |\n"
        f"| claims validate | {ours[0]:.1f} | {ours[1] / 1e6:.0f} MB |\n"
        f"| frictionless validate | {theirs[0]:.1f} | {theirs[1] / 1e6:.0f} MB |\n"
        f"| reading floor (floor_read.py) | {floor[0]:.1f} | {floor[1] / 1e6:.0f} MB |\n\n"
        f"{args.claims:,} claims, {csv_bytes / 1e6:.0f} MB of CSV: claims validate is "
        f"{theirs[0] / ours[0]:.1f}x faster; its peak memory is {ours[1] / csv_bytes:.2f}x the CSV size."
    )


if __name__ == "__main__":
    main()
