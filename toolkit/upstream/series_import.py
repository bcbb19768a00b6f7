"""import_snapshot and rebuild_series: an upstream series into the package, losing nothing.

`claims import ua-general-staff FOLDER` reads a snapshot of the upstream repository with the
mapping of that name (upstream/mapping.py), judges every record (upstream/snapshot.py), plans
what changes (upstream/plan.py), writes the result into a copy of the package and
validates it there, and only then writes the package's files, all as one change. A refusal at any
step writes nothing. `--rebuild` derives every row of the series again from the archived
snapshots, keeping the IDs they were given, and writes the same bytes when nothing was edited by
hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..check.validate import load_valid, validate_package
from ..core.data_file import is_csv
from ..core.dates import parse_date
from ..core.files import write_all
from ..core.json_pointer import tokens
from ..core.package_lock import Notify, finish_interrupted, package_lock
from ..core.paths import find_descriptor, inside_folder
from ..core.transaction import commit_files
from ..errors import UsageError
from ..problems.report import Report
from ..read.model import LoadedPackage
from ..read.policy import read_folder
from ..read.scratch import scratch_copy
from ..read.table_rows import Minter, TableRows, number
from ..repo.git import git
from .mapping import FileSpec, Mapping, mapping_path, read_mapping
from .plan import (
    ImportPlan,
    ImportProblem,
    ImportRefused,
    Judged,
    Planner,
    claim_cells,
    correction_cells,
    figures,
    source_cells,
)
from .snapshot import DayMismatch, Snapshot, SnapshotFile, read_snapshot

TABLES = ("claims", "sources", "claimants", "metrics", "series_corrections")
COMMIT = re.compile(r"[0-9a-f]{40}")


@dataclass(kw_only=True)
class ImportResult:
    mapping: str
    commit: str
    last_day: dt.date | None
    plan: ImportPlan
    dry_run: bool = False
    day_mismatches: dict[str, list[DayMismatch]] = field(default_factory=dict)  # reported, the dates followed
    repeats: dict[str, list[str]] = field(default_factory=dict)  # a table's rows that repeat another, read once
    baselines: dict[str, int] = field(default_factory=dict)  # a file of tallies: opening zero rows skipped
    heading_mismatches: dict[str, list[str]] = field(default_factory=dict)  # warnings: a heading unlike its row
    total_mismatches: dict[str, list[str]] = field(default_factory=dict)  # warnings: a total unlike its parts
    written: list[str] = field(default_factory=list)  # files written or removed, relative to the package

    @property
    def changed(self) -> bool:
        return self.plan.has_changes


def import_snapshot(
    root: Path,
    name: str,
    folder: Path,
    *,
    commit: str | None = None,
    commit_date: str = "",
    retrieved: str = "",
    today: dt.date | None = None,
    dry_run: bool = False,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> ImportResult:
    """Import the snapshot in folder with the mapping name (import_snapshots, for one)."""
    given = SnapshotGiven(folder=folder, commit=commit, commit_date=commit_date, retrieved=retrieved)
    return import_snapshots(root, name, [given], today=today, dry_run=dry_run, wait=wait, notify=notify)[0]


@dataclass(frozen=True, kw_only=True)
class SnapshotGiven:
    """A snapshot to import and what the person importing says of it."""

    folder: Path
    commit: str | None = None  # None: the folder is a git checkout, its HEAD
    commit_date: str = ""  # "": the checkout's commit date, or unknown
    retrieved: str = ""
    # writes the folder when the import comes to it (a commit of an upstream's history, taken from its
    # mirror: one snapshot on disk at a time); None: the folder is there already
    materialise: Callable[[], Path] | None = None
    # a commit of the upstream's own history, taken in its order: one whose newest day is older than
    # the package's (the compiler removed days) is history, not a snapshot imported out of order
    in_history: bool = False
    # the rows of series_revisions this snapshot brings (upstream/update: figures the commits before
    # it gave otherwise), made once the snapshot's claims are planned, so that each names its claim
    revisions: Callable[[dict[str, TableRows]], list[dict[str, str]]] | None = None


def import_snapshots(
    root: Path,
    name: str,
    snapshots: Sequence[SnapshotGiven],
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> list[ImportResult]:
    """Import snapshots (oldest first) with the mapping name as one change: nothing written when
    anything is wrong (or with dry_run). Holds the package's write lock from reading the tables to
    writing them, so a second import waits (up to wait seconds) or is refused, never interleaved.
    Importing several at once reads and validates the package once, not once per snapshot."""
    root = find_descriptor(Path(root)).parent
    for given in snapshots:
        for option, value in (("--retrieved", given.retrieved), ("--commit-date", given.commit_date)):
            if value and parse_date(value) is None:
                raise UsageError(f"{option} {value!r} is not a day: write YYYY-MM-DD")
        if given.materialise is None and not given.folder.is_dir():
            raise UsageError(
                f"{given.folder} is not a folder: give the folder of a snapshot laid out like the upstream repository"
            )
    day = today or dt.date.today()
    if dry_run:
        finish_interrupted(root, notify)
        return _import(root, name, snapshots, day, dry_run=True)
    with package_lock(root, command=f"import {name}", wait=wait, notify=notify):
        return _import(root, name, snapshots, day, dry_run=False)


def _import(
    root: Path, name: str, snapshots: Sequence[SnapshotGiven], today: dt.date, *, dry_run: bool
) -> list[ImportResult]:
    package = read_folder(root)  # read, not validated: the result is, and a failure says what was there before
    mapping = read_mapping(mapping_path(package.root, name))
    tables = _tables(package, mapping)
    verify_archives(package.root, mapping, tables["sources"])  # before any is read, moved or removed
    results = []
    archive: dict[str, bytes | None] = {}
    changed: set[str] = set()
    judged = Judged()  # what one snapshot judged, so that the next judges only what it changed
    ids = _minters(tables)  # minted once for the run: each snapshot's new IDs follow the last one's
    for given in snapshots:
        folder = given.materialise() if given.materialise is not None else given.folder
        try:
            commit, published = snapshot_commit(folder, given.commit, given.commit_date)
            snapshot = _judged(read_snapshot(folder, mapping, commit, today, commit_date=published))
        finally:
            getattr(given.materialise, "done", lambda: None)()  # its bytes are read: the folder goes
        plan = _plan(
            mapping, snapshot, tables, given.retrieved, published, in_history=given.in_history, judged=judged, ids=ids
        )
        archive |= plan.archive
        changed |= plan.changed
        if given.revisions is not None:
            revisions = given.revisions(tables)
            if revisions and "series_revisions" not in tables:
                tables["series_revisions"] = _revisions_table(package)
            for row in revisions:
                tables["series_revisions"].append(row)
            changed |= {"series_revisions"} if revisions else set()
        results.append(
            ImportResult(
                mapping=mapping.name,
                commit=commit,
                last_day=snapshot.last_day,
                plan=plan,
                dry_run=dry_run,
                day_mismatches={p: f.day_mismatches for p, f in snapshot.files.items() if f.day_mismatches},
                repeats={p: f.repeats for p, f in snapshot.files.items() if f.repeats},
                baselines={p: f.baselines for p, f in snapshot.files.items() if f.baselines},
                heading_mismatches={p: f.heading_mismatches for p, f in snapshot.files.items() if f.heading_mismatches},
                total_mismatches={p: f.total_mismatches for p, f in snapshot.files.items() if f.total_mismatches},
            )
        )
    if (changed or archive) and not dry_run:
        written = _write(package, tables, changed, archive, today, mapping)
        for result in results:
            result.written = written
    return results


def verify_archives(root: Path, mapping: Mapping, sources: TableRows) -> None:
    """Every archived file of the series is the one imported, byte for byte (its recorded SHA-256),
    before an import reads, moves or removes any: an edited archive is refused, never taken as
    the upstream's, and never deleted, so its evidence stays until a person restores it."""
    problems = []
    for row in sources.rows:
        rel = row.get("data_path", "")
        if not rel.startswith(f"{mapping.archive}/") or not row.get("seed_sha256"):
            continue
        try:
            data = inside_folder(root, rel).read_bytes()
        except (OSError, UsageError) as exc:
            message, fix = f"cannot be read ({exc})", f"Restore it as imported: `git checkout -- {rel}`."
        else:
            actual = hashlib.sha256(data).hexdigest()
            if actual == row["seed_sha256"]:
                continue
            message = (
                f"does not match the SHA-256 {row['source_id']} records for it ({row['seed_sha256'][:12]}..., the "
                f"file's {actual[:12]}...): the archive was changed after it was imported"
            )
            fix = (
                f"Restore it as imported (`git checkout -- {rel}`; `git log -p -- {rel}` shows who changed it). "
                "Archived files never change; nothing was imported or deleted."
            )
        problems.append(ImportProblem(file=rel, record=None, field=None, message=message, fix=fix))
    if problems:
        raise ImportRefused(problems, "the package's archive of the series is not as imported")


