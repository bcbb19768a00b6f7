"""`claims update` of the General Staff series from its git history, against `claims import` of a
folder of the same commit, on the real package as it was before that commit's import.

    python benchmarks/bench_update.py [--bundle FILE] [--folder FOLDER] [--repeat 3]

FILE defaults to ../shared/upstream/git/2022-Ukraine-Russia-War-Dataset.bundle (the compiler's
whole history), FOLDER to the files of its commit 37655f8bbdd6 in
../shared/upstream/ua-general-staff-losses/. The package is this repository's as it was before
the import of that commit (its history holds it), with today's mapping. Measured, each in fresh
copies, the same day (both record it as the day retrieved):

- identical: the update `--to 37655f8bbdd6` (300 commits after the one the package had) and the
  folder import give data/ and seeds/ byte for byte the same;
- the update from a fresh mirror (the bundle fetched), from the mirror already fetched, and the
  folder import, median of --repeat each;
- a one-commit update (the package brought to the commit before, then to 37655f8bbdd6) against
  `claims validate --no-cache` of the same package;
- what archiving every commit would take: the bytes of the mapped files summed over every commit
  of the compiler's history that changed one, against what the update added to seeds/.

Nothing is written into the repository; everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = "37655f8bbdd6806d2f94416253116b02a750c97b"
TARGET_DAY = "2026-08-08"
IMPORTED = "Import the General Staff series, snapshot 37655f8bbdd6"  # this repository's commit of it
SHARED = ROOT.parent / "shared" / "upstream"
MAPPED = [
    "data/russia_losses_personnel.json",
    "data/russia_losses_equipment.json",
    "data/russia_losses_equipment_correction.json",
]


def sh(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True).stdout


def timed(*args: str, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return took


def package_before(into: Path) -> Path:
    """This repository's package as it was before the import of TARGET, with today's mapping."""
    commit = sh("git", "log", "--format=%H", "--fixed-strings", f"--grep={IMPORTED}", cwd=ROOT).split()
    if not commit:
        raise SystemExit(f"no commit '{IMPORTED}...' in this repository's history (a shallow clone?)")
    archive = subprocess.run(["git", "archive", f"{commit[-1]}~1"], cwd=ROOT, check=True, capture_output=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    shutil.copyfile(ROOT / "mappings" / "ua-general-staff.toml", into / "mappings" / "ua-general-staff.toml")
    return into


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for sub in ("data", "seeds")
        for p in sorted((folder / sub).rglob("*"))
        if p.is_file()
    }


def replay_bytes(bundle: Path, work: Path) -> tuple[int, int]:
    """(commits that changed a mapped file, the bytes of the mapped files summed over them)."""
    clone = work / "history.git"
    sh("git", "clone", "-q", "--bare", str(bundle), str(clone))
    commits = sh("git", "-C", str(clone), "log", "--format=%H", "HEAD", "--", *MAPPED).split()
    batch = "".join(f"{c}:{p}\n" for c in commits for p in MAPPED)
    sizes = subprocess.run(
        ["git", "-C", str(clone), "cat-file", "--batch-check=%(objectsize)"],
        input=batch,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return len(commits), sum(int(s) for s in sizes if s.isdigit())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bundle", type=Path, default=SHARED / "git" / "2022-Ukraine-Russia-War-Dataset.bundle")
    folder = SHARED / "ua-general-staff-losses" / f"{TARGET_DAY}-{TARGET[:12]}"
    parser.add_argument("--folder", type=Path, default=folder)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    claims = str(BIN / "claims")
    today = time.strftime("%Y-%m-%d")
    with tempfile.TemporaryDirectory(prefix="bench-update-") as tmp:
        work = Path(tmp)
        before = package_before(work / "before")
        cold, warm, by_folders = [], [], []
        for i in range(args.repeat):
            by_update = work / f"update-{i}"
            shutil.copytree(before, by_update)
            cold.append(timed(claims, "update", "ua-general-staff", "--from", str(args.bundle), "--to", TARGET,
                              "-p", str(by_update)))  # fmt: skip
            again = work / f"again-{i}"
            shutil.copytree(before, again)
            shutil.copytree(by_update / ".claims" / "upstream", again / ".claims" / "upstream")
            warm.append(timed(claims, "update", "ua-general-staff", "--from", str(args.bundle), "--to", TARGET,
                              "-p", str(again)))  # fmt: skip
            by_folder = work / f"folder-{i}"
            shutil.copytree(before, by_folder)
            by_folders.append(timed(claims, "import", "ua-general-staff", str(args.folder), "--commit", TARGET,
                                "--commit-date", TARGET_DAY, "--retrieved", today, "-p", str(by_folder)))  # fmt: skip
            same = files(by_update) == files(by_folder) == files(again)
            if not same:
                raise SystemExit(f"run {i}: the update and the folder import differ in data/ or seeds/")
        seeds_before = sum(len(v) for k, v in files(before).items() if k.startswith("seeds/"))
        seeds_after = sum(len(v) for k, v in files(work / "update-0").items() if k.startswith("seeds/"))

        mirror = work / "update-0" / ".claims" / "upstream" / "ua-general-staff.git"
        parent = sh("git", "-C", str(mirror), "rev-parse", f"{TARGET}~1").strip()
        one, validate = [], []
        for i in range(args.repeat):
            pkg = work / f"one-{i}"
            shutil.copytree(before, pkg)
            shutil.copytree(mirror.parent, pkg / ".claims" / "upstream")
            timed(claims, "update", "ua-general-staff", "--from", str(args.bundle), "--to", parent, "-p", str(pkg))
            one.append(timed(claims, "update", "ua-general-staff", "--from", str(args.bundle), "--to", TARGET,
                             "-p", str(pkg)))  # fmt: skip
            validate.append(timed(claims, "validate", "--no-cache", str(pkg)))
        commits, replay = replay_bytes(args.bundle, work)

    med = statistics.median

    def runs(times: list[float]) -> str:
        return f"{med(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)})"

    print(f"update --to {TARGET[:12]} and folder import: data/ and seeds/ identical in {args.repeat} run(s)")
    print(f"update, mirror fetched from the bundle: {runs(cold)}")
    print(f"update, mirror already fetched:        {runs(warm)}")
    print(f"folder import of the same commit:      {runs(by_folders)}")
    print(f"  update / folder import: {med(warm) / med(by_folders):.2f}x, {med(cold) / med(by_folders):.2f}x (cold)")
    print(f"one-commit update: {med(one):.2f} s; claims validate --no-cache: {med(validate):.2f} s; "
          f"ratio {med(one) / med(validate):.2f}x")  # fmt: skip
    print(f"seeds/ grew by {(seeds_after - seeds_before) / 1e6:.1f} MB; archiving each of the {commits:,} commits "
          f"that changed a mapped file would take {replay / 1e9:.2f} GB")  # fmt: skip


if __name__ == "__main__":
    main()
