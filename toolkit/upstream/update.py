"""update(root, names) -> the upstreams the package follows, brought up to date from their git history.

Each mapping that names its `repository` is followed: the repository (or, with `source`, a local
clone, a bundle or another address of it) is fetched into a bare mirror in the package's working
folder (`.claims/upstream/<name>.git`, never committed), the commit the package last imported is
found in it, and the commits of the branch's first-parent line after it that change a file the
mapping reads are the update.

What comes in is what the newest of them publishes: it is imported as one snapshot (upstream/
series_import, under the package's lock and journal), so the package holds the figures of the
commits it imports, as the import of a folder of that commit would, byte for byte. Every commit in
between is read and checked against it: a figure an intermediate commit gave otherwise (a
compiler's typo, set right a commit or a month later; a value changed and changed back) is a
transient: not a claim (the claimant never made it), but a row of series_revisions written with the
import (the commits that gave it, what the imported commit gives instead, the claim that holds
that), and listed in the update's report and its pull request. A change the newest commit keeps is
a correction as in any import: a new claim that supersedes the old, and the older file archived as
its evidence. So `seeds/`
holds the newest file of each upstream and the files a correction rests on, not a file a commit:
the General Staff's compilation has 1,534 commits that change a file its mapping reads, 0.68 GB
of those files in all (benchmarks/bench_update.py), which this keeps to the few the corrections
need.

An upstream whose history was rewritten (the commit the package records is no longer in it, or no
longer an ancestor of the branch) is refused, never re-imported by guess.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.data_file import DataUnreadable, is_csv, parse_data
from ..core.package_lock import Notify, package_lock
from ..core.paths import find_descriptor, inside_folder
from ..errors import UsageError
from ..read.policy import read_folder
from ..read.table_rows import TableRows
from ..repo.git import Blobs, git, run
from .mapping import MAPPINGS, Mapping, read_mapping
from .series_import import ImportResult, SnapshotGiven, import_snapshots

MIRRORS = ".claims/upstream"  # the bare mirrors of the upstreams, in the package's working folder
HEAD_REF = "refs/claims/head"  # the fetched branch's head in a mirror


@dataclass(frozen=True, kw_only=True)
class UpstreamCommit:
    sha: str
    day: str  # its committer date, YYYY-MM-DD: the day the compiler recorded the figures


@dataclass(frozen=True, kw_only=True)
class Transient:
    """A figure an intermediate commit gave otherwise than the commit imported."""

    path: str  # the upstream file
    day: str
    field: str
    value: object  # what the intermediate commits gave
    kept: object  # what the imported commit gives (None: the day or the field is not in it)
    first: UpstreamCommit
    last: UpstreamCommit  # the last commit that gave it

    def describe(self) -> str:
        span = self.first.sha[:12] + ("" if self.last == self.first else f" to {self.last.sha[:12]}")
        kept = "no figure" if self.kept is None else repr(self.kept)
        return (
            f"{self.path} {self.day} {self.field}: {self.value!r} in {span} ({self.first.day} to {self.last.day}), "
            f"{kept} in the commit imported"
        )


@dataclass(kw_only=True)
class UpdateResult:
    mapping: str
    source: str  # where it was fetched from
    recorded: str  # the commit the package had imported last ("" for an upstream never imported)
    target: str  # the commit it was brought to
    commits: list[UpstreamCommit] = field(default_factory=list)  # the commits of the update, oldest first
    imports: list[ImportResult] = field(default_factory=list)
    transients: list[Transient] = field(default_factory=list)
    dry_run: bool = False

    @property
    def up_to_date(self) -> bool:
        return not self.commits


@dataclass(kw_only=True)
class UpdateReport:
    """The updates, and what they did to the package as a whole (after a real update)."""

    results: list[UpdateResult]
    bump: str | None = None  # the semantic version bump the change deserves (compare/diff)
    bump_reason: str = ""
    disagreements: list[str] = field(default_factory=list)  # reporters-disagree problems, as sentences
    disagreements_total: int = 0  # all of them (the list stops at the validation report's limit)


def followed(root: Path) -> list[str]:
    """The mappings of the package that name a repository and do not say `follow = false`: the
    upstreams `claims update` follows."""
    out = []
    for path in sorted((root / MAPPINGS).glob("*.toml")):
        mapping = read_mapping(path)
        if mapping.repository and mapping.follow:
            out.append(path.stem)
    return out


def update(
    root: Path,
    names: Sequence[str] = (),
    *,
    source: str | None = None,
    to: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> list[UpdateResult]:
    """Bring each named upstream (every followed one when none is named) up to date. source and to
    need one name: another address of its repository, and the commit (a ref of it) to stop at."""
    root = find_descriptor(Path(root)).parent
    names = list(names) or followed(root)
    if not names:
        raise UsageError(f"no mapping in {MAPPINGS}/ names a repository: nothing to follow")
    if (source or to) and len(names) != 1:
        raise UsageError("--from and --to name one upstream's address and commit: name that one upstream")
    # One update at a time, from the fetch on: two would race for the mirror and for the package.
    with package_lock(root, command=f"update {' '.join(names)}", wait=wait, notify=notify):
        return [_update_one(root, name, source=source, to=to, dry_run=dry_run, today=today) for name in names]


def _update_one(
    root: Path,
    name: str,
    *,
    source: str | None,
    to: str | None,
    dry_run: bool,
    today: dt.date | None,
) -> UpdateResult:
    mapping = read_mapping(root / MAPPINGS / f"{name}.toml")
    if not mapping.repository:
        raise UsageError(f"{MAPPINGS}/{name}.toml names no repository: it is imported from folders only")
    if not mapping.follow:
        raise UsageError(
            f"{MAPPINGS}/{name}.toml says follow = false: its upstream is imported from folders only "
            f"(claims import {name} FOLDER...)"
        )
    address = source or mapping.repository
    mirror = _fetch(root, name, address)
    target = _commit(mirror, to or HEAD_REF, address)
    recorded = _recorded(root, mapping)
    if recorded:
        _check_history(mirror, recorded, target, name, address)
    commits = _commits(mirror, recorded, target, _paths(mapping))
    result = UpdateResult(
        mapping=name, source=address, recorded=recorded, target=target, commits=commits, dry_run=dry_run
    )
    if not commits:
        return result
    day = today or dt.date.today()
    result.transients = _transients(mirror, mapping, commits)
    with tempfile.TemporaryDirectory(prefix="claims-update-") as work:
        newest = commits[-1]
        given = SnapshotGiven(
            folder=Path(work) / newest.sha,
            commit=newest.sha,
            commit_date=newest.day,
            retrieved=day.isoformat(),
            materialise=_extractor(mirror, newest.sha, mapping, Path(work) / newest.sha),
            in_history=True,
            revisions=_revisions(mapping, result.transients),
        )
        result.imports = import_snapshots(root, name, [given], today=day, dry_run=dry_run)
    return result


def _transients(mirror: Path, mapping: Mapping, commits: list[UpstreamCommit]) -> list[Transient]:
    """The figures of the files of days that a commit before the newest gave otherwise than the
    newest gives: each run of commits giving one value, once. A file of rows (a model, an estimate a
    row) has no day to hold a figure to: its changes are the import's, commit to commit.

    A commit mostly adds a day; only the days whose record differs from the commit before are
    looked at, so 300 commits of a 1,600-day file cost about 300 days, not 480,000."""
    newest, earlier = commits[-1], commits[:-1]
    out: list[Transient] = []
    with Blobs(mirror) as blobs:
        for spec in mapping.files:
            if spec.layout != "days" or spec.corrections:
                continue
            names = mapping.field_names  # a field's earlier spelling is the same figure
            figures = set(mapping.categories)  # a place name, a day count, a report's address: not figures
            kept = {d: {names.get(f, f): v for f, v in r.items()} for d, r in _days(blobs, newest.sha, spec.path,
                                                                                  spec.date).items()}  # fmt: skip
            runs: dict[str, dict[str, tuple[object, UpstreamCommit]]] = {}  # day -> field -> (value, first)
            before: dict[str, dict[str, object]] = {}
            for i, commit in enumerate(earlier):
                given = _days(blobs, commit.sha, spec.path, spec.date)
                for day in [d for d, r in given.items() if before.get(d) != r] + [d for d in before if d not in given]:
                    record = {names.get(f, f): v for f, v in given.get(day, {}).items() if names.get(f) in figures}
                    now = {f: v for f, v in record.items() if kept.get(day, {}).get(f, _ABSENT) != v}
                    open_ = runs.setdefault(day, {})
                    for f in [f for f, (v, _) in open_.items() if now.get(f, _ABSENT) != v]:  # given no more
                        value, first = open_.pop(f)
                        out.append(_transient(spec.path, day, f, value, kept, first, earlier[i - 1]))
                    for f, v in now.items():
                        open_.setdefault(f, (v, commit))
                before = given
            for day, open_ in runs.items():
                for f, (value, first) in open_.items():
                    out.append(_transient(spec.path, day, f, value, kept, first, earlier[-1]))
    return sorted(out, key=lambda x: (x.path, x.day, x.field, x.first.day, x.first.sha))


def _revisions(mapping: Mapping, transients: list[Transient]):  # type: ignore[no-untyped-def]
    """The rows of series_revisions for the transients, each with the claim the package holds of
    that day's figure from this upstream (found once the snapshot's claims are planned)."""

    def rows(tables: dict[str, TableRows]) -> list[dict[str, str]]:
        mine = {
            r["source_id"]: r.get("upstream_path", "")
            for r in tables["sources"].rows
            if r.get("data_path", "").startswith(f"{mapping.archive}/")
        }
        held = {
            (mine[c["source_id"]], c["period_end"], c["metric_id"], c["claimant_id"]): c["claim_id"]
            for c in tables["claims"].rows
            if c["source_id"] in mine and c.get("status") not in ("superseded", "retracted")
        }
        out = []
        for t in transients:
            category = mapping.categories[t.field]
            day = dt.date.fromisoformat(t.day)
            claimant = mapping.claimant_on(category, day)[0]
            metric = category.metric_of(claimant, day)
            facts = {"repository": mapping.repository, "commit": t.first.sha, "short": t.first.sha[:12], "path": t.path}
            out.append(
                {
                    "upstream": mapping.name,
                    "path": t.path,
                    "day": t.day,
                    "field": t.field,
                    "metric_id": metric,
                    "claimant_id": claimant,
                    "value": json.dumps(t.value, ensure_ascii=False),
                    "kept": "" if t.kept is None else json.dumps(t.kept, ensure_ascii=False),
                    "claim_id": held.get((t.path, t.day, metric, claimant), ""),
                    "first_commit": t.first.sha,
                    "first_seen": t.first.day,
                    "last_commit": t.last.sha,
                    "last_seen": t.last.day,
                    "url": mapping.file_url.format(**facts) if mapping.file_url else "",
                }
            )
        return out

    return rows


def _transient(path: str, day: str, name: str, value: object, kept: dict, first: UpstreamCommit,
               last: UpstreamCommit) -> Transient:  # fmt: skip
    return Transient(path=path, day=day, field=name, value=value, kept=kept.get(day, {}).get(name), first=first,
                     last=last)  # fmt: skip


_ABSENT = object()


def _days(blobs: Blobs, commit: str, path: str, date_field: str) -> dict[str, dict[str, object]]:
    """day -> its record (its day among its fields), of a file of days at a commit ({} when missing or
    unreadable: an intermediate commit is only compared, never imported, so it is read plainly)."""
    found = blobs.read(f"{commit}:{path}")
    if found is None:
        return {}
    data = found[1]
    try:
        document = json.loads(data) if not is_csv(path) else parse_data(data, csv_format=True)
    except (ValueError, RecursionError, UsageError, DataUnreadable):
        return {}
    if not isinstance(document, list):
        return {}
    try:  # the usual file: a list of records, each with its day
        return {record[date_field]: record for record in document}
    except (TypeError, KeyError):
        return {r[date_field]: r for r in document if isinstance(r, dict) and isinstance(r.get(date_field), str)}


def _mirror_path(root: Path, name: str) -> Path:
    return inside_folder(root, f"{MIRRORS}/{name}.git")


def _fetch(root: Path, name: str, address: str) -> Path:
    """The upstream's history, fetched into its mirror (made on first use): its default branch's
    head as HEAD_REF. An address that cannot be reached is a UsageError that says so."""
    mirror = _mirror_path(root, name)
    if not (mirror / "HEAD").is_file():
        mirror.mkdir(parents=True, exist_ok=True)
        git(mirror, "init", "--quiet", "--bare")
    given = Path(address).expanduser()
    where = str(given.resolve()) if given.exists() else address
    if not given.exists() and not re.match(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:", address):
        raise UsageError(f"cannot fetch the upstream {name}: {address} is neither a folder, a bundle nor an address")
    try:
        git(mirror, "fetch", "--quiet", "--no-tags", "--force", "--end-of-options", where, f"+HEAD:{HEAD_REF}")
    except UsageError as exc:
        raise UsageError(
            f"cannot fetch the upstream {name} from {address}: {exc}. Check the address (or give a local clone or "
            "bundle with --from); nothing was changed."
        ) from exc
    return mirror


def _commit(mirror: Path, ref: str, address: str) -> str:
    if ref.startswith("-") or "\x00" in ref:
        raise UsageError(f"--to {ref!r} is not a commit")
    try:
        return git(mirror, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except UsageError as exc:
        raise UsageError(f"--to {ref!r} names no commit of {address}") from exc


def _recorded(root: Path, mapping: Mapping) -> str:
    """The commit of the newest archived file of the mapping's series ("" when never imported)."""
    package = read_folder(root)
    if "sources" not in package.tables:
        return ""
    rows = TableRows.read(package, "sources").rows
    mine = [r for r in rows if r.get("data_path", "").startswith(f"{mapping.archive}/") and r.get("commit")]
    if not mine:
        return ""
    newest = max(mine, key=lambda r: (r.get("published", ""), int(r["source_id"][1:] or 0)))
    return newest["commit"]


