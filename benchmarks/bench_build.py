"""Time `claims build --no-site` against `claims validate` on the same synthetic package.

    python benchmarks/bench_build.py --claims 200000 [--out benchmarks/out/build]

A build validates first, then writes the zip, the flat CSV, the workbook and the SQLite file, so
validation is its floor (the site, a page per claim, is measured by bench_site.py). Both run as
separate processes on the same files in the same run; wall time is the best of --repeat runs,
peak memory the child's maximum resident set size. The package is synthetic (see generate.py)
and written outside data/; the build goes to a temporary folder.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import measure_each, package_parser
from generate import generated


def main() -> None:
    args = package_parser(__doc__, 200_000, "build").parse_args()
    pkg = generated(args.out, args.claims)
    csv_bytes = sum(p.stat().st_size for p in (pkg / "data").glob("*.csv"))
    claims = str(Path(sys.executable).parent / "claims")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as dist:
        tools = {
            "claims validate": [claims, "validate", "."],
            "claims build": [claims, "build", ".", "--out", dist, "--no-site"],
        }
        results = measure_each(tools, pkg, args.repeat)
        sizes = {p.name: p.stat().st_size for p in Path(dist).glob("*/*") if p.is_file() and not p.name.startswith(".")}
    validate, build = results["claims validate"], results["claims build"]
    summary = {
        "claims": args.claims,
        "csv_mb": round(csv_bytes / 1e6, 1),
        "claims_validate_s": round(validate[0], 2),
        "claims_build_s": round(build[0], 2),
        "build_over_validate": round(build[0] / validate[0], 2),
        "build_peak_mb": round(build[1] / 1e6),
        "build_peak_over_csv": round(build[1] / csv_bytes, 2),
        "downloads_mb": {name: round(size / 1e6, 1) for name, size in sorted(sizes.items())},
    }
    print(json.dumps(summary, indent=2))
    print(
        f"\n| command | seconds | peak memory |\n| --- | ---: | ---: |\n"
        f"| claims validate | {validate[0]:.1f} | {validate[1] / 1e6:.0f} MB |\n"
        f"| claims build | {build[0]:.1f} | {build[1] / 1e6:.0f} MB |\n\n"
        f"{args.claims:,} claims, {csv_bytes / 1e6:.0f} MB of CSV: the build takes {build[0] / validate[0]:.1f}x "
        f"the time of a validation; its peak memory is {build[1] / csv_bytes:.2f}x the CSV size."
    )


if __name__ == "__main__":
    main()
