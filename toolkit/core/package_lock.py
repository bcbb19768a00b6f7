"""One writer at a time per package.

Two imports that read the tables at the same moment would each write back their own version, and
the later rename would drop what the other added. Every command that writes the package (import,
rebuild, fix, add, add-source, extract --append, release) first takes this lock: the file
`.claims/lock`, created atomically (O_EXCL) and holding the process ID, host, start time and
command of its holder. A second writer waits for it (`--wait SECONDS`, with a message) or refuses
with exit code 2, naming the holder.

A lock whose holder is no longer running (the process is gone, or its ID now belongs to another
process started later) is stale: it is named, taken over, and the write that process left
unfinished is finished or undone (core/transaction.py), with a message saying which. Inspecting,
breaking and creating the lock happen under an flock on `.claims/lock.guard`, so two processes
never both take over one stale lock.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import UsageError
from .files import file_mode
from .transaction import STATE, Recovery, pending, recover

LOCK = f"{STATE}/lock"
GUARD = f"{STATE}/lock.guard"
EXIT_BUSY = 2

Notify = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class Holder:
    """Who holds (or held) the lock."""

    pid: int
    host: str
    started: str  # when the process started, ISO 8601 UTC
    start_ticks: int | None  # its start in clock ticks since boot (Linux): a reused process ID differs here
    command: str

    def describe(self) -> str:
        return f"process {self.pid} ({self.command}) on {self.host}, started {self.started}"


class PackageBusy(UsageError):
    """Another live process writes the package."""

    exit_code = EXIT_BUSY

    def __init__(self, root: Path, holder: Holder | None, waited: float) -> None:
        self.holder = holder
        who = holder.describe() if holder else "another process"
        after = f" after waiting {waited:.1f} s" if waited else ""
        super().__init__(
            f"{root} is being written by {who}{after}; nothing was written. Wait for it to finish, or give "
            "--wait SECONDS to wait for it"
        )


_held: dict[str, int] = {}  # real package root -> depth, so one process may nest its own writes
_held_lock = threading.Lock()


@contextmanager
def package_lock(root: Path, *, command: str, wait: float = 0.0, notify: Notify | None = None) -> Iterator[None]:
    """Hold the package's write lock for the block; finish or undo a write a dead process left."""
    say = notify or (lambda _message: None)
    key = os.path.realpath(root)
    with _held_lock:
        nested = key in _held
        _held[key] = _held.get(key, 0) + 1
    if nested:
        try:
            yield
        finally:
            _release_depth(key)
        return
    try:
        me = _acquire(root, command, wait, say)
        try:
            _report(recover(root), say)
            yield
        finally:
            _unlock(root, me)
    finally:
        _release_depth(key)


def finish_interrupted(root: Path, notify: Notify | None = None) -> Recovery | None:
    """For a command that only reads: finish or undo a write a dead process left, so what is read is
    a whole state. Does nothing while a live process writes (its write is in progress, not left)."""
    if not pending(root):
        return None
    try:
        with package_lock(root, command="recovery", notify=notify):
            return None  # package_lock reported what it did
    except PackageBusy:
        return None


def _release_depth(key: str) -> None:
    with _held_lock:
        _held[key] -= 1
        if not _held[key]:
            del _held[key]


def _report(recovery: Recovery | None, say: Notify) -> None:
    if recovery is not None:
        say(recovery.describe())


def _acquire(root: Path, command: str, wait: float, say: Notify) -> Holder:
    me = _me(command)
    start = time.monotonic()
    delay = 0.05
    told = False
    while True:
        taken, holder = _try_take(root, me)
        if taken:
            if holder is not None:
                say(
                    f"a stale lock was left by {holder.describe()}, which is no longer running; "
                    "took it over (its unfinished write, if any, is dealt with next)"
                )
            return me
        waited = time.monotonic() - start
        if waited >= wait:
            raise PackageBusy(root, holder, waited)
        if not told:
            who = holder.describe() if holder else "another process"
            say(f"waiting up to {wait:g} s for {who} to finish writing the package ...")
            told = True
        time.sleep(min(delay, max(0.0, wait - waited)))
        delay = min(delay * 2, 0.5)


def _try_take(root: Path, me: Holder) -> tuple[bool, Holder | None]:
    """(True, the stale holder taken over or None) or (False, the live holder)."""
    import fcntl

    state = _state_folder(root)
    with open(state / "lock.guard", "a") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)  # a short critical section: read, perhaps break, create
        try:
            lock = root / LOCK
            if _create(lock, me):
                return True, None
            holder = _read(lock)
            if holder is not None and _alive(holder) is not False:
                return False, holder
            lock.unlink(missing_ok=True)
            if not _create(lock, me):  # cannot happen under the guard; stay safe
                return False, _read(lock)
            return True, holder or Holder(pid=0, host="?", started="?", start_ticks=None, command="unknown")
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)


def _state_folder(root: Path) -> Path:
    state = root / STATE
    try:
        state.mkdir(exist_ok=True)
        ignore = state / ".gitignore"
        if not ignore.exists():  # the folder is the toolkit's working state: never committed
            ignore.write_text("*\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write in {root}: {exc.strerror or exc}; the package cannot be changed") from exc
    return state


def _create(lock: Path, me: Holder) -> bool:
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    except FileExistsError:
        return False
    try:
        os.write(fd, json.dumps(asdict(me)).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _read(lock: Path) -> Holder | None:
    """The lock's holder, or None for a lock without one (its creator died before writing it)."""
    try:
        raw = json.loads(lock.read_bytes())
        return Holder(
            pid=int(raw["pid"]),
            host=str(raw["host"]),
            started=str(raw["started"]),
            start_ticks=None if raw.get("start_ticks") is None else int(raw["start_ticks"]),
            command=str(raw["command"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _unlock(root: Path, me: Holder) -> None:
    import fcntl

    lock = root / LOCK
    with open(root / GUARD, "a") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        try:
            if _read(lock) == me:
                lock.unlink(missing_ok=True)
        finally:
            fcntl.flock(guard, fcntl.LOCK_UN)


def _me(command: str) -> Holder:
    pid = os.getpid()
    return Holder(
        pid=pid,
        host=socket.gethostname(),
        started=_started(pid),
        start_ticks=_start_ticks(pid),
        command=f"claims {command}",
    )


def _alive(holder: Holder) -> bool | None:
    """False when the holder's process is surely gone; None when it cannot be told (another host)."""
    if holder.host != socket.gethostname():
        return None
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    except OSError as exc:
        if exc.errno == errno.ESRCH:
            return False
    ticks = _start_ticks(holder.pid)
    # a different start: the ID was given to a process started later
    return holder.start_ticks is None or ticks is None or ticks == holder.start_ticks


def _start_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()  # the command name may hold spaces and parentheses
    try:
        return int(fields[19])  # field 22 of proc(5): starttime
    except (IndexError, ValueError):
        return None


def _started(pid: int) -> str:
    ticks = _start_ticks(pid)
    moment = dt.datetime.now(dt.UTC)
    if ticks is not None:
        try:
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            moment -= dt.timedelta(seconds=uptime - ticks / os.sysconf("SC_CLK_TCK"))
        except (OSError, ValueError, IndexError):
            pass
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
