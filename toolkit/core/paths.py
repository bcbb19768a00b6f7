"""Paths inside a package: what every command that reads or writes the package's files goes through.

A package folder may hold symbolic links (a contributor's mistake, or a trap); a path is used
only once its real location, after every link, is proven to lie inside the package. Light on
purpose: no data library is imported here, so the CLI can use it before loading anything.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError

DESCRIPTOR = "datapackage.json"


def is_remote(value: str) -> bool:
    return "://" in value or value.startswith("//")


def forget_resolved() -> None:
    """Drop the cached folder resolutions: a link may have changed since the last package was read."""
    _real_dir.cache_clear()


@lru_cache(maxsize=4096)
def _real_dir(path: str) -> str:
    return os.path.realpath(path)


def resolve_inside(root: Path, rel: str) -> Path | None:
    """The real path of rel under root, or None when it (or a symlink on the way) leaves root.

    Folder resolutions are cached and the containment test is a prefix test on real paths: a
    package has ten thousand seeds in one or two folders, and resolving every path component
    of every file costs more than hashing them.
    """
    real_root = _real_dir(os.path.abspath(root))
    joined = os.path.join(real_root, rel)
    real = os.path.join(_real_dir(os.path.dirname(joined)), os.path.basename(joined))
    if os.path.islink(real):
        real = os.path.realpath(real)
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    return Path(real)


def regular_file_inside(root: Path, rel: str) -> Path:
    """The real path of the regular file rel, proven to lie inside the package after every symlink.

    For commands that publish files (build): what goes into a release is the package's own
    files, never what a link in it points at elsewhere on the machine.
    """
    real = None if is_remote(rel) or ".." in Path(rel).parts else resolve_inside(root, rel)
    if real is None:
        raise UsageError(f"{rel} leads outside the package (a symbolic link?); it cannot be published")
    if not real.is_file():
        raise UsageError(f"{rel} is not a regular file; it cannot be published")
    return real


def inside_folder(root: Path, rel: str) -> Path:
    """root/rel for a command to write into, refused when rel (or a link on the way) leads out of root."""
    if resolve_inside(root, rel) is None:
        raise UsageError(f"{rel} in {root} leads outside the package (a symbolic link?); refusing to write there")
    return root / rel


def find_descriptor(path: Path) -> Path:
    """A folder or a datapackage.json -> the descriptor's path."""
    if path.is_file() and path.suffix.lower() != ".json":
        raise UsageError(
            f"{path} is a file, not a data package: pass the folder that holds {DESCRIPTOR} "
            f"(e.g. `claims validate {path.parent.parent if path.parent.name == 'data' else path.parent}`)"
        )
    candidate = path / DESCRIPTOR if path.is_dir() else path
    if not candidate.is_file() and path.is_dir():
        candidate = _nearest_descriptor(path) or candidate
    if not candidate.is_file():
        raise UsageError(f"no {DESCRIPTOR} at {path}")
    return candidate


def _nearest_descriptor(folder: Path) -> Path | None:
    """The datapackage.json of the nearest folder above, as git finds its repository from any
    subfolder; the search stops at the top of a git checkout."""
    for parent in folder.resolve().parents:
        if (parent / DESCRIPTOR).is_file():
            return parent / DESCRIPTOR
        if (parent / ".git").exists():
            return None
    return None