def snapshot_commit(folder: Path, given: str | None, given_date: str = "") -> tuple[str, str]:
    """The commit the snapshot is of and its date: --commit and --commit-date, or the HEAD of a
    clean git checkout at folder and its committer date (when both are given they must agree). The
    package records the commit with every archived file, and its date as the file's `published`."""
    if given is not None and not COMMIT.fullmatch(given):
        raise UsageError(f"--commit {given!r} is not a commit's full hash (40 lower-case hex digits)")
    head = _checkout_head(folder)
    if head is not None and given is not None and head != given:
        raise UsageError(f"{folder} is a checkout of {head[:12]}, not of --commit {given[:12]}")
    if given is None and head is None:
        raise UsageError(
            f"{folder} is not a git checkout, so name the snapshot's commit with --commit (its full hash): the "
            "package records it with every file it archives"
        )
    date = given_date
    if head is not None:
        date = git(folder, "log", "-1", "--format=%cs", "HEAD").strip()
        if given_date and given_date != date:
            raise UsageError(f"{folder}'s commit {head[:12]} is of {date}, not of --commit-date {given_date}")
    return (given or head), date  # type: ignore[return-value]


def _checkout_head(folder: Path) -> str | None:
    try:
        top = Path(git(folder, "rev-parse", "--show-toplevel").strip())
    except UsageError:
        return None
    if top.resolve() != folder.resolve():
        return None  # a folder inside some other repository (a test fixture, say) is no checkout of its own
    if git(folder, "status", "--porcelain").strip():
        raise UsageError(f"{folder} has uncommitted changes: its files are not those of its commit")
    return git(folder, "rev-parse", "HEAD").strip()


