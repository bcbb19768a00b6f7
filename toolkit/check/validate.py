"""validate_package(path) -> Report: every check, every run, every problem collected.

The checks themselves are declared in the other modules of check/ (check/registry.py); this
module reads the package, runs the declared layers in order and names the rows of the problems.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..problems.report import Report
from ..read.descriptor import RemoteFiles
from ..read.load import load_package
from ..read.model import LoadedPackage
from ..read.policy import blocking, require
from ..read.resolve import package_folder
from .provenance import parse_wordings
from .registry import Context, layers


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


def run_checks(
    package: LoadedPackage,
    report: Report,
    *,
    against: str | Sequence[str] | None = None,
    today: dt.date | None = None,
) -> None:
    """Every check layer after loading (check/registry.layers), in order, all problems into report.

    The background layers (seed hashing, text hygiene) and the parsing of wordings run in a
    second thread from the start: hashing and pyarrow's regex kernels release the GIL and
    allocate little, so they overlap the Python-bound layers (pandera, the quote search) on a
    second core without raising peak memory. The thread writes its own report, merged after the
    other layers; the layers declared last run after that, with everything known.
    """
    specs = (against,) if isinstance(against, str) else tuple(against or ())
    ctx = Context(
        package=package, today=today or dt.date.today(), against=specs, whole=not blocking(report, "readable")
    )
    declared = layers()
    background = Report(limit=report.limit)
    # one worker: the background tasks run one after another, so they can share one report
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-background") as pool:
        done = [pool.submit(layer.run, ctx, background) for layer in declared if layer.background]
        claims = ctx.claims
        if claims is not None and "wording" in claims.frame.columns:
            ctx.wordings = pool.submit(parse_wordings, claims.frame["wording"])
        for layer in declared:
            if not layer.background and not layer.last:
                layer.run(ctx, report)
        for future in done:
            future.result()
    report.extend(background)
    for layer in declared:
        if layer.last:
            layer.run(ctx, report)


def load_valid(path: Path, what: str = "the package") -> LoadedPackage:
    """The package in a folder (or its datapackage.json) when it has no error at all, for the
    commands that publish it (build, site, release); a UsageError naming the errors otherwise."""
    report = Report(limit=20)
    package = load_package(path, report)
    if package is not None:
        run_checks(package, report)
    return require(package, report, "valid", what)
