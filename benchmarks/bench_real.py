"""The real package after the import of the General Staff series, measured against a validation.

    python benchmarks/bench_real.py [--repeat 5] [--snapshot FOLDER] [--tmp DIR]

FOLDER defaults to the newer snapshot in ../shared/upstream/ua-general-staff-losses/.

- `claims validate --no-cache` against `frictionless validate datapackage.json` on this
  repository's package, alternating the two, median of --repeat runs each;
- `claims import ua-general-staff SNAPSHOT` of the newer snapshot over the package as it was after
  the import of the older one (a worktree of that commit), median of 3 runs, each in a fresh copy;
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


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout.strip()


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
            older = git("log", "--format=%H", "-1", f"--grep={OLDER_IMPORT}")
            base = work / "older"
            git("worktree", "add", "--detach", str(base), older)
            copy = work / "import"
            try:

                def fresh() -> None:
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(".git"))

                cmd = [claims, "import", "ua-general-staff", str(args.snapshot.resolve()), "--commit", NEWER]
                seconds, peak = median_of(cmd, copy, 3, fresh)
                results["import_newer_over_older_s"] = round(seconds, 2)
                results["import_over_validate"] = round(seconds / validate_s, 2)
            finally:
                git("worktree", "remove", "--force", str(base))
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