def _check_history(mirror: Path, recorded: str, target: str, name: str, address: str) -> None:
    """The recorded commit is in the fetched history, and the target descends from it."""
    try:
        git(mirror, "cat-file", "-e", f"{recorded}^{{commit}}")
    except UsageError as exc:
        raise UsageError(
            f"the upstream {name} ({address}) no longer holds commit {recorded[:12]}, which the package last "
            "imported: its history was rewritten. Nothing was imported. Compare its files with the package's "
            f"archive (seeds/), then import the new history by hand (`claims import {name} FOLDER`) once a person "
            "has judged what changed."
        ) from exc
    try:
        run(mirror, "merge-base", "--is-ancestor", recorded, target)
    except UsageError as exc:
        raise UsageError(
            f"commit {recorded[:12]}, which the package last imported from the upstream {name}, is not an ancestor "
            f"of {target[:12]}: its history was rewritten (or --to names an older commit). Nothing was imported."
        ) from exc


def _paths(mapping: Mapping) -> list[str]:
    return [f.path for f in mapping.files]


def _commits(mirror: Path, recorded: str, target: str, paths: list[str]) -> list[UpstreamCommit]:
    """The commits after recorded up to target (the first-parent line) that change a mapped file."""
    span = f"{recorded}..{target}" if recorded else target
    out = git(mirror, "log", "--first-parent", "--reverse", "--format=%H %cs", span, "--", *paths)
    return [UpstreamCommit(sha=sha, day=day) for sha, day in (line.split() for line in out.splitlines() if line)]


