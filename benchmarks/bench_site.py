"""Time `claims site` against `claims validate` on the same synthetic package, and weigh its pages.

    python benchmarks/bench_site.py --claims 100000 [--repeat 3] [--series-share 0.99]

`claims site` validates the package, then writes a page per claim, per source and per metric
page (100 figures each) and the search files, so validation is its floor. Both run as separate
processes on the same files in the same run (validate with --no-cache, so neither reuses earlier
work); wall time is the best of --repeat runs, peak memory the child's maximum resident set size.
Writing the pages alone is timed too, as the cost of putting that many files on this disk: a loop
of os.open/os.write/os.close of the same number of files of the site's average size, then one
sync, as the site's build syncs its files before switching them in. It runs after the site (whose
file count and size it copies) and after a sync, so neither run pays for the other's writes. The
package is synthetic (see generate.py) and written outside data/; the site goes to a temporary
folder.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import measure_each, package_parser
from generate import generated


def file_floor(count: int, size: int, under: Path | None = None) -> float:
    """Seconds to create count files of size bytes in a fresh folder of the same disk (under:
    the folder to make it in, default benchmarks/out)."""
    data = b"x" * size
    under = under or Path(__file__).resolve().parent / "out"
    under.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-files-", dir=under) as folder:
        start = time.perf_counter()
        for i in range(count):
            fd = os.open(os.path.join(folder, f"{i}.html"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(fd, data)
            os.close(fd)
        os.sync()
        return time.perf_counter() - start


def main() -> None:
    parser = package_parser(__doc__, 100_000, "site")
    parser.add_argument(
        "--series-share", type=float, default=0.0, help="share of the claims in daily series (0.99: a real package)"
    )
    args = parser.parse_args()
    pkg = generated(args.out, args.claims, series_share=args.series_share)
    claims = str(Path(sys.executable).parent / "claims")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as dist:
        tools = {
            "claims validate": [claims, "validate", ".", "--no-cache"],
            "claims site": [claims, "site", ".", "--out", dist],
        }
        results = measure_each(tools, pkg, args.repeat)
        files = [p for p in Path(dist).rglob("*") if p.is_file() and not p.name.startswith(".")]
        pages = [p for p in files if p.suffix == ".html"]
        largest = max(pages, key=lambda p: p.stat().st_size)
        largest_bytes = largest.stat().st_size
        largest_name = str(largest.relative_to(Path(dist)))
        total = sum(p.stat().st_size for p in files)
    os.sync()
    floor = file_floor(len(files), total // max(len(files), 1))
    validate, site = results["claims validate"], results["claims site"]
    summary = {
        "claims": args.claims,
        "series_share": args.series_share,
        "claims_validate_s": round(validate[0], 2),
        "claims_site_s": round(site[0], 2),
        "site_over_validate": round(site[0] / validate[0], 2),
        "creating_the_files_s": round(floor, 2),
        "site_peak_mb": round(site[1] / 1e6),
        "pages": len(pages),
        "files": len(files),
        "site_mb": round(total / 1e6, 1),
        "largest_page_kb": round(largest_bytes / 1e3, 1),
        "largest_page": largest_name,
    }
    print(json.dumps(summary, indent=2))
    print(
        f"\n| command | seconds | peak memory |\n| --- | ---: | ---: |\n"
        f"| claims validate --no-cache | {validate[0]:.1f} | {validate[1] / 1e6:.0f} MB |\n"
        f"| claims site | {site[0]:.1f} | {site[1] / 1e6:.0f} MB |\n"
        f"| creating {len(files):,} files of {total // max(len(files), 1):,} bytes | {floor:.1f} | |\n\n"
        f"{args.claims:,} claims: the site takes {site[0] / validate[0]:.1f}x the time of a validation; "
        f"{len(pages):,} pages, the largest {largest_bytes / 1e3:.0f} KB ({largest_name})."
    )


if __name__ == "__main__":
    main()
