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
from pathlib import Path, PurePosixPath

from ..core.json_reader import JSONUnreadable, parse_json
from ..core.paths import is_remote
from ..errors import UsageError
from ..problems.report import DESCRIPTOR
from ..repo.git import archive, blob, resolve_commit, tree_files
from ..repo.release_record import ShallowHistory, is_release_name, resolve_release
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
        commit = resolve_commit(repo, resolve_release(repo, ref).commit if is_release_name(ref) else ref)
        paths = _package_paths(repo, commit)
        try:
            data = archive(repo, commit, paths)
        except UsageError:  # a path the descriptor names is not in the commit: take the whole tree
            data = archive(repo, commit)
    except ShallowHistory:
        raise  # the fix is to fetch the history, not to name another ref
    except UsageError as exc:
        what = "release" if is_release_name(ref) else "git ref"
        raise UsageError(f"cannot read {what} {ref!r}: {exc}") from exc
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        tf.extractall(dest, filter="data")


def _package_paths(repo: Path, commit: str) -> list[str] | None:
    """What reading the package at commit needs: its descriptor and the files the descriptor
    names (tables, schemas, dialects), not the archived seeds or the rest of the repository (a
    release of the General Staff series carries megabytes of seeds that comparing never reads).
    None, for the whole tree, when the descriptor cannot be read here: reading it reports why."""
    found = sorted((p for p in tree_files(repo, commit) if PurePosixPath(p).name == DESCRIPTOR), key=len)
    if not found:
        return None
    folder = PurePosixPath(found[0]).parent
    try:
        descriptor = parse_json(blob(repo, commit, found[0]) or b"")
        resources = [r for r in descriptor["resources"] if isinstance(r, dict)]
    except (JSONUnreadable, KeyError, TypeError):
        return None
    paths = {found[0]}
    for resource in resources:
        for key in ("path", "schema", "dialect"):
            value = resource.get(key)
            if not isinstance(value, str) or is_remote(value) or value.startswith("/") or ".." in value.split("/"):
                continue
            paths.add((folder / value).as_posix())
    return sorted(paths)


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
