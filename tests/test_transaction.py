"""All or nothing across files: a write killed at any step leaves the package as it was or, once
the next command has run, as the write meant it; never half of each.

A kill is simulated at every step that changes the disk (each create, write, flush, rename,
removal of a file or folder) by a test hook around the os functions: it raises an exception no
handler of the toolkit catches, so, as after a real kill, nothing after that step runs. The next
command (`claims validate`) then finishes or undoes the write and says which.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.core import transaction
from toolkit.core.transaction import STAGING, TransactionError, commit_files, recover
from toolkit.upstream import series_import

from .conftest import UPSTREAM, series_package, snapshot

MAPPING = str(UPSTREAM / "fixture-series.toml")
TODAY = dt.date(2026, 11, 25)
A, B = "a" * 40, "b" * 40
runner = CliRunner()
STEPS = ("open", "write", "fsync", "replace", "unlink", "rmdir", "mkdir", "link", "rename")


class Killed(BaseException):
    """The process died at this step."""


@contextmanager
def kill_at(monkeypatch: pytest.MonkeyPatch, step: int | None, counted: list[str]) -> Iterator[None]:
    """Count (and at step, die at) each call of a disk-changing os function; reading calls
    (os.open without a write flag) are not steps."""
    for name in STEPS:
        real = getattr(os, name)

        def call(*args: object, _name: str = name, _real: Callable = real, **kwargs: object) -> object:
            if _name == "open" and not (int(args[1]) & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)):  # type: ignore[call-overload]
                return _real(*args, **kwargs)
            counted.append(_name)
            if step is not None and len(counted) == step:
                raise Killed(f"killed at step {step} ({_name})")
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, call)
    try:
        yield
    finally:
        monkeypatch.undo()


def _import_writes(monkeypatch: pytest.MonkeyPatch, start: Path, tmp_path: Path) -> dict[str, bytes | None]:
    """What importing snap-changed over the start package writes in its one change to the package."""
    captured: dict[str, bytes | None] = {}
    real = transaction.commit_files

    def capture(root: Path, writes: dict) -> list[str]:
        captured.update(writes)
        return real(root, writes)

    monkeypatch.setattr(series_import, "commit_files", capture)
    plain = tmp_path / "plain"
    shutil.copytree(start, plain)
    series_import.import_snapshot(plain, MAPPING, UPSTREAM / "snap-changed", commit=B, today=TODAY)
    monkeypatch.undo()
    return captured


@pytest.fixture
def states(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A package holding snapshot A, and the package as it is before and after importing B."""
    start = series_package(tmp_path / "start")
    series_import.import_snapshot(start, MAPPING, UPSTREAM / "snap-a", commit=A, today=TODAY)
    after = tmp_path / "after"
    shutil.copytree(start, after)
    series_import.import_snapshot(after, MAPPING, UPSTREAM / "snap-changed", commit=B, today=TODAY)
    return start, snapshot(start), snapshot(after)


