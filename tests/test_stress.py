"""Stress (marker `stress`, not in the default run; docs/testing.md): rounds of two imports started
together on one package, one of them killed with SIGKILL at a random moment. After each round the
next command finds a whole package (one a serial run passes through) that `claims validate`
accepts, and finishing the imports gives the claims a serial run gives.

    pytest -m stress -n 0 tests/test_stress.py            # 20 rounds
    CLAIMS_STRESS_ROUNDS=200 pytest -m stress -n 0 tests/test_stress.py
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import UPSTREAM, series_package, snapshot

pytestmark = pytest.mark.stress

MAPPING = str(UPSTREAM / "fixture-series.toml")
SNAPSHOTS = (("snap-a", "a" * 40), ("snap-b", "b" * 40))


def _import(pkg: Path, snap: str, commit: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["claims", "import", MAPPING, str(UPSTREAM / snap), "--commit", commit, "-p", str(pkg), "--wait", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def _states(tmp_path: Path) -> dict[str, dict[str, bytes]]:
    """Every state a serial run passes through: nothing, A, B alone, A then B."""
    states = {}
    for name, steps in (("start", []), ("a", [0]), ("b", [1]), ("a_b", [0, 1])):
        pkg = series_package(tmp_path / f"serial-{name}")
        for i in steps:
            assert _import(pkg, *SNAPSHOTS[i]).wait() == 0
        states[name] = snapshot(pkg)
    return states


def test_concurrent_imports_killed_at_random_lose_nothing(tmp_path: Path) -> None:
    rounds = int(os.environ.get("CLAIMS_STRESS_ROUNDS", "20"))
    states = _states(tmp_path)
    assert states["b"] == states["a_b"]  # A after B is refused as older: both orders end alike
    chance = random.Random(int(os.environ.get("CLAIMS_STRESS_SEED", "20261204")))
    kinds = {}
    for round_ in range(rounds):
        pkg = series_package(tmp_path / f"round-{round_}")
        order = list(SNAPSHOTS) if chance.random() < 0.5 else list(reversed(SNAPSHOTS))
        procs = [_import(pkg, *snap) for snap in order]
        victim = chance.randrange(2)
        time.sleep(chance.uniform(0.0, 2.5))
        if procs[victim].poll() is None:
            procs[victim].send_signal(signal.SIGKILL)
        for proc in procs:
            proc.wait(timeout=300)
        codes = [proc.returncode for proc in procs]
        survivor = procs[1 - victim]
        assert survivor.returncode in (0, 2), (round_, survivor.stderr.read() if survivor.stderr else "")
        checked = _run(["claims", "validate", str(pkg), "--no-cache"])  # the next command
        assert checked.returncode == 0, (round_, codes, checked.stdout[-2000:], checked.stderr)
        found = next((name for name, state in states.items() if snapshot(pkg) == state), None)
        assert found is not None, f"round {round_}: after the kill the package is no state of a serial run"
        kinds[found] = kinds.get(found, 0) + 1
        for snap, commit in SNAPSHOTS:  # finish what the kill stopped: serial from here
            done = _run(["claims", "import", MAPPING, str(UPSTREAM / snap), "--commit", commit, "-p", str(pkg)])
            assert done.returncode in (0, 2), done.stderr
        assert snapshot(pkg) == states["a_b"], f"round {round_}: finished imports differ from a serial run"
        assert _run(["claims", "validate", str(pkg), "--no-cache"]).returncode == 0
    print(f"states after the kill, over {rounds} rounds: {kinds}")
