"""dist/ as coherent sets: one folder per version, switched in whole, never mixed.

A build writes every download into a hidden staging folder beside the set it replaces, and only
when all of them are written moves the old set aside and the new one into its place. So a build
that is interrupted (Ctrl-C, SIGKILL, a full disk) leaves the previous set of that version as it
was, and files of two builds never share a folder. One build at a time per output folder (an
flock, released by the system however the process ends); leftovers of a killed build are
cleared, or restored, by the next one.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.files import file_mode, folder_mode
from ..errors import UsageError

_BUILDING, _OLD = ".building-", ".old-"


def _tidy(out: Path) -> None:
    """Clear what a killed build left: staging folders, and an old set moved aside but not removed
    (restored when the new set never arrived)."""
    for entry in out.iterdir():
        if not entry.name.startswith(".") or not entry.is_dir() or entry.is_symlink():
            continue
        if _BUILDING in entry.name:
            shutil.rmtree(entry, ignore_errors=True)
        elif _OLD in entry.name:
            version = entry.name[1:].split(_OLD, 1)[0]
            final = out / version
            if final.exists():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                os.rename(entry, final)


@contextmanager
def new_set(out: Path, version: str) -> Iterator[Path]:
    """Yield an empty staging folder; on success it becomes out/version in one rename."""
    if not version or "/" in version or version.startswith("."):
        raise UsageError(f"the version {version!r} cannot name a folder")
    out.mkdir(parents=True, exist_ok=True)
    with (out / ".build.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UsageError(f"another build is writing to {out}; wait for it to finish") from exc
        _tidy(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{version}{_BUILDING}", dir=out))
        try:
            yield staging
            _publish(staging, out / version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _flush(folder: Path) -> None:
    """Write every file of the staging folder to disk before it is renamed into place: one
    syncfs(2) for the file system holding it (a site has a file per claim, and an fsync per file
    cost seconds per ten thousand files), os.sync() where syncfs is not available."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _publish(staging: Path, final: Path) -> None:
    mode, dmode = file_mode(), folder_mode()
    for folder, _dirs, files in os.walk(staging):
        os.chmod(folder, dmode)
        for name in files:
            os.chmod(os.path.join(folder, name), mode)
    _flush(staging)
    old = final.parent / f".{final.name}{_OLD}{os.getpid()}"
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)