def test_an_import_killed_at_any_step_is_all_or_nothing(
    states: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, before, after = states
    writes = _import_writes(monkeypatch, start, tmp_path)
    assert sum(data is None for data in writes.values()) == 2  # the older archive of two files, removed
    steps: list[str] = []
    plain = tmp_path / "counted"
    shutil.copytree(start, plain)
    with kill_at(monkeypatch, None, steps):
        commit_files(plain, writes)
    assert snapshot(plain) == after
    assert steps.count("replace") >= len(writes) - 3 and steps.count("unlink") >= 3 and len(steps) > 25
    seen = []
    for step in range(1, len(steps) + 1):
        pkg = tmp_path / f"step-{step}"
        shutil.copytree(start, pkg)
        with pytest.raises(Killed), kill_at(monkeypatch, step, []):
            commit_files(pkg, writes)
        left = (pkg / STAGING).exists()  # not when killed creating the staging folder, or removing it
        done = recover(pkg)  # what the next command does first
        assert not (pkg / STAGING).exists()
        state = snapshot(pkg)
        if state == before:
            assert left == (done is not None) and (done is None or done.action == "rolled back"), step
            seen.append("before")
        else:
            assert state == after, f"step {step} ({steps[step - 1]}) left a package that is neither state"
            assert left == (done is not None) and (done is None or done.action == "rolled forward"), step
            seen.append("after")
        assert not [p for p in pkg.rglob("*.tmp")]
    # every kill before the journal is renamed in rolls back, every kill after it rolls forward
    decided = steps.index("replace", steps.index("write")) + 1  # the journal's rename, after the staged writes
    assert seen == ["before"] * decided + ["after"] * (len(steps) - decided)


def test_the_next_command_says_what_it_did(
    states: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real `claims import` killed before and after its write is decided; then `claims validate`."""
    start, before, after = states
    steps: list[str] = []
    counted = tmp_path / "counted"
    shutil.copytree(start, counted)
    writes = _import_writes(monkeypatch, start, tmp_path)
    with kill_at(monkeypatch, None, steps):
        commit_files(counted, writes)
    real = transaction.commit_files
    decided = steps.index("replace", steps.index("write")) + 1
    for at, state, said in ((3, before, "rolled back"), (decided + 1, after, "rolled forward")):
        pkg = tmp_path / f"killed-{at}"
        shutil.copytree(start, pkg)

        def dying(root: Path, writes: dict, _at: int = at) -> list[str]:
            with kill_at(monkeypatch, _at, []):
                return real(root, writes)

        monkeypatch.setattr(series_import, "commit_files", dying)
        with pytest.raises(Killed):
            runner.invoke(app, ["import", MAPPING, str(UPSTREAM / "snap-changed"), "--commit", B, "-p", str(pkg)])
        monkeypatch.undo()
        out = runner.invoke(app, ["validate", str(pkg), "--no-cache"])
        assert out.exit_code == 0 and said in out.stderr, out.output
        assert snapshot(pkg) == state


def test_a_recovery_killed_at_any_step_is_finished_by_the_next(
    states: tuple[Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write killed just after it was decided, then its recovery killed too, at each step of it."""
    start, _before, after = states
    writes = _import_writes(monkeypatch, start, tmp_path)
    steps: list[str] = []
    counted = tmp_path / "counted"
    shutil.copytree(start, counted)
    with kill_at(monkeypatch, None, steps):
        commit_files(counted, writes)
    decided = tmp_path / "decided"
    shutil.copytree(start, decided)
    journal_renamed = steps.index("replace", steps.index("write")) + 1
    with pytest.raises(Killed), kill_at(monkeypatch, journal_renamed + 1, []):
        commit_files(decided, writes)
    assert (decided / STAGING / "journal.json").exists()
    recovery_steps: list[str] = []
    copy = tmp_path / "count"
    shutil.copytree(decided, copy)
    with kill_at(monkeypatch, None, recovery_steps):
        recover(copy)
    assert snapshot(copy) == after and len(recovery_steps) > 10
    for step in range(1, len(recovery_steps) + 1):
        pkg = tmp_path / f"recover-{step}"
        shutil.copytree(decided, pkg)
        with pytest.raises(Killed), kill_at(monkeypatch, step, []):
            recover(pkg)
        done = recover(pkg)  # None when the kill came after the last file had moved in
        assert done is None or done.action == "rolled forward"
        assert snapshot(pkg) == after, f"recovery killed at step {step}"
        assert {p.name for p in (pkg / ".claims").iterdir()} <= {".gitignore", "lock.guard"}


def test_an_ordinary_failure_while_staging_leaves_nothing(good_package: Path, monkeypatch) -> None:
    before = snapshot(good_package)
    real = transaction._write_synced
    calls = []

    def full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(transaction, "_write_synced", full_disk)
    with pytest.raises(OSError, match="No space left"):
        commit_files(good_package, {"data/claims.csv": b"x\n", "data/sources.csv": b"y\n"})
    assert snapshot(good_package) == before and not (good_package / STAGING).exists()


def test_paths_outside_the_package_are_refused(good_package: Path) -> None:
    for rel in ("../elsewhere.csv", "/etc/passwd", ".claims/lock"):
        with pytest.raises(TransactionError, match="is not a path inside the package"):
            commit_files(good_package, {rel: b"x"})


def test_an_unreadable_journal_is_named_not_guessed(good_package: Path) -> None:
    staging = good_package / STAGING
    staging.mkdir(parents=True)
    (staging / "journal.json").write_text('{"format": 1, "entries": [{"path": "../x", "staged": null}]}')
    before = snapshot(good_package)
    with pytest.raises(TransactionError, match=r"journal\.json cannot be read"):
        recover(good_package)
    assert snapshot(good_package) == before and staging.exists()
    out = runner.invoke(app, ["validate", str(good_package)])
    assert out.exit_code == 2 and "cannot be read" in out.stderr and "internal error" not in out.output


def test_a_removal_takes_empty_folders_with_it(good_package: Path) -> None:
    (good_package / "seeds/x/y").mkdir(parents=True)
    (good_package / "seeds/x/y/f.json").write_text("[]")
    commit_files(good_package, {"seeds/x/y/f.json": None, "seeds/new/g.json": b"[]"})
    assert not (good_package / "seeds/x").exists() and (good_package / "seeds/new/g.json").read_text() == "[]"
