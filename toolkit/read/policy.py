"""One rule for reading a package, in every command.

Reading yields the tables and the reading problems (read/load.load_package); what those problems
mean for a command is decided here, from each code's effect in the registry (problems/codes.EFFECTS), and
nowhere else:

- `readable`: the data as read is the data as written (cells that failed their type are kept as
  their text). For commands that compare or extend a package without publishing it: diff (both
  sides), the old side of a release, lineage, `--against`, extract, add-source, add and
  dictionary.
- `valid`: no error of any kind. For commands that publish: build, site, and the new side of a release.

`claims validate` keeps the whole report and needs no gate.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Literal

from ..errors import UsageError
from ..problems.codes import CODES, EFFECTS
from ..problems.report import Problem, Report
from .load import LoadedPackage, load_package
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


def load_folder(path: Path, need: Need, what: str = "the package") -> LoadedPackage:
    """The package in a folder (or its datapackage.json), through the gate."""
    with ExitStack() as stack:
        return open_package(path, need, what, stack)


def open_package(spec: str | Path, need: Need, what: str, stack: ExitStack, repo: Path | None = None) -> LoadedPackage:
    """Load what spec names (folder, descriptor, zip, release name, git ref) and apply the gate.

    Temporary folders (a zip or a ref unpacked) live as long as stack.
    """
    report = Report(limit=20)
    path = Path(spec)
    local = path.is_dir() or path.name == "datapackage.json"  # found where it is, as from a subfolder
    folder = path if local else stack.enter_context(package_folder(str(spec), repo))
    package = load_package(folder, report, seeds=need == "valid")  # only checking reads the seeds
    if need == "valid" and package is not None:
        from ..check.validate import run_checks

        run_checks(package, report)
    return require(package, report, need, what)
