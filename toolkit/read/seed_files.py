"""The seed files: the archived text of every source, found and checked where they lie.

Finding them is part of reading the package (read/load.load_package calls find_seeds): a seed
path that leaves the package, a missing seed, a file in seeds/ that no source names or that links
outside the package are reading problems. Hashing them is a check (check/seed_hashes.py), run in
validate's background thread.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from ..core.paths import is_remote, resolve_inside
from ..problems.report import Report
from .model import SeedFiles, Table


def find_seeds(report: Report, root: Path, sources: Table | None) -> SeedFiles:
    """Each source's seed file: paths inside the package, files that exist, files no source names."""
    found = SeedFiles()
    referenced: set[Path] = set()
    if sources is None or not {"source_id", "seed_path", "seed_sha256"} <= set(sources.frame.columns):
        return found
    found.file = sources.file
    f = sources.frame
    for i, (sid, rel, digest) in enumerate(zip(f["source_id"], f["seed_path"], f["seed_sha256"], strict=False)):
        if pd.isna(sid) or pd.isna(rel):
            continue
        row, line = int(sources.rows[i]), int(sources.lines[i])
        path = None if ".." in re.split(r"[/\\]", rel) or is_remote(rel) else resolve_inside(root, rel)
        if path is None:
            report.add(
                "path-outside-package",
                sources.file,
                f"seed_path {rel!r} leaves the package.",
                row=row,
                column="seed_path",
                value=rel,
                line=line,
            )
            continue
        referenced.add(path)
        if not path.is_file():
            report.add(
                "seed-missing",
                sources.file,
                f"The seed file {rel} does not exist.",
                row=row,
                column="seed_path",
                value=rel,
                line=line,
            )
            continue
        if not pd.isna(digest):
            found.to_hash.append((row, line, rel, digest, path))
        found.texts[sid] = path
    _check_seed_folder(report, root, referenced)
    return found


def _check_seed_folder(report: Report, root: Path, referenced: set[Path]) -> None:
    """Every entry of seeds/: a link that leads out of the package is an error (a release would
    publish whatever it points at, a private key as easily as an article); a file no source
    names is a warning, whatever its extension."""
    seeds_dir = resolve_inside(root, "seeds")
    if seeds_dir is None or not seeds_dir.is_dir():
        return
    known = {str(p) for p in referenced}  # strings: ten thousand Path objects cost a third of a second
    top = str(seeds_dir.parent)
    pending = [str(seeds_dir)]
    while pending:
        with os.scandir(pending.pop()) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            rel = os.path.relpath(entry.path, top).replace(os.sep, "/")
            if entry.is_symlink():
                if resolve_inside(root, rel) is None:
                    report.add(
                        "path-outside-package",
                        rel,
                        f"{rel} is a symbolic link to {os.path.realpath(entry.path)}, outside the package.",
                        value=rel,
                        hint="Delete the link; archive the document itself under seeds/ (claims add-source does it).",
                    )
                    continue
                if entry.is_file() and os.path.realpath(entry.path) not in known and entry.path not in known:
                    report.add("seed-unreferenced", rel, f"No source refers to {rel}.", value=rel)
            elif entry.is_dir():
                pending.append(entry.path)
            elif entry.path not in known:
                report.add("seed-unreferenced", rel, f"No source refers to {rel}.", value=rel)
