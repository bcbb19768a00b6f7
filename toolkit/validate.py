"""validate_package(path) -> Report: every check, every run, every problem collected."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from . import hygiene, provenance, rules
from .against import check_against
from .constraints import check_constraints
from .locate import package_folder
from .package import DESCRIPTOR, LoadedPackage, RemoteFiles, load_package
from .problems import Report

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
    against: str | None = None,
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
    return report


def run_checks(
    package: LoadedPackage, report: Report, *, against: str | None = None, today: dt.date | None = None
) -> None:
    """Every check after loading, in a fixed order, all problems into report.

    Seed hashing, text hygiene and the parsing of wordings run in a second thread from the
    start: hashing and pyarrow's regex kernels release the GIL and allocate little, so they
    overlap the Python-bound checks (pandera, the quote search) on a second core without raising
    peak memory. The thread writes its own report, merged at the end.
    """
    background = Report(limit=report.limit)
    claims = package.tables.get("claims")
    seeds = provenance.find_seeds(report, package)
    # one worker: the background tasks run one after another, so they can share one report
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims-background") as pool:
        hashed = pool.submit(provenance.check_seed_hashes, background, seeds)
        hygiene_done = pool.submit(hygiene.check_text, background, package)
        wordings = (
            pool.submit(provenance.parse_wordings, claims.frame["wording"])
            if claims is not None and "wording" in claims.frame.columns
            else None
        )
        _check_in_order(package, report, today, seeds, wordings)
        hashed.result()
        hygiene_done.result()
    report.extend(background)
    if against:
        check_against(report, package, against)


def _check_in_order(
    package: LoadedPackage,
    report: Report,
    today: dt.date | None,
    seeds: provenance.SeedFiles,
    wordings: Future[pd.DataFrame] | None,
) -> None:
    for name in REQUIRED_RESOURCES:
        if name not in package.tables and not any(
            isinstance(r, dict) and r.get("name") == name for r in package.descriptor["resources"]
        ):
            report.add("resource-missing", DESCRIPTOR, f"The package has no {name!r} resource.")
    for table in package.tables.values():
        check_constraints(table.frame, table.schema, table.file, table.rows, table.lines, report, table.invalid)
    rules.check_foreign_keys(report, package)
    rules.check_future_dates(report, package, today or dt.date.today())
    claims = package.tables.get("claims")
    if claims is not None:
        rules.check_bounds(report, claims)
        rules.check_period(report, claims)
        rules.check_supersedes(report, claims)
        rules.check_status_reason(report, claims)
        rules.check_cumulative(report, claims)
        rules.check_contradictions(report, claims)
        if "metrics" in package.tables:
            rules.check_units(report, claims, package.tables["metrics"])
    if claims is not None:
        provenance.check_quotes(report, claims, seeds.texts)
        provenance.check_wording(report, claims, wordings.result() if wordings is not None else None)
