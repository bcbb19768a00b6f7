"""Files a release writes: atomic writes (a reader sees the old file or the new one, never half
of either), their modes, and the size and SHA-256 a release states for each."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..errors import ToolkitError


def size_and_sha256(path: Path) -> tuple[int, str]:
    """(bytes, hex SHA-256) of a file, read in blocks (a release's zip or database may be large)."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return path.stat().st_size, digest


def file_mode() -> int:
    """The mode an ordinary write gets: 0666 minus the umask (mkstemp's 0600 would make a
    release unreadable to a web server or another user)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def folder_mode() -> int:
    return file_mode() | ((file_mode() & 0o444) >> 2)  # x wherever r, as mkdir would give


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ToolkitError(f"cannot write {path}: {exc}") from exc


def csv_rows(rows: list) -> bytes:
    """Rows as RFC 4180 CSV with LF line endings, quoting only where needed."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def append_rows(path: Path, rows: list[list[str]]) -> None:
    """Append rows to a CSV file atomically (the whole file is rewritten through a rename)."""
    atomic_write(path, appended(path, rows))


def appended(path: Path, rows: list[list[str]]) -> bytes:
    """The bytes of the CSV file at path with rows appended (for a write that changes several files)."""
    existing = path.read_bytes()
    if existing and not existing.endswith(b"\n"):
        existing += b"\n"
    return existing + csv_rows(rows)


def write_all(writes: dict[Path, bytes | None]) -> None:
    """Write (or, for None, delete) several files as one change: each file atomically, and if any
    write fails, every file already written is put back as it was before this call."""
    originals = {path: path.read_bytes() if path.is_file() else None for path in writes}
    done: list[Path] = []
    try:
        for path, data in writes.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, data)
            done.append(path)
    except BaseException:
        for path in done:
            before = originals[path]
            if before is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, before)
        raise
