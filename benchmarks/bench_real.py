"""The real package after the import of the General Staff series, measured against a validation.

    python benchmarks/bench_real.py [--repeat 5] [--snapshot FOLDER] [--tmp DIR]

FOLDER defaults to the newer snapshot in ../shared/upstream/ua-general-staff-losses/.

- `claims validate --no-cache` against `frictionless validate datapackage.json` on this
  repository's package, alternating the two, median of --repeat runs each;
- `claims import ua-general-staff SNAPSHOT` of the newer snapshot over the package as it was after
  the import of the older one (a worktree of that commit), median of 3 runs, each in a fresh copy;
- `claims import oryx` of the six Oryx versions in one command over the package as it was before
  their import (ORYX below; --oryx FOLDER, default ../shared/upstream/oryx-via-ua-dataset/),
  median of 3 runs, each in a fresh copy;
- what the comparison view adds to a build: the build (in one process, imports left out) with
  and without the comparisons (and so without their pages, files and the home page's gaps) and
  the claimant pages, alternating, median of --repeat each, for the default build (two
  processes) and for --serial;
- `claims build` (downloads and site) of this repository, median of 3 runs, and the time this
  disk takes to create and sync as many files of the site's average size (bench_site.file_floor);

each with the median validation of the same run as its yardstick. Nothing is written into the
repository; the worktrees and outputs live in a temporary folder (under --tmp: /dev/shm, a
memory-backed folder, takes the disk out of the build's time).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import file_floor
from bench_validate import measure

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NEWER = "37655f8bbdd6806d2f94416253116b02a750c97b"
OLDER_IMPORT = "Import the General Staff series, snapshot 88d17ee7c90e"
ORYX_IMPORT = "Oryx as a claimant: the six versions"  # the commit that imported them
# added in that commit beside the import's own output, so restored before the import
ORYX_ADDED_BY_HAND = ["data/metrics.csv", "data/claimants.csv", "mappings/oryx.toml"]
ORYX = [  # folder, upstream commit, commit date (../shared/upstream/README.md)
    ("2022-09-23-acb70f55cdca", "acb70f55cdcac951a09002f0a54688163dc8c95d", "2022-09-23"),
    ("2022-09-24-8483a4b0e94d", "8483a4b0e94da8b31fa6a2c4510e8416e0d45823", "2022-09-24"),
    ("2022-09-26-99f13fc967a6", "99f13fc967a693750eb22d09feb00005efddd437", "2022-09-26"),
    ("2022-10-10-7b31c5754523", "7b31c5754523dded577883f62f2bd469923c744c", "2022-10-10"),
    ("2022-11-27-c8f4995bba6e", "c8f4995bba6e6989f6c6dd9c57c71b589b678f45", "2022-11-27"),
    ("2023-02-05-73039d5053db", "73039d5053dbd68ac292321fdaa670a28f19d3a2", "2023-02-05"),
]

_BUILD_WITH_OR_WITHOUT_COMPARISONS = """
import shutil, sys, time
from pathlib import Path
import toolkit.publish.build as build
import toolkit.website.pages as pages
if sys.argv[2] == "without":  # no comparison: no comparison pages, files or gaps, no claimant pages
    build.comparisons = lambda package: []
    pages.Site.claimant_pages = lambda self: None
