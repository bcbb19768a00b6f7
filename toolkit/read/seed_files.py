"""The seed files: the archived file of every source (a document's text or a dataset's data
file, with the licence archived beside it), found and checked where they lie.

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

ARCHIVES = {"seed_path": "seed file", "data_path": "data file"}  # a document's text, a dataset's file


def find_seeds(report: Report, root: Path, sources: Table | None) -> SeedFiles:
    """Each source's archived file (the text of a document, the data file of a dataset) and the
    licence archived beside it: paths inside the package, files that exist, files no source names."""
    found = SeedFiles()
    columns = set(sources.frame.columns) if sources is not None else set()
    if sources is None or not {"source_id", "seed_sha256"} <= columns or not columns & set(ARCHIVES):
        return found
    found.file = sources.file
    f = sources.frame
    cells = {c: f[c].tolist() if c in columns else [None] * len(f) for c in (*ARCHIVES, "licence_path")}
    referenced: set[Path] = set()
    for i, (sid, digest) in enumerate(zip(f["source_id"], f["seed_sha256"], strict=True)):
        if pd.isna(sid):
            continue
        place = _Place(report, root, sources.file, int(sources.rows[i]), int(sources.lines[i]))
        named = [c for c in ARCHIVES if not pd.isna(cells[c][i])]
        if len(named) != 1:
            _report_archive_count(place, named)
        for column in named:
            path = place.locate(cells[column][i], column)
            if path is None:
                continue
            referenced.add(path)
            if path.is_file():
                if not pd.isna(digest):
                    found.to_hash.append((place.row, place.line, cells[column][i], digest, path))
                (found.texts if column == "seed_path" else found.data)[sid] = path
        licence = cells["licence_path"][i]
        if not pd.isna(licence) and (path := place.locate(licence, "licence_path")) is not None:
            referenced.add(path)
    _check_seed_folder(report, root, referenced)
    return found


class _Place:
    """One row of the sources table, where a path it names is reported."""

    def __init__(self, report: Report, root: Path, file: str, row: int, line: int) -> None:
        self.report, self.root, self.file, self.row, self.line = report, root, file, row, line

    def add(self, code: str, message: str, column: str, value: str | None, hint: str | None = None) -> None:
        self.report.add(code, self.file, message, row=self.row, column=column, value=value, line=self.line, hint=hint)

    def locate(self, rel: str, column: str) -> Path | None:
        """The file rel names inside the package; None (reported) when it leaves it. A missing file
        is reported too, and its path returned: it is still referenced."""
        path = None if ".." in re.split(r"[/\\]", rel) or is_remote(rel) else resolve_inside(self.root, rel)
        if path is None:
            self.add("path-outside-package", f"{column} {rel!r} leaves the package.", column, rel)
            return None
        if not path.is_file():
            self.add("seed-missing", f"The {ARCHIVES.get(column, 'licence file')} {rel} does not exist.", column, rel)
        return path


def _report_archive_count(place: _Place, named: list[str]) -> None:
    if named:
        message = "The source names both a seed text and a data file; a source is one archived file."
        hint = "Keep seed_path for a document or data_path for a dataset, and split the other into a source of its own."
    else:
        message = "The source names no archived file: neither seed_path (a document) nor data_path (a dataset)."
        hint = "Archive the document with `claims add-source`, or the dataset with `claims import`."
    place.add("source-archive-invalid", message, "data_path" if named else "seed_path", None, hint)


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