def _judged(snapshot: Snapshot) -> Snapshot:
    if snapshot.problems:
        raise ImportRefused(snapshot.problems)
    return snapshot


def _revisions_table(package: LoadedPackage) -> TableRows:
    if "series_revisions" not in package.tables:
        raise UsageError(
            "the package declares no series_revisions resource, where an update records the figures an upstream's "
            "commits gave and later changed (declare it in datapackage.json with schemas/series_revisions.schema.json)"
        )
    return TableRows.read(package, "series_revisions")


def _tables(package: LoadedPackage, mapping: Mapping) -> dict[str, TableRows]:
    needed = [n for n in TABLES if n != "series_corrections" or any(f.corrections for f in mapping.files)]
    missing = [n for n in needed if n not in package.tables]
    if missing:
        raise UsageError(
            f"the package declares no {' or '.join(missing)} resource, which the mapping {mapping.name} needs "
            "(declare it in datapackage.json with its schema in schemas/)"
        )
    return {n: TableRows.read(package, n) for n in needed} | (
        {}
        if "series_corrections" in needed
        else {"series_corrections": TableRows(name="", file="", header=[], rows=[])}
    )


def _plan(
    mapping: Mapping,
    snapshot: Snapshot,
    tables: dict[str, TableRows],
    retrieved: str,
    published: str,
    *,
    in_history: bool = False,
    judged: Judged | None = None,
    ids: tuple[Minter, Minter] | None = None,
) -> ImportPlan:
    """The snapshot planned over the tables as the last one left them (applied to them in place),
    new IDs minted after every ID the tables hold."""
    return Planner(
        mapping,
        snapshot,
        tables,
        retrieved=retrieved,
        published=published,
        in_history=in_history,
        judged=judged,
        claim_ids=(ids or _minters(tables))[0],
        source_ids=(ids or _minters(tables))[1],
    ).run()


def _minters(tables: dict[str, TableRows]) -> tuple[Minter, Minter]:
    return (
        Minter("C", (r["claim_id"] for r in tables["claims"].rows)),
        Minter("S", (r["source_id"] for r in tables["sources"].rows)),
    )


def _writes(
    root: Path, tables: dict[str, TableRows], changed: set[str], archive: dict[str, bytes | None]
) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {tables[n].file: tables[n].to_bytes() for n in sorted(changed)}
    for rel, data in archive.items():
        inside_folder(root, rel)  # never through a link out of the package
        out[rel] = data
    return out


def _write(
    package: LoadedPackage,
    tables: dict[str, TableRows],
    changed: set[str],
    archive: dict[str, bytes | None],
    today: dt.date,
    mapping: Mapping | None = None,
) -> list[str]:
    """Validate the result in a copy of the package, then write it into the package as one change."""
    writes = _writes(package.root, tables, changed, archive)
    with scratch_copy(package) as copy:
        write_all({copy / rel: data for rel, data in writes.items()})
        report = validate_package(copy, today=today)
    if not report.valid:
        _refuse(package.root, report, today, _upstream_places(tables, mapping))
    return commit_files(package.root, writes)  # tables and archives as one change, journalled


