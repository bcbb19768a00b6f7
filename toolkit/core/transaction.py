"""Several files of a package changed as one: after a kill at any moment the package is either as
it was or as it was meant to become, never half of each.

A write is staged in full in `.claims/transaction/` inside the package (the same file system, so
a rename is atomic): every new file's bytes, flushed to disk. Then one atomic step decides it:
the journal, naming each file to put in place or remove, is renamed into the staging folder. Only
then are the staged files renamed over the package's own. The next command that opens the package
(`recover`) finds any staging folder left by a process that died: without a journal the write was
never decided and the folder is dropped (rolled back; the package was not touched); with one, the
remaining renames and removals are done (rolled forward). Either way it says which.

A rename replaces a file whole, so a reader never sees a half-written file either. Nothing here
knows what the files hold: the import, a rebuild, `claims fix`, `claims add` and `claims
add-source` all write through commit_files, under the package lock (core/package_lock.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ToolkitError
from .files import file_mode

STATE = ".claims"  # the package's own working folder (lock, staging); never part of a release
STAGING = f"{STATE}/transaction"
JOURNAL = "journal.json"
FORMAT = 1


class TransactionError(ToolkitError):
    """A write could not be staged or a journal cannot be read; the message names the file."""


@dataclass(frozen=True, kw_only=True)
class Recovery:
    """What `recover` did with a write a process left unfinished."""

    action: str  # "rolled back" (never decided: the package as before) or "rolled forward" (finished)
    files: list[str] = field(default_factory=list)  # the package files the write concerned

    def describe(self) -> str:
        shown = ", ".join(self.files[:5]) + (" ..." if len(self.files) > 5 else "")
        if self.action == "rolled back":
            return (
                f"an earlier write was interrupted before it was decided; rolled back: the package is as it was "
                f"before it (staged, never moved in: {shown or 'nothing'})"
            )
        return (
            f"an earlier write was interrupted after it was decided; rolled forward: the package is as that write "
            f"made it ({len(self.files)} file(s): {shown})"
        )


def pending(root: Path) -> bool:
    """A write was left unfinished (a staging folder exists)."""
    return (root / STAGING).exists()


def commit_files(root: Path, writes: Mapping[str, bytes | None]) -> list[str]:
    """Write (bytes) or remove (None) each path, relative to root, as one change; the paths written.

    The caller holds the package lock. An ordinary failure (a full disk, a folder that cannot be
    written) is finished or undone here before it is raised; a process that dies mid-way leaves it
    to the next command's `recover`.
    """
    if not writes:
        return []
    paths = sorted(writes)
    for rel in paths:
        _check_rel(rel)
    staging = root / STAGING
    if staging.exists():
        raise TransactionError(
            f"{STAGING} exists: an earlier write was interrupted; run any claims command that writes to finish it"
        )
    try:
        entries = _stage(root, staging, paths, writes)
        _write_journal(staging, entries)  # the one step that decides the write
    except (Exception, KeyboardInterrupt):
        _drop(staging)
        raise
    try:
        _apply(root, staging, entries)
    except (Exception, KeyboardInterrupt):
        _apply(root, staging, entries)  # a decided write is finished: it can only move files now
        raise
    return paths


def recover(root: Path) -> Recovery | None:
    """Finish or undo a write a process left unfinished; None when there was none. The caller holds
    the package lock (a live writer's staging folder is not a leftover)."""
    staging = root / STAGING
    if not staging.exists():
        _sweep(staging.parent)
        return None
    journal = staging / JOURNAL
    if not journal.is_file():
        new = staging / "new"
        staged = sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()) if new.is_dir() else []
        _drop(staging)
        return Recovery(action="rolled back", files=staged)
    entries = _read_journal(journal)
    _apply(root, staging, entries)
    return Recovery(action="rolled forward", files=[e["path"] for e in entries])


# -- the steps -----------------------------------------------------------------------------------


def _check_rel(rel: str) -> None:
    parts = Path(rel).parts
    if not rel or Path(rel).is_absolute() or ".." in parts or (parts and parts[0] == STATE):
        raise TransactionError(f"{rel!r} is not a path inside the package")


def _stage(root: Path, staging: Path, paths: list[str], writes: Mapping[str, bytes | None]) -> list[dict]:
    (staging / "new").mkdir(parents=True)
    entries = []
    folders = {staging / "new"}
    for rel in paths:
        data = writes[rel]
        staged = None
        if data is not None:
            staged = f"new/{rel}"  # named as in the package, so a rollback can say what it dropped
            (staging / staged).parent.mkdir(parents=True, exist_ok=True)
            _write_synced(staging / staged, data)
            folders.add((staging / staged).parent)
        entries.append({"path": rel, "staged": staged})
    for folder in folders:
        _sync_folder(folder)
    return entries


def _write_journal(staging: Path, entries: list[dict]) -> None:
    body = json.dumps({"format": FORMAT, "entries": entries}, indent=1).encode("utf-8")
    _write_synced(staging / f"{JOURNAL}.tmp", body)
    os.replace(staging / f"{JOURNAL}.tmp", staging / JOURNAL)
    _sync_folder(staging)


def _apply(root: Path, staging: Path, entries: list[dict]) -> None:
    """Move every staged file in and remove what is to be removed; idempotent, so a kill here is
    finished by running it again."""
    touched: set[Path] = set()
    for entry in entries:
        target = root / entry["path"]
        if entry["staged"] is None:
            if target.is_file() or target.is_symlink():
                target.unlink()
            touched.add(target.parent)
            continue
        staged = staging / entry["staged"]
        if staged.exists():  # already moved in, when a killed apply is finished
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        touched.add(target.parent)
    for folder in sorted(touched, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir():
            _sync_folder(folder)
    _remove_empty_folders(root, [root / e["path"] for e in entries if e["staged"] is None])
    _drop(staging)


def _read_journal(journal: Path) -> list[dict]:
    try:
        body = json.loads(journal.read_bytes())
        entries = body["entries"]
        if body.get("format") != FORMAT or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("staged"), str | None)
            for e in entries
        ):
            raise ValueError("unexpected content")
        for e in entries:
            _check_rel(e["path"])
    except (OSError, ValueError, KeyError, TypeError, TransactionError) as exc:
        raise TransactionError(
            f"{journal} cannot be read ({exc}): an interrupted write cannot be finished. Inspect it, then restore "
            f"the package from git (git status shows what changed) and remove {journal.parent}"
        ) from exc
    return entries


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """A rename is on disk once its folder is: without this a power cut could undo it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse to sync a folder; the rename itself is still atomic
        pass
    finally:
        os.close(fd)


def _remove_empty_folders(root: Path, removed: list[Path]) -> None:
    for path in removed:
        folder = path.parent
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _drop(staging: Path) -> None:
    """Remove the staging folder: first out of the way in one rename (so a kill while it is being
    deleted never leaves a staging folder without its journal, which would read as undecided),
    then file by file."""
    if staging.exists():
        gone = staging.with_name(f"{staging.name}.gone-{os.getpid()}")
        os.replace(staging, gone)
    _sweep(staging.parent)


def _sweep(state: Path) -> None:
    """Delete what earlier drops left half-deleted; they hold nothing anyone needs."""
    if state.is_dir():
        for leftover in state.glob(f"{Path(STAGING).name}.gone-*"):
            shutil.rmtree(leftover, ignore_errors=True)
