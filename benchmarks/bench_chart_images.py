"""What `--chart-images` adds to writing the site of a package, and what the images weigh.

    python benchmarks/bench_chart_images.py [PACKAGE] [--repeat 3] [--tmp DIR]

Times `claims site` on the same package with and without --chart-images, as separate processes
in the same run (best of --repeat each, into a temporary folder), and reports the number and
size of the SVG files. PACKAGE defaults to this repository's package (its real figures): the
images are for the charts a reader sees, and their cost depends on how many figures a chart
carries, which synthetic data would only guess. Nothing is written inside the package; --tmp
/dev/shm (memory-backed) keeps the disk's noise out of the difference.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_site(package: Path, images: bool, under: Path | None) -> tuple[float, dict[str, int]]:
    """Seconds for one `claims site`, and the size of each SVG it wrote."""
    with tempfile.TemporaryDirectory(prefix="bench-images-", dir=under) as folder:
        out = Path(folder)
        command = [str(Path(sys.executable).parent / "claims"), "site", str(package), "--out", str(out)]
        if images:
            command.append("--chart-images")
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - start
        return seconds, {p.name: p.stat().st_size for p in sorted(out.glob("*/site/metric/*.svg"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tmp", type=Path, default=None, help="where the sites are written")
    args = parser.parse_args()
    import vl_convert

    best: dict[bool, float] = {}
    images: dict[str, int] = {}
    for _ in range(args.repeat):
        for flag in (False, True):
            seconds, svgs = timed_site(args.package, flag, args.tmp)
            best[flag] = min(best.get(flag, seconds), seconds)
            images = svgs or images
    added = best[True] - best[False]
    sizes = list(images.values())
    print(f"vl-convert {vl_convert.__version__}, best of {args.repeat}")
    print(f"claims site:                 {best[False]:8.2f} s")
    print(f"claims site --chart-images:  {best[True]:8.2f} s  ({best[True] / best[False]:.2f}x)")
    each = added / max(len(images), 1)
    print(f"added by the images:         {added:8.2f} s for {len(images)} charts ({each:.2f} s each)")
    if sizes:
        print(f"SVG sizes: {min(sizes) / 1e3:,.0f} KB to {max(sizes) / 1e3:,.0f} KB, {sum(sizes) / 1e6:,.1f} MB in all")
        for name, size in images.items():
            print(f"  {name:32} {size / 1e3:8,.0f} KB")


if __name__ == "__main__":
    main()
