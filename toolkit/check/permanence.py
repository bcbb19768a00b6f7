"""Checks against the previous release: claim IDs are forever.

A journalist who cited C0042 must find C0042 in every later release, meaning the same figure.
So a claim may be corrected, retracted or superseded, but never removed, and its ID never given
to another figure. A figure's identity is its source, its quote and its wording (the number
phrase in the quote): those never change; its numbers, metric or claimant may be corrected.
"""

from __future__ import annotations

from contextlib import ExitStack

import numpy as np

from ..compare.diff import diff_loaded
from ..core.arrow import isin
from ..errors import UsageError
from ..problems.report import DESCRIPTOR, Report
from ..read.model import LoadedPackage, Table
from ..read.policy import open_readable
from ..repo.release_record import ShallowHistory
from .registry import Context, layer

# last: a comparison with another state means something only when reading lost nothing, which
# every other layer must have had its say on
PERMANENCE = layer("earlier states", order=80, last=True)
IDENTITY = ("source_id", "quote", "wording")


@PERMANENCE.check("claim-id-removed", "claim-id-reused", "against-unreadable", "version-not-bumped")
def check_previous_states(ctx: Context, report: Report) -> None:
    """Against each previous state named (a base branch, the last release): a problem found
    against two of them is reported once."""
    if ctx.against and not ctx.whole:
        report.notices.append(
            f"Not compared with {', '.join(ctx.against)}: reading this package left rows, columns or files out "
            "(the errors above); fix them first."
        )
        return
    if len(ctx.against) == 1:
        check_against(report, ctx.package, ctx.against[0])
        return
    seen: set[tuple] = set()
    for spec in ctx.against:
        found = Report(limit=report.limit)
        check_against(found, ctx.package, spec)
        for p in found.problems:
            place = (p.code, p.file, p.row, p.column) if p.code != "version-not-bumped" else (p.code,)
            if place not in seen:
                seen.add(place)
                report.add(
                    p.code, p.file, p.message, row=p.row, column=p.column, value=p.value, hint=p.hint, line=p.line
                )


def _major(version: object) -> int | None:
    parts = str(version).split(".")
    return int(parts[0]) if len(parts) == 3 and all(p.isdigit() for p in parts) else None


def check_version(report: Report, old: LoadedPackage, new: LoadedPackage, against: str) -> None:
    """A change that breaks users' code (a field removed, a type or key changed, a constraint
    narrowed, rows of a table removed) ships only as a new major version: datapackage.json must
    say so before it is merged. Removed claims are not counted here: they are never allowed
    (claim-id-removed), whatever the version."""
    diff = diff_loaded(old, new, against, "this package")
    breaking = [f"{m.scope} {m.what} {m.name}" for m in diff.meta if m.kind == "breaking"]
    breaking += [
        f"{name}: {len(r.removed)} row(s) removed"
        for name, r in diff.resources.items()
        if r.removed and name != "claims"
    ]
    if not breaking:
        return
    old_major, new_major = _major(old.descriptor.get("version")), _major(new.descriptor.get("version"))
    if old_major is not None and new_major is not None and new_major > old_major:
        return
    wanted = f"{old_major + 1}.0.0" if old_major is not None else "a new major version"
    report.add(
        "version-not-bumped",
        DESCRIPTOR,
        f"This change breaks users' code compared with {against} ({'; '.join(breaking[:5])}), but datapackage.json "
        f"says version {new.descriptor.get('version')!r}, not a new major version.",
        column="version",
        value=str(new.descriptor.get("version")),
        hint=f'Set "version" in datapackage.json to {wanted} and say in CHANGELOG.md what users must change; '
        "or make the change without breaking (add a field instead of renaming one, widen instead of narrowing).",
    )


def check_against(report: Report, package: LoadedPackage, against: str) -> None:
    claims = package.tables.get("claims")
    if claims is None:
        return
    with ExitStack() as stack:
        try:
            old = stack.enter_context(open_readable(against, against, package.root))
        except ShallowHistory:
            raise  # not a problem of the data: the clone must fetch its history (exit 2, with the fix)
        except UsageError as exc:
            report.add("against-unreadable", against, str(exc), value=against)
            return
        if "claims" not in old.tables:
            report.add("against-unreadable", against, f"{against} has no readable claims table.", value=against)
            return
        check_version(report, old, package, against)
        _check_ids(report, old.tables["claims"], claims, against)


def _check_ids(report: Report, old_claims: Table, claims: Table, against: str) -> None:
    """No claim ID of the previous state is gone, and none names another figure now."""
    before = old_claims.frame.drop_duplicates("claim_id").set_index("claim_id")
    now = claims.frame
    gone = before.index[~isin(before.index.to_series(), now["claim_id"]).to_numpy()]
    for claim_id in gone:
        report.add(
            "claim-id-removed",
            claims.file,
            f"{claim_id} is in {against} but not here.",
            column="claim_id",
            value=claim_id,
        )
    cols = [c for c in IDENTITY if c in before.columns and c in now.columns]
    if not cols:
        return
    common = isin(now["claim_id"], before.index.to_series()).to_numpy()
    idx = np.flatnonzero(common)
    old_ident = before.loc[now["claim_id"].iloc[idx], cols].reset_index(drop=True)
    new_ident = now[cols].iloc[idx].reset_index(drop=True)
    changed = ~((old_ident == new_ident) | (old_ident.isna() & new_ident.isna())).all(axis=1)
    where = idx[changed.to_numpy()]
    shown = where[: report.room()]
    report.add_many(
        "claim-id-reused",
        claims.file,
        claims.rows[where],
        column="claim_id",
        values=list(now["claim_id"].iloc[shown]),
        message=[
            f"{now['claim_id'].iloc[i]} named a different figure in {against} (its {' or '.join(cols)} changed)."
            for i in shown
        ],
        lines=claims.lines[where],
    )
