"""Start-up: what every contributor pays on every command, against frictionless in the same run.

    python benchmarks/bench_startup.py [--repeat 7]

Whole processes, median of --repeat runs each, alternating the two tools so that both see the
same machine load. `claims validate` runs on this repository's own package twice: once checking
everything (--no-cache) and once when no input changed since the last run (answered from the
cache keyed on the SHA-256 of every input; see toolkit/cli/cache.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from typer.main import get_command

from toolkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    claims, frictionless = str(BIN / "claims"), str(BIN / "frictionless")
    commands = list(get_command(app).commands)  # type: ignore[attr-defined]  # every subcommand, as the CLI has them
    pairs = [
        ("claims --help", [claims, "--help"], [frictionless, "--help"]),
        ("claims --version", [claims, "--version"], [frictionless, "--version"]),
        *[(f"claims {c} --help", [claims, c, "--help"], [frictionless, "validate", "--help"]) for c in commands],
        (
            "claims validate --no-cache",
            [claims, "validate", "--no-cache"],
            [frictionless, "validate", "datapackage.json"],
        ),
        ("claims validate (inputs unchanged)", [claims, "validate"], [frictionless, "validate", "datapackage.json"]),
    ]
    subprocess.run([claims, "validate"], cwd=ROOT, stdout=subprocess.DEVNULL, check=False)  # fill the cache
    print("| command | claims | frictionless counterpart | ratio |\n| --- | ---: | --- | ---: |")
    for name, ours, theirs in pairs:
        a, b = [], []
        for _ in range(args.repeat):
            a.append(seconds(ours))
            b.append(seconds(theirs))
        mine, other = statistics.median(a), statistics.median(b)
        counterpart = " ".join(["frictionless", *theirs[1:]])
        print(f"| `{name}` | {mine:.2f} s | `{counterpart}` {other:.2f} s | {mine / other:.2f}x |")


if __name__ == "__main__":
    main()