def _extractor(mirror: Path, commit: str, mapping: Mapping, folder: Path):  # type: ignore[no-untyped-def]
    """A function that writes the commit's mapped files and licence into folder, laid out as in the
    repository, and returns it; called when the import reads that snapshot, so that only one is on
    disk at a time."""

    def materialise() -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for rel in [*_paths(mapping), *([mapping.licence_file] if mapping.licence_file else [])]:
            try:
                data = run(mirror, "cat-file", "blob", f"{commit}:{rel}")
            except UsageError:
                continue  # the commit has no such file: the import says what is missing
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return folder

    def done() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    materialise.done = done  # type: ignore[attr-defined]
    return materialise


def update_report(
    root: Path,
    names: Sequence[str] = (),
    *,
    source: str | None = None,
    to: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    wait: float = 0.0,
    notify: Notify | None = None,
) -> UpdateReport:
    """update(), and what it did to the package as a whole: the version bump the diff of its
    tables asks for, and the days on which two reporters of one claimant now disagree."""
    from ..check.validate import validate_package
    from ..compare.diff import diff_packages

    root = find_descriptor(Path(root)).parent
    with (
        package_lock(root, command="update", wait=wait, notify=notify),
        tempfile.TemporaryDirectory(prefix="claims-before-") as before,
    ):
        _tables_copy(root, Path(before))
        results = update(root, names, source=source, to=to, dry_run=dry_run, today=today, notify=notify)
        report = UpdateReport(results=results)
        if dry_run or all(r.up_to_date for r in results):
            return report
        report.bump, report.bump_reason = diff_packages(before, str(root)).bump()
        found = validate_package(root, today=today)
    report.disagreements_total = found.counts.get("reporters-disagree", 0)
    report.disagreements = [
        f"{p.file} row {p.row}: {p.message}" for p in found.problems if p.code == "reporters-disagree"
    ]
    return report


def _tables_copy(root: Path, into: Path) -> None:
    """The descriptor, schemas and tables of the package (no archive): enough to diff its tables."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    shutil.copy2(root / "datapackage.json", into / "datapackage.json")
    for resource in descriptor.get("resources", []):
        for key in ("path", "schema"):
            rel = resource.get(key) if isinstance(resource, dict) else None
            if isinstance(rel, str) and (root / rel).is_file():
                (into / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(inside_folder(root, rel), into / rel)
