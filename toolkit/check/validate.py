"""validate_package(path) -> Report: every check, every run, every problem collected."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..problems.report import DESCRIPTOR, Report
from ..read.descriptor import RemoteFiles
from ..read.load import load_package
from ..read.model import LoadedPackage, Table
from ..read.policy import blocking, require
from ..read.resolve import package_folder
from . import hygiene, provenance
from . import row_logic as rules
from .constraints import check_constraints
from .permanence import check_against
from .seed_hashes import check_seed_hashes

REQUIRED_RESOURCES = ("claims", "sources", "claimants", "metrics")


def _environment_notices() -> list[str]:
    notices = []
    enabled = os.environ.get("PANDERA_VALIDATION_ENABLED")
    if enabled is not None and enabled.strip().lower() in ("0", "false", "no", "off"):
        notices.append(
            "PANDERA_VALIDATION_ENABLED is off in the environment; claims validate ignores it and runs every check."
        )
    depth = os.environ.get("PANDERA_VALIDATION_DEPTH")
    if depth is not None and depth.strip().upper() != "SCHEMA_AND_DATA":
        notices.append(f"PANDERA_VALIDATION_DEPTH={depth} is ignored; claims validate checks schema and data.")
    return notices


def validate_package(
    path: Path | str = ".",
    *,
    against: str | Sequence[str] | None = None,
    today: dt.date | None = None,
    limit: int = 1000,
    allow_remote: bool = False,
) -> Report:
    """Validate the package at path (a folder, its datapackage.json or a release zip).

    Raises UsageError only when there is no package to validate; everything wrong inside the
    package is a problem in the returned report. Resources given as http(s) URLs are fetched
    only with allow_remote.
    """
    report = Report(limit=limit)
    report.notices.extend(_environment_notices())
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="claims-remote-"))
        remote = RemoteFiles(Path(tmp)) if allow_remote else None
        if Path(path).is_file() and Path(path).suffix.lower() == ".zip":  # a release download
            path = stack.enter_context(package_folder(str(path)))
        package = load_package(Path(path), report, remote)
        if package is not None:
            run_checks(package, report, against=against, today=today)
            name_rows(report, package)
    return report


def _choices(package: LoadedPackage) -> dict[tuple[str, str], str]:
    """(file, column) -> 'one of: a, b, c (data/x.csv)' for single-field foreign keys, so a
    contributor sees the IDs that exist instead of opening another file."""
    out = {}
    for table in package.tables.values():
        for fk in table.schema.foreign_keys:
            target = package.tables.get(fk["resource"] or table.name)
            if len(fk["fields"]) != 1 or target is None or fk["reference_fields"][0] not in target.frame.columns:
                continue
            if not 0 < len(target.frame) <= 30:  # a long list helps nobody; the nearest ID does
                continue
            ids = target.frame[fk["reference_fields"][0]].dropna().astype(str).tolist()
            out[(table.file, fk["fields"][0])] = f"one of: {', '.join(ids)} ({target.file})"
    return out


def name_rows(report: Report, package: LoadedPackage) -> None:
    """Give each kept problem on a table row the row's primary key (C0008): a contributor looks
    for the claim, not for the 8th line of a file. An empty or unknown reference also lists the
    IDs it can take."""
    keyed = {}
    for table in package.tables.values():
        if len(table.schema.primary_key) == 1 and table.schema.primary_key[0] in table.frame.columns:
            keyed[table.file] = table
    choices = _choices(package) if report.problems else {}
    named = []
    for p in report.problems:
        table = keyed.get(p.file)
        if table is not None and p.row is not None and p.key is None:
            i = int(np.searchsorted(table.rows, p.row))
            if i < len(table.rows) and table.rows[i] == p.row:
                key = table.frame[table.schema.primary_key[0]].iloc[i]
                if isinstance(key, str):
                    p = replace(p, key=key)
        allowed = choices.get((p.file, p.column or ""))
        if allowed and p.code in ("constraint-required", "foreign-key") and "Did you mean" not in p.hint:
            p = replace(p, hint=f"{p.hint} It takes {allowed}.")
        named.append(p)
    report.problems = named


@dataclass
class Context:
    """What the check layers read: the loaded package, the day that counts as today, the release
    to compare with, and the parsed wordings (a future: parsed in the background thread)."""

    package: LoadedPackage
    today: dt.date
    against: Sequence[str] = ()
    wordings: Future[pd.DataFrame] | None = None
    whole: bool = True  # reading lost nothing (read/policy.blocking): comparisons with other states make sense

    @property
    def claims(self) -> Table | None:
        return self.package.tables.get("claims")


@dataclass(frozen=True)
class Layer:
    """One group of checks: its name, the function that runs it, and the only codes it may emit
    (tests/test_validate.py holds every layer to its codes and every code to one layer)."""

    name: str
    run: Callable[[Context, Report], None]
    codes: frozenset[str]
    background: bool = False  # runs in the second thread: releases the GIL, allocates little


def _resources(ctx: Context, report: Report) -> None:
    declared = {r.get("name") for r in ctx.package.descriptor["resources"] if isinstance(r, dict)}
    for name in REQUIRED_RESOURCES:
        if name not in ctx.package.tables and name not in declared:
            report.add("resource-missing", DESCRIPTOR, f"The package has no {name!r} resource.")


def _constraints(ctx: Context, report: Report) -> None:
    for table in ctx.package.tables.values():
        check_constraints(table.frame, table.schema, table.file, table.rows, table.lines, report, table.invalid)


def _row_logic(ctx: Context, report: Report) -> None:
    rules.check_future_dates(report, ctx.package, ctx.today)
    claims = ctx.claims
    if claims is None:
        return
    for check in (
        rules.check_bounds,
        rules.check_period,
        rules.check_supersedes,
        rules.check_status_reason,
        rules.check_drafts,
        rules.check_cumulative,
        rules.check_contradictions,
    ):
        check(report, claims)
    rules.check_percent(report, claims)
    if "metrics" in ctx.package.tables:
        rules.check_units(report, claims, ctx.package.tables["metrics"])


def _quotes_and_wordings(ctx: Context, report: Report) -> None:
    if ctx.claims is not None:
        provenance.check_quotes(report, ctx.claims, ctx.package.seeds.texts)
        provenance.check_wording(report, ctx.claims, ctx.wordings.result() if ctx.wordings is not None else None)


def _against(ctx: Context, report: Report) -> None:
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


def _codes(*names: str) -> frozenset[str]:
    return frozenset(names)


LAYERS: tuple[Layer, ...] = (
    Layer("package", _resources, _codes("resource-missing")),
    Layer(
        "constraints",
        _constraints,
        _codes(
            "constraint-required",
            "constraint-unique",
            "constraint-enum",
            "constraint-minimum",
            "constraint-maximum",
            "constraint-pattern",
            "constraint-length",
            "format-uri",
        ),
    ),
    Layer(
        "references",
        lambda ctx, r: rules.check_foreign_keys(r, ctx.package),
        _codes("foreign-key", "foreign-key-invalid"),
    ),
    Layer(
        "row logic",
        _row_logic,
        _codes(
            "date-in-future",
            "bounds-order",
            "qualifier-bounds",
            "period-order",
            "supersedes-self",
            "supersedes-status",
            "superseded-orphan",
            "status-without-reason",
            "draft-unfinished",
            "cumulative-decrease",
            "claims-contradict",
            "unit-metric-mismatch",
            "percent-out-of-range",
        ),
    ),
    Layer(
        "seed hashes",
        lambda ctx, r: check_seed_hashes(r, ctx.package.seeds),
        _codes("seed-hash-mismatch"),
        background=True,
    ),
    Layer(
        "provenance",
        _quotes_and_wordings,
        _codes(
            "quote-not-in-seed",
            "quote-normalised-match",
            "wording-not-in-quote",
            "wording-unparsed",
            "wording-value-mismatch",
        ),
    ),
    Layer(
        "text hygiene",
        lambda ctx, r: hygiene.check_text(r, ctx.package),
        _codes("text-control-char", "text-invisible-char", "text-not-nfc", "text-whitespace", "text-formula"),
        background=True,
    ),
    Layer(
        "against", _against, _codes("claim-id-removed", "claim-id-reused", "against-unreadable", "version-not-bumped")
    ),
)
"""The check layers, in the order they report. Reading (read/load.load_package, with the seed
files) comes before them and has the codes no layer names."""


def run_checks(
    package: LoadedPackage,
    report: Report,
    *,
    against: str | Sequence[str] | None = None,
    today: dt.date | None = None,
) -> None:
    """Every check layer after loading, in a fixed order, all problems into report.

    The background layers (seed hashing, text hygiene) and the parsing of wordings run in a
    second thread from the start: hashing and pyarrow's regex kernels release the GIL and
    allocate little, so they overlap the Python-bound layers (pandera, the quote search) on a
    second core without raising peak memory. The thread writes its own report, merged at the end.
    """
    specs = (against,) if isinstance(against, str) else tuple(against or ())
    ctx = Context(package, today or dt.date.today(), specs, whole=not blocking(report, "readable"))
    background = Report(limit=report.limit)
    # one worker: the background tasks run one after another, so they can share one report
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-background") as pool:
        done = [pool.submit(layer.run, ctx, background) for layer in LAYERS if layer.background]
        claims = ctx.claims
        if claims is not None and "wording" in claims.frame.columns:
            ctx.wordings = pool.submit(provenance.parse_wordings, claims.frame["wording"])
        for layer in LAYERS:
            if not layer.background and layer.name != "against":
                layer.run(ctx, report)
        for future in done:
            future.result()
    report.extend(background)
    _against(ctx, report)


def load_valid(path: Path, what: str = "the package") -> LoadedPackage:
    """The package in a folder (or its datapackage.json) when it has no error at all, for the
    commands that publish it (build, site, release); a UsageError naming the errors otherwise."""
    report = Report(limit=20)
    package = load_package(path, report)
    if package is not None:
        run_checks(package, report)
    return require(package, report, "valid", what)