# a row of claims as written -> (its upstream file, its record, the upstream field of each of its
# columns, whether the file is a table)
Places = dict[int, tuple[str, int, dict[str, str], bool]]


def _upstream_places(
    tables: dict[str, TableRows], mapping: Mapping | None
) -> dict[int, tuple[str, int, dict[str, str], bool]]:
    """For each row of the claims table as written (its spreadsheet row), the upstream file and
    record it comes from and the upstream field of each of its columns: a refusal found by
    validating the result names the upstream's row and column, not the package's scratch copy."""
    if mapping is None:
        return {}
    sources = {r["source_id"]: r for r in tables["sources"].rows if r.get("upstream_path")}
    specs = {f.path: f for f in mapping.files}
    out: Places = {}
    for at, row in enumerate(tables["claims"].rows, start=2):
        source = sources.get(row["source_id"])
        spec = specs.get(source["upstream_path"]) if source else None
        if spec is None or not row.get("locator"):
            continue
        try:
            index, name = tokens(row["locator"])
            record = int(index)
        except ValueError:
            continue
        fields = {"value": spec.figure or name, "value_low": spec.low, "value_high": spec.high, "period_end": spec.date}
        fields |= {
            "claimant_id": spec.claimant,
            "subject": spec.item,
            "metric_id": spec.category[0] if spec.category else "",
        }
        fields = {k: v for k, v in fields.items() if v} | {"locator": name}
        out[at] = (spec.path, record, fields, is_csv(spec.path))
    return out


def _refuse(
    root: Path, after: Report, today: dt.date, places: dict[int, tuple[str, int, dict[str, str], bool]] | None = None
) -> NoReturn:
    """The result has errors. A package with errors of its own is to be fixed first (the import is
    not to blame, and it was read, not validated, to spare a validation each import); otherwise the
    errors are what the import would bring, refused."""
    before = validate_package(root, today=today)
    if before.error_count:
        shown = "; ".join(f"{p.file} row {p.row}: {p.code}" for p in before.problems if p.severity == "error")
        raise UsageError(
            f"the package is invalid already ({before.error_count} errors; {shown[:400]}): run `claims validate` "
            "and fix it before importing"
        )
    places = places or {}
    problems = []
    for p in after.problems:
        if p.severity != "error":
            continue
        place = places.get(p.row) if p.file.endswith("claims.csv") and p.row is not None else None
        if place is None:
            problems.append(
                ImportProblem(
                    file=p.file,
                    record=None,
                    field=p.column,
                    message=f"row {p.row}: {p.message}",
                    fix=p.hint,
                    code=p.code,
                )
            )
            continue
        upstream, record, fields, table = place
        problems.append(
            ImportProblem(
                file=upstream,
                record=record,
                field=fields.get(p.column or "", p.column),
                message=_in_upstream_words(p.message, fields),
                fix=f"Check the upstream record against its reference; the package would hold it with the problem "
                f"{p.code}. {p.hint or ''}".strip(),
                code=p.code,
                table=table,
            )
        )
    raise ImportRefused(problems, "the package would not be valid after the import")


def _in_upstream_words(message: str, fields: dict[str, str]) -> str:
    """A problem found in the claim, said with the upstream's field names (value_low -> estimate_low)."""
    for column in sorted(fields, key=len, reverse=True):
        message = re.sub(rf"\b{re.escape(column)}\b", fields[column], message)
    return message


@dataclass(kw_only=True)
class RebuildResult:
    mapping: str
    snapshots: list[str]  # the commits whose archived files were read
    differs: list[str]  # tables whose bytes the rebuild changes
    written: bool = False