out = Path(sys.argv[1])
shutil.rmtree(out, ignore_errors=True)
t = time.perf_counter()
build.build_dist(Path("."), out, parallel=sys.argv[3] == "parallel")
print(time.perf_counter() - t)
"""


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


def in_worktree(work: Path, name: str, commit: str) -> Path:
    folder = work / name
    git("worktree", "add", "--detach", str(folder), commit)
    return folder


def fresh_copy(base: Path, copy: Path):
    def fresh() -> None:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".git"))

    return fresh


def oryx_import(claims: str, upstream: Path, work: Path) -> float:
    """Median of 3: the six Oryx versions imported in one command over the package as it was
    before their import, with the metrics, claimant and mapping that commit added beside it."""
    commit = git("log", "--format=%H", "-1", f"--grep={ORYX_IMPORT}")
    base = in_worktree(work, "before-oryx", f"{commit}^")
    try:
        subprocess.run(["git", "checkout", commit, "--", *ORYX_ADDED_BY_HAND], cwd=base, check=True)
        cmd = [claims, "import", "oryx", *(str(upstream / folder) for folder, _, _ in ORYX)]
        for _, full, _ in ORYX:
            cmd += ["--commit", full]
        for _, _, day in ORYX:
            cmd += ["--commit-date", day]
        seconds, _peak = median_of(cmd, work / "oryx", 3, fresh_copy(base, work / "oryx"))
        return seconds
    finally:
        git("worktree", "remove", "--force", str(base))


def comparison_added(work: Path, repeat: int, mode: str) -> tuple[float, float]:
    """(median seconds of a build, of the same build without the comparison view): each a build in
    its own process, imports left out, the two alternating. mode: "parallel" (the default build,
    a second process for the history and downloads) or "serial" (--serial, or one processor)."""
    times: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(repeat):
        for how, seconds in times.items():
            cmd = [sys.executable, "-c", _BUILD_WITH_OR_WITHOUT_COMPARISONS, str(work / "added"), how, mode]
            seconds.append(float(subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout))
    return statistics.median(times["with"]), statistics.median(times["without"])


def median_of(cmd: list[str], cwd: Path, repeat: int, prepare=None) -> tuple[float, int]:
    """(median seconds, highest peak bytes) of repeat runs; prepare() runs before each, unmeasured."""
    times, peaks = [], []
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        seconds, peak, code = measure(cmd, cwd)
        if code != 0:
            print(f"warning: {' '.join(cmd)} exited {code}", file=sys.stderr)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--snapshot", type=Path, default=ROOT.parent / "shared/upstream/ua-general-staff-losses/2026-08-08-37655f8bbdd6"
    )
    parser.add_argument("--oryx", type=Path, default=ROOT.parent / "shared/upstream/oryx-via-ua-dataset")
    parser.add_argument("--tmp", type=Path, default=None, help="where the temporary outputs go")
    args = parser.parse_args()
    claims, frictionless = str(BIN / "claims"), str(BIN / "frictionless")
    ours, theirs = [], []
    for _ in range(args.repeat):  # alternating, so both see the same machine
        ours.append(measure([claims, "validate", "--no-cache", "."], ROOT)[0])
        theirs.append(measure([frictionless, "validate", "datapackage.json"], ROOT)[0])
    validate_s, frictionless_s = statistics.median(ours), statistics.median(theirs)
    results = {
        "claims_validate_s": round(validate_s, 2),
        "frictionless_validate_s": round(frictionless_s, 2),
        "validate_over_frictionless": round(validate_s / frictionless_s, 2),
    }
    with tempfile.TemporaryDirectory(prefix="claims-bench-real-", dir=args.tmp) as tmp:
        work = Path(tmp)
        if args.snapshot.is_dir():
            base = in_worktree(work, "older", git("log", "--format=%H", "-1", f"--grep={OLDER_IMPORT}"))
            try:
                cmd = [claims, "import", "ua-general-staff", str(args.snapshot.resolve()), "--commit", NEWER]
                seconds, _peak = median_of(cmd, work / "import", 3, fresh_copy(base, work / "import"))
                results["import_newer_over_older_s"] = round(seconds, 2)
                results["import_over_validate"] = round(seconds / validate_s, 2)
            finally:
                git("worktree", "remove", "--force", str(base))
        if args.oryx.is_dir():
            seconds = oryx_import(claims, args.oryx.resolve(), work)
            results["oryx_import_s"] = round(seconds, 2)
            results["oryx_import_over_validate"] = round(seconds / validate_s, 2)
        for mode in ("parallel", "serial"):
            with_view, without = comparison_added(work, args.repeat, mode)
            results[f"build_in_process_{mode}_s"] = round(with_view, 2)
            results[f"build_without_comparisons_{mode}_s"] = round(without, 2)
            results[f"comparison_view_adds_{mode}"] = round(with_view / without - 1, 3)
        out = work / "dist"
        seconds, peak = median_of([claims, "build", ".", "--out", str(out)], ROOT, 3, lambda: shutil.rmtree(out, True))
        results["build_s"] = round(seconds, 2)
        results["build_over_validate"] = round(seconds / validate_s, 2)
        results["build_peak_mb"] = round(peak / 1e6)
        site = next(out.glob("*/site"))
        results["site_pages"] = sum(1 for _ in site.rglob("*.html"))
        files = [p for p in site.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        results["site_files"] = len(files)
        results["site_mb"] = round(size / 1e6)
        # the disk's share: the same number of files of the same average size, written and synced
        results["file_floor_s"] = round(file_floor(len(files), size // len(files), work), 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
