"""Turn what a user names (folder, datapackage.json, release zip, release name, git ref) into a
package folder.

Release names (vX.Y.Z, X.Y.Z, latest) resolve through the history's own record of releases
(repo/release_record.py), so they work in a clone without tags. Git refs are read with `git archive`, so the
working tree is never touched. Zips are read with bounds: no entry may leave the folder, be a
link, or expand past the size and ratio caps (a 2 MB zip that would fill the disk with 2 GiB is
refused before it is written: read/safe_zip.py).
"""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from ..problems.report import DESCRIPTOR
from ..repo.git import archive
from ..repo.release_record import is_release_name, resolve_release
from .safe_zip import extract_zip


def _package_root(folder: Path) -> Path:
    if (folder / DESCRIPTOR).is_file():
        return folder
    found = sorted(folder.rglob(DESCRIPTOR), key=lambda p: len(p.parts))
    if not found:
        raise UsageError(f"no {DESCRIPTOR} inside {folder}")
    return found[0].parent


def _git_archive(ref: str, repo: Path, dest: Path) -> None:
    try:
        data = archive(repo, resolve_release(repo, ref).commit if is_release_name(ref) else ref)
    except UsageError as exc:
        what = "release" if is_release_name(ref) else "git ref"
        raise UsageError(f"cannot read {what} {ref!r}: {exc}") from exc
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
    tmp = tempfile.mkdtemp(prefix="claims-")
    try:
        dest = Path(tmp)
        if path.is_file() and path.suffix.lower() == ".zip":
            extract_zip(path, dest)
        elif path.exists():
            raise UsageError(f"{spec}: not a folder, a {DESCRIPTOR} or a .zip")
        else:
            _git_archive(spec, repo or Path.cwd(), dest)
        yield _package_root(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
