"""Turn what a user names (folder, datapackage.json, release zip, release name, git ref) into a
package folder.

Release names (vX.Y.Z, X.Y.Z, latest) resolve through the history's own record of releases
(repo/releases.py), so they work in a clone without tags. Git refs are read with `git archive`, so the
working tree is never touched. Zips are read with bounds: no entry may leave the folder, be a
link, or expand past the size and ratio caps (a 2 MB zip that would fill the disk with 2 GiB is
refused before it is written).
"""

from __future__ import annotations

import io
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ..problems.report import DESCRIPTOR
from ..repo.git import archive
from ..repo.releases import is_release_name, resolve_release

MAX_UNPACKED = 8 << 30  # 8 GiB: a release of a million claims is under 1 GiB unpacked
MAX_RATIO = 200  # CSV deflates about 5-10 to 1; a bomb, a thousand to one


def _package_root(folder: Path) -> Path:
    if (folder / DESCRIPTOR).is_file():
        return folder
    found = sorted(folder.rglob(DESCRIPTOR), key=lambda p: len(p.parts))
    if not found:
        raise UsageError(f"no {DESCRIPTOR} inside {folder}")
    return found[0].parent


def _check_entry(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise UsageError(f"{path}: the entry {name!r} would be written outside the folder; refusing the zip")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UsageError(f"{path}: the entry {name!r} is a symbolic link; refusing the zip")


def extract_zip(path: Path, dest: Path, max_unpacked: int = MAX_UNPACKED, max_ratio: int = MAX_RATIO) -> None:
    """Unpack a zip into dest, counting the bytes really written against the caps as it goes."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                _check_entry(path, info)
            declared = sum(i.file_size for i in infos)
            limit = min(max_unpacked, max(1 << 20, path.stat().st_size * max_ratio))
            if declared > limit:
                raise UsageError(
                    f"{path}: it would unpack to {declared:,} bytes, more than the {limit:,} allowed "
                    f"({max_ratio} times its size, at most {max_unpacked:,}); refusing the zip"
                )
            written = 0
            for info in infos:
                target = dest / info.filename
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > limit:  # the sizes in the zip's headers can lie
                            raise UsageError(
                                f"{path}: the entry {info.filename!r} unpacks past the {limit:,} bytes allowed; "
                                "refusing the zip"
                            )
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UsageError(f"{path} is not a readable zip file ({exc})") from exc


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