def rebuild_series(
    root: Path,
    name: str,
    *,
    check: bool = False,
    today: dt.date | None = None,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> RebuildResult:
    """Derive the series' rows again from the archived snapshots: every cell of every source,
    claim and correction that its archived file and the mapping decide (only the IDs, minted once,
    and what people wrote, statuses and notes, are kept), and every figure of the newest archive
    of each file that no claim holds. Writes the tables that differ, unless check."""
    root = find_descriptor(Path(root)).parent
    if check:
        finish_interrupted(root, notify)
        return _rebuild(root, name, check=True, today=today)
    with package_lock(root, command=f"import {name} --rebuild", wait=wait, notify=notify):
        return _rebuild(root, name, check=False, today=today)


def _rebuild(root: Path, name: str, *, check: bool, today: dt.date | None) -> RebuildResult:
    package = load_valid(root)
    mapping = read_mapping(mapping_path(package.root, name))
    today = today or dt.date.today()
    tables = _tables(package, mapping)
    verify_archives(package.root, mapping, tables["sources"])
    before = {n: t.to_bytes() for n, t in tables.items() if t.file}
    files = _archived_files(package.root, mapping, tables["sources"], today)
    _rederive(mapping, tables, files)
    newest: dict[str, list[str]] = defaultdict(list)  # commit -> the files whose newest archive it holds
    for row in _newest_sources(tables["sources"], mapping):
        newest[row["commit"]].append(row["upstream_path"])
    for commit, paths in newest.items():
        row = next(r for r in tables["sources"].rows if r.get("commit") == commit)
        folder = package.root / mapping.archive / commit[:12]
        snapshot = _judged(
            read_snapshot(folder, mapping, commit, today, set(paths), row.get("published", ""), archived=True)
        )
        _plan(mapping, snapshot, tables, row["retrieved"], row.get("published", ""))
    after = {n: t.to_bytes() for n, t in tables.items() if t.file}
    differs = sorted(n for n in after if after[n] != before.get(n))
    result = RebuildResult(mapping=mapping.name, snapshots=sorted({f.commit for f in files.values()}), differs=differs)
    if differs and not check:
        commit_files(package.root, {tables[n].file: after[n] for n in differs})
        result.written = True
    return result


@dataclass(frozen=True, kw_only=True)
class _Archived:
    commit: str
    spec: FileSpec
    file: SnapshotFile


def _archived_files(root: Path, mapping: Mapping, sources: TableRows, today: dt.date) -> dict[str, _Archived]:
    """Each series source's archived file, read and judged like a snapshot's."""
    out: dict[str, _Archived] = {}
    problems: list[ImportProblem] = []
    specs = {s.path: s for s in mapping.files}
    for row in sources.rows:
        if not row.get("data_path", "").startswith(f"{mapping.archive}/"):
            continue
        spec = specs.get(row["upstream_path"])
        if spec is None:
            raise UsageError(
                f"{row['source_id']} archives {row['upstream_path']}, which the mapping {mapping.name} names not"
            )
        folder = root / mapping.archive / row["commit"][:12]
        snapshot = read_snapshot(
            folder, mapping, row["commit"], today, {spec.path}, row.get("published", ""), archived=True
        )
        problems += snapshot.problems
        if spec.path in snapshot.files:
            out[row["source_id"]] = _Archived(commit=row["commit"], spec=spec, file=snapshot.files[spec.path])
    if problems:
        raise ImportRefused(problems, "the archived snapshots cannot be read")
    if not out:
        raise UsageError(f"the package holds no archived snapshot of {mapping.name}: import one first")
    return out


def _rederive(mapping: Mapping, tables: dict[str, TableRows], files: dict[str, _Archived]) -> None:
    """Every cell the archives and the mapping decide, for every row anchored to an archive."""
    units = {r["metric_id"]: r["unit"] for r in tables["metrics"].rows}
    at: dict[tuple[str, str], object] = {}
    for sid, archived in files.items():
        row = next(r for r in tables["sources"].rows if r["source_id"] == sid)
        row.update(
            source_cells(
                mapping,
                archived.spec,
                archived.file,
                archived.commit,
                row.get("retrieved", ""),
                row.get("published", ""),
            )
        )
        at.update({(sid, f.locator): f for f in figures(mapping, 0, archived.file)})
    problems = []
    for table, cells in (("claims", "claim"), ("series_corrections", "correction")):
        for row in tables[table].rows:
            if row["source_id"] not in files:
                continue
            figure = at.get((row["source_id"], row["locator"]))
            if figure is None:
                problems.append(
                    ImportProblem(
                        file=tables[table].file,
                        record=None,
                        field="locator",
                        message=f"{row.get('claim_id') or row['date']}: {row['locator']} names no figure in the "
                        f"archive of {row['source_id']}",
                        fix="Restore the row's locator (git log shows it), or the archive as it was imported.",
                    )
                )
                continue
            if cells == "claim":
                row.update(claim_cells(mapping, figure, units.get(figure.metric, row["unit"])))
            else:
                row.update(correction_cells(mapping, figure))
    if problems:
        raise ImportRefused(problems, "the package's series rows cannot be derived from the archives")


def _newest_sources(sources: TableRows, mapping: Mapping) -> list[dict[str, str]]:
    """For each file of the series, the source that holds its newest archive."""
    newest: dict[str, dict[str, str]] = {}
    for row in sources.rows:
        if row.get("data_path", "").startswith(f"{mapping.archive}/"):
            held = newest.get(row["upstream_path"])
            if held is None or (number(row["source_id"], "S") or 0) > (number(held["source_id"], "S") or 0):
                newest[row["upstream_path"]] = row
    return list(newest.values())
