"""A cache of validation reports, keyed on the bytes of everything the result depends on.

Importing pandas, pandera, pyarrow and frictionless costs half a second before any check runs;
for a small package that is most of `claims validate`, paid on every commit by the pre-commit
hook and again in CI. When nothing that decides the result has changed, the report is the same,
so it is kept in a file named by a SHA-256 over: this cache's format, the toolkit's own source,
the versions of the libraries it checks with, the options, the environment variables it notes and
today's date, and every input of the validation (the descriptor, each resource's file, schema and
dialect, the seeds the sources name, everything in seeds/: name, real location after links, and
bytes). Nothing here imports a data library. It never answers when it cannot be sure: remote
resources, --against, an unreadable input or inputs over CACHE_MAX_BYTES mean no cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from ..core.json_reader import read_json

FORMAT = 1
CACHE_MAX_BYTES = 50_000_000  # above this the imports are a small part of the run
KEEP = 200  # reports kept; a few kilobytes each
LIBRARIES = ("pandas", "pandera", "pyarrow", "frictionless", "numpy")
ENVIRONMENT = ("PANDERA_VALIDATION_ENABLED", "PANDERA_VALIDATION_DEPTH")


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "war-claims" / "validate"


def enabled() -> bool:
    return os.environ.get("CLAIMS_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


TOOLKIT = Path(__file__).resolve().parent.parent  # every layer decides the report, not only the command line


def _toolkit_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(TOOLKIT.rglob("*.py")):
        digest.update(path.relative_to(TOOLKIT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


class _Uncachable(Exception):
    pass


def _add_file(digest: Any, root: Path, rel: str, budget: list[int]) -> None:
    """A file the result depends on: its name, where it really is (links included) and its bytes."""
    path = os.path.join(root, rel)
    digest.update(b"P" + rel.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(os.path.realpath(path).encode("utf-8", "surrogateescape") + b"\0")
    if not os.path.isfile(path):
        digest.update(b"missing\0")
        return
    try:
        with open(path, "rb") as handle:
            data = handle.read(budget[0] + 1)
    except OSError as exc:
        raise _Uncachable from exc
    budget[0] -= len(data)
    if budget[0] < 0:
        raise _Uncachable
    digest.update(hashlib.sha256(data).digest())


def _package_digest(root: Path) -> str | None:
    """SHA-256 over every input of a validation: the descriptor, each resource's file, schema and
    dialect, the seeds the sources name, and everything in seeds/; None when the inputs cannot be
    told for sure (an unreadable descriptor, a remote path) or are too large to be worth it."""
    import csv

    digest = hashlib.sha256()
    budget = [CACHE_MAX_BYTES]
    try:
        _add_file(digest, root, "datapackage.json", budget)
        descriptor = read_json(root / "datapackage.json")
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        if not isinstance(resources, list):
            return None
        for resource in resources:
            if not isinstance(resource, dict):
                return None
            for key in ("path", "schema", "dialect"):
                value = resource.get(key)
                if isinstance(value, str):
                    if "://" in value:
                        return None
                    _add_file(digest, root, value, budget)
            if resource.get("name") == "sources" and isinstance(resource.get("path"), str):
                path = root / resource["path"]
                if path.is_file():
                    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                        for row in csv.DictReader(handle):
                            seed = row.get("seed_path")
                            if seed and "://" not in seed:
                                _add_file(digest, root, seed, budget)
        seeds = root / "seeds"
        for folder, dirs, files in os.walk(seeds):
            dirs.sort()
            for name in sorted(dirs + files):
                _add_file(digest, root, os.path.relpath(os.path.join(folder, name), root), budget)
    except (_Uncachable, OSError, ValueError):  # JSONUnreadable is a ValueError
        return None
    return digest.hexdigest()


def cache_key(root: Path, options: dict[str, Any]) -> str | None:
    package = _package_digest(root)
    if package is None:
        return None
    env = {name: os.environ.get(name) for name in ENVIRONMENT}
    head = json.dumps(
        {"format": FORMAT, "toolkit": _toolkit_digest(), "options": options, "env": env, "today": str(dt.date.today())},
        sort_keys=True,
    )
    return hashlib.sha256(head.encode() + package.encode()).hexdigest()


def load(key: str) -> dict[str, Any] | None:
    try:
        return read_json(cache_folder() / f"{key}.json")
    except ValueError:  # JSONUnreadable: missing, cut short, anything
        return None


def store(key: str, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written is no cache, never an error."""
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, folder / f"{key}.json")
        kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP]:  # the oldest reports beyond KEEP go: the cache never grows without end
            old.unlink(missing_ok=True)
    except OSError:
        return
