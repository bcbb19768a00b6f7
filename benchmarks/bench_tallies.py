"""Importing Oryx's daily tallies of both sides (both versions, one command) against a validation.

    python benchmarks/bench_tallies.py [--repeat 3] [--folder DIR] [--tmp DIR]

DIR defaults to ../shared/upstream/oryx-daily-scarnecchia/ (the two archived versions). Each run
copies this repository's package (its tracked files) into a temporary folder and imports both
versions there with `claims import oryx-daily OLDER NEWER`; the yardstick is `claims validate
--no-cache` of the same copy before the import and after it, in the same run. Medians of --repeat
runs. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VERSIONS = [  # folder, upstream commit, commit date (../shared/upstream/README.md)
    ("2024-10-08-4c0224a09a4d", "4c0224a09a4d5e2c844386a125e76166fce13c6a", "2024-10-08"),
    ("2025-07-19-a8624b478166", "a8624b4781666b73440fba89824133cb41531a72", "2025-07-19"),
]


def _copy(dest: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, files.decode().split("\0")):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, target)
    return dest


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=ROOT.parent / "shared" / "upstream" / "oryx-daily-scarnecchia")
    parser.add_argument("--tmp", type=Path, default=None)
    args = parser.parse_args()
    missing = [f for f, _, _ in VERSIONS if not (args.folder / f).is_dir()]
    if missing:
        raise SystemExit(f"{args.folder}: no folder {missing[0]} (give --folder)")
    claims = str(BIN / "claims")
    command = [claims, "import", "oryx-daily", *(str(args.folder / f) for f, _, _ in VERSIONS)]
    for _, commit, day in VERSIONS:
        command += ["--commit", commit, "--commit-date", day]
    before, imports, after = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(dir=args.tmp) as work:
            pkg = _copy(Path(work) / "pkg")
            before.append(_timed([claims, "validate", "--no-cache"], pkg))
            imports.append(_timed(command, pkg))
            after.append(_timed([claims, "validate", "--no-cache"], pkg))
            with (pkg / "data" / "claims.csv").open(encoding="utf-8", newline="") as handle:
                claims_rows = sum(1 for _ in csv.reader(handle)) - 1
    result = {
        "claims_after": claims_rows,
        "validate_before_s": round(statistics.median(before), 2),
        "import_s": round(statistics.median(imports), 2),
        "validate_after_s": round(statistics.median(after), 2),
    }
    result["import_over_validate_after"] = round(result["import_s"] / result["validate_after_s"], 2)
    result["import_over_validate_before"] = round(result["import_s"] / result["validate_before_s"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
