"""The reading policy: one rule for what a command may do with a package it has read.

Reading yields the tables and the reading problems (read/load.load_package); what those problems
mean for a command is decided here, from each code's effect in the registry (problems/codes.EFFECTS), and
nowhere else:

- `readable`: the data as read is the data as written (cells that failed their type are kept as
  their text). For commands that compare or extend a package without publishing it: diff (both
  sides), the old side of a release, lineage, `--against`, extract, add-source, add and
  dictionary. open_readable() reads a package under this need.
- `valid`: no error of any kind. For commands that publish: build, site, and the new side of a
  release. Knowing that takes every check, so those commands ask the check layer
  (check/validate.load_valid), which applies require() here to its report: reading never runs
  a check.

`claims validate` keeps the whole report and needs no policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from ..errors import UsageError
from ..problems.codes import CODES, EFFECTS
from ..problems.report import Problem, Report
from .load import load_package
from .model import LoadedPackage
from .resolve import package_folder

Need = Literal["readable", "valid"]
BLOCKING_EFFECTS = ("unreadable", "lost")


def blocking(report: Report, need: Need) -> set[str]:
    """The codes in report that keep a command with this need from trusting the package."""
    if need == "valid":
        return {c for c in report.counts if CODES[c].severity == "error"}
    return {c for c in report.counts if EFFECTS[c] in BLOCKING_EFFECTS}


def _detail(problems: list[Problem], codes: set[str]) -> str:
    shown = [p for p in problems if p.code in codes][:5]
    return "; ".join(f"{p.file}" + (f" row {p.row}" if p.row else "") + f": {p.code}: {p.message}" for p in shown)


def require(package: LoadedPackage | None, report: Report, need: Need, what: str) -> LoadedPackage:
    """The package, or a UsageError that says what keeps it from being trusted."""
    codes = blocking(report, need)
    if package is None or codes:
        detail = _detail(report.problems, codes) or ", ".join(sorted(codes)) or "no readable descriptor"
        if need == "valid":
            raise UsageError(f"{what} is invalid ({report.error_count} errors; {detail}): run `claims validate`")
        raise UsageError(f"{what} cannot be read without losing data: {detail} (run `claims validate` on it)")
    return package


def read_folder(path: Path, what: str = "the package") -> LoadedPackage:
    """The package in a folder (or its datapackage.json, found from a subfolder too), read whole,
    or a UsageError that names what reading left out. No seed file is read."""
    report = Report(limit=20)
    return require(load_package(path, report, seeds=False), report, "readable", what)


@contextmanager
def open_readable(spec: str | Path, what: str = "the package", repo: Path | None = None) -> Iterator[LoadedPackage]:
    """The package spec names (folder, descriptor, zip, release name, git ref), read whole, or a
    UsageError that names what reading left out. A zip or a ref is unpacked into a temporary
    folder that lives as long as the with block; a folder is read where it is (from a subfolder
    too). No seed file is read: comparing and extending a package never needs them."""
    path = Path(spec)
    if path.is_dir() or path.name == "datapackage.json":
        yield read_folder(path, what)
        return
    with package_folder(str(spec), repo) as folder:
        yield read_folder(folder, what)
