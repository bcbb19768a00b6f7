"""check_contribution(root, base) -> CheckResult: the one gate a change passes before it is merged.

CI, the pre-commit hook and a contributor run the same thing: every validation layer, against the
base branch and against the last release (claim IDs never removed or reused, a breaking change
only with a new major version), and the diff of what the change does. It fails on any error.
Rendering (text, Markdown for the pull-request comment, GitHub annotations, JSON) is in
contribute/render.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..check.validate import validate_package
from ..compare.diff import diff_packages
from ..compare.diff_model import PackageDiff
from ..core.paths import find_descriptor
from ..errors import UsageError
from ..problems.report import Report
from ..read.policy import read_folder
from ..repo.git import is_repository, resolve_commit
from ..repo.release_record import ShallowHistory, find_releases, is_release_name, proven, resolve_release
from ..upstream.freshness import series_states


@dataclass
class CheckResult:
    base: str
    report: Report
    diff: PackageDiff
    against: list[str] = field(default_factory=list)  # what the IDs were checked against
    warnings: list[str] = field(default_factory=list)  # the package's state, not this change: a stale series

    @property
    def ok(self) -> bool:
        return self.report.valid


def check_contribution(path: Path | str, base: str, today: dt.date | None = None) -> CheckResult:
    """Validate the package at path against base (a git ref, release name, folder or zip) and the
    last release the history records, and diff it against base.

    Raises UsageError when base cannot be read without losing data (the diff needs it whole).
    """
    root = find_descriptor(Path(path)).parent
    against = [base]
    if is_repository(root):
        releases = find_releases(root)
        if releases:
            last = proven(releases[-1])  # in a shallow clone the cut can pass for the release
            try:
                commit = resolve_release(root, base).commit if is_release_name(base) else resolve_commit(root, base)
            except ShallowHistory:
                raise
            except UsageError:  # a folder or zip, not a ref: check the release too
                commit = None
            same = commit == last.commit
            if not same:
                against.append(last.tag)
    today = today or dt.date.today()
    report = validate_package(root, against=against, today=today)
    diff = diff_packages(base, str(root), repo=root)
    result = CheckResult(base, report, diff, against)
    if report.valid:  # how current a series is, once the package can be read whole
        result.warnings = [s.warning() for s in series_states(read_folder(root), today) if s.stale]
    return result
