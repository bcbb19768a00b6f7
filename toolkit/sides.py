"""Turn what a user names (folder, datapackage.json, release zip, git ref) into a package folder.

Git refs are read with `git archive`, so the working tree is never touched; zips and archives are
unpacked with the 'data' filter, which refuses absolute paths, '..' and links out of the folder.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError
from .git import archive
from .problems import DESCRIPTOR


def _package_root(folder: Path) -> Path:
    if (folder / DESCRIPTOR).is_file():
        return folder
    found = sorted(folder.rglob(DESCRIPTOR), key=lambda p: len(p.parts))
    if not found:
        raise UsageError(f"no {DESCRIPTOR} inside {folder}")
    return found[0].parent


def _extract_zip(path: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                target = (dest / info.filename).resolve()
                if not target.is_relative_to(dest.resolve()):
                    raise UsageError(f"{path}: member {info.filename!r} would be written outside the folder")
            zf.extractall(dest)
    except zipfile.BadZipFile as exc:
        raise UsageError(f"{path} is not a readable zip file ({exc})") from exc


def _git_archive(ref: str, repo: Path, dest: Path) -> None:
    try:
        data = archive(repo, ref)
    except UsageError as exc:
        raise UsageError(f"cannot read git ref {ref!r}: {exc}") from exc
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        tf.extractall(dest, filter="data")


@contextmanager
def package_folder(spec: str, repo: Path | None = None) -> Iterator[Path]:
    """Yield a folder holding the package that spec names; temporary copies are removed after."""
    path = Path(spec)
    if path.is_dir():
        yield _package_root(path)
        return
    if path.is_file() and path.name == DESCRIPTOR:
        yield path.parent
        return
    with tempfile.TemporaryDirectory(prefix="claims-") as tmp:
        dest = Path(tmp)
        if path.is_file() and path.suffix.lower() == ".zip":
            _extract_zip(path, dest)
        elif path.exists():
            raise UsageError(f"{spec}: not a folder, a {DESCRIPTOR} or a .zip")
        else:
            _git_archive(spec, repo or Path.cwd(), dest)
        yield _package_root(dest)
