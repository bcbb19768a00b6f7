"""One writer at a time: the lock file, its holder, waiting, refusing, and a stale lock named and
taken over. The holders here are real processes (a second process is what the lock is for)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.core.package_lock import LOCK, Holder, PackageBusy, package_lock

from .conftest import ROOT, UPSTREAM, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-series.toml")
runner = CliRunner()

HOLD = """
import sys, time
from pathlib import Path
from toolkit.core.package_lock import package_lock
root, ready = Path(sys.argv[1]), Path(sys.argv[2])
with package_lock(root, command="import fixture-series"):
    ready.write_text("held")
    time.sleep(float(sys.argv[3]))
"""


def _holder(root: Path, tmp_path: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the package's lock for seconds; returns once it holds it."""
    ready = tmp_path / f"ready-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(root), str(ready), str(seconds)], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not ready.exists():
        assert proc.poll() is None, "the holder ended before taking the lock"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc


def test_the_lock_file_names_its_holder_and_goes_with_it(good_package: Path) -> None:
    with package_lock(good_package, command="import x"):
        held = json.loads((good_package / LOCK).read_text())
        assert held["pid"] == os.getpid() and held["host"] == socket.gethostname()
        assert held["command"] == "claims import x"
        started = dt.datetime.fromisoformat(held["started"].replace("Z", "+00:00"))
        assert started <= dt.datetime.now(dt.UTC)
    assert not (good_package / LOCK).exists()
    assert (good_package / ".claims/.gitignore").read_text() == "*\n"  # never committed


def test_a_second_writer_is_refused_naming_the_holder(good_package: Path, tmp_path: Path) -> None:
    proc = _holder(good_package, tmp_path, 30)
    try:
        with pytest.raises(PackageBusy) as caught, package_lock(good_package, command="fix"):
            pass
        assert caught.value.exit_code == 2 and caught.value.holder is not None
        assert caught.value.holder.pid == proc.pid
        assert f"process {proc.pid} (claims import fixture-series)" in str(caught.value)
        assert "--wait SECONDS" in str(caught.value)
        out = runner.invoke(app, ["fix", str(good_package)])
        assert out.exit_code == 2 and f"process {proc.pid}" in out.stderr
    finally:
        proc.kill()
        proc.wait()


def test_a_second_writer_waits_with_a_message(good_package: Path, tmp_path: Path) -> None:
    proc = _holder(good_package, tmp_path, 1.0)
    told: list[str] = []
    start = time.monotonic()
    with package_lock(good_package, command="fix", wait=60, notify=told.append):
        waited = time.monotonic() - start
        assert proc.poll() is not None  # the holder had finished: the lock was taken after it
    proc.wait()
    assert waited > 0.2
    assert len(told) == 1 and told[0].startswith("waiting up to 60 s for process ")


def test_a_wait_that_runs_out_is_refused(good_package: Path, tmp_path: Path) -> None:
    proc = _holder(good_package, tmp_path, 30)
    try:
        start = time.monotonic()
        with (
            pytest.raises(PackageBusy, match=r"after waiting \d+\.\d s"),
            package_lock(good_package, command="x", wait=0.5),
        ):
            pass
        assert time.monotonic() - start >= 0.5
    finally:
        proc.kill()
        proc.wait()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _plant(root: Path, holder: Holder) -> None:
    (root / ".claims").mkdir(exist_ok=True)
    (root / LOCK).write_text(json.dumps(holder.__dict__))


def test_a_stale_lock_of_a_dead_process_is_named_and_taken_over(good_package: Path) -> None:
    pid = _dead_pid()
    host = socket.gethostname()
    _plant(good_package, Holder(pid=pid, host=host, started="2026-01-01T00:00:00Z", start_ticks=1, command="claims x"))
    told: list[str] = []
    with package_lock(good_package, command="fix", notify=told.append):
        assert json.loads((good_package / LOCK).read_text())["pid"] == os.getpid()
    assert told == [
        f"a stale lock was left by process {pid} (claims x) on {host}, started 2026-01-01T00:00:00Z, which is no "
        "longer running; took it over (its unfinished write, if any, is dealt with next)"
    ]


def test_a_lock_whose_process_id_was_reused_is_stale(good_package: Path, tmp_path: Path) -> None:
    """The ID is alive, but its process started at another moment than the lock's holder."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        host = socket.gethostname()
        _plant(good_package, Holder(pid=proc.pid, host=host, started="earlier", start_ticks=1, command="claims x"))
        told: list[str] = []
        with package_lock(good_package, command="fix", notify=told.append):
            pass
        assert told and told[0].startswith(f"a stale lock was left by process {proc.pid} (claims x)")
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_from_another_host_is_never_broken(good_package: Path) -> None:
    _plant(good_package, Holder(pid=1, host="elsewhere.example", started="t", start_ticks=None, command="claims x"))
    with pytest.raises(PackageBusy, match=r"on elsewhere\.example"), package_lock(good_package, command="fix"):
        pass
    assert (good_package / LOCK).exists()


def test_a_lock_without_a_holder_is_stale(good_package: Path) -> None:
    """Its creator died between creating the file and writing its name (under the guard)."""
    (good_package / ".claims").mkdir()
    (good_package / LOCK).write_text("")
    told: list[str] = []
    with package_lock(good_package, command="fix", notify=told.append):
        pass
    assert told and "a stale lock was left by process 0 (unknown)" in told[0]


def test_one_process_may_nest_its_own_writes(good_package: Path) -> None:
    with package_lock(good_package, command="release"), package_lock(good_package, command="fix"):
        assert (good_package / LOCK).exists()
    assert not (good_package / LOCK).exists()


def _serial(tmp_path: Path) -> dict[str, bytes]:
    pkg = series_package(tmp_path / "serial")
    for snap, commit in (("snap-a", "a" * 40), ("snap-b", "b" * 40)):
        out = runner.invoke(app, ["import", MAPPING, str(UPSTREAM / snap), "--commit", commit, "-p", str(pkg)])
        assert out.exit_code == 0, out.output
    return snapshot(pkg)


def test_two_imports_at_once_lose_nothing(tmp_path: Path) -> None:
    """The older and the newer snapshot imported by two processes started together: one waits for
    the other. Either order ends as the serial run does (the older after the newer is refused)."""
    expected = _serial(tmp_path)
    for trial in range(2):  # each order once
        pkg = series_package(tmp_path / f"race-{trial}")
        order = [("snap-a", "a" * 40), ("snap-b", "b" * 40)][:: 1 if trial % 2 else -1]
        procs = [
            subprocess.Popen(
                ["claims", "import", MAPPING, str(UPSTREAM / snap), "--commit", commit, "-p", str(pkg), "--wait", "60"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for snap, commit in order
        ]
        results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
        codes = sorted(code for code, _err in results)
        assert codes in ([0, 0], [0, 2]), results
        if codes == [0, 2]:  # the newer went first: the older is refused as older, writing nothing
            assert any("before the package's figures" in err for _code, err in results)
        assert snapshot(pkg) == expected, f"trial {trial}: {results}"
