"""What importing a snapshot does to the package, computed before anything is written.

A source of a series is one upstream file (the personnel file, the equipment file...), archived at
the commit of the snapshot it was last taken from. Importing a newer snapshot:

- moves each file's source to the newer commit when every figure it anchors is still at its place
  with its value (the usual case: the upstream only appends days), archiving the newer file and
  dropping the older archive; otherwise the older source stays, frozen with its archive, and the
  newer file becomes a source of its own. So importing A then B gives the same package as A, a
  snapshot between them, then B;
- adds a claim per new (day, category), with IDs minted in the order of (day, category);
- never rewrites a past figure: a figure the newer file gives otherwise becomes a new claim that
  supersedes the old one (status superseded, with the reason in its notes);
- deletes nothing: a day the newer snapshot lacks is reported and its claims stay.

The corrections file (changes the claimant made to its earlier totals) becomes rows of
series_corrections, one per (day, category) with a change other than zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..core.json_pointer import pointer, tokens
from ..core.phrases import bounds
from ..errors import UsageError
from ..read.table_rows import Minter, TableRows, number
from .judgement import Verdict, differences, judge, key_of
from .mapping import Category, FileSpec, Mapping
from .snapshot import ImportProblem, Record, Snapshot, SnapshotFile

RETIRED = ("superseded", "retracted")
Key = tuple[str, str, str, str]  # claimant, metric, subject (a model, in a file of rows), day


class ImportRefused(UsageError):
    """The snapshot cannot be imported as it is; the problems say where and how to fix it.

    Exit code 1 when every problem is data the package itself would report with a problem code
    (a negative figure, a day in the future), 2 otherwise (the snapshot is unusable as given)."""

    def __init__(self, problems: list[ImportProblem], what: str = "the snapshot was not imported") -> None:
        self.problems = problems
        shown = problems[:50]
        lines = [f"{p.place()}: {p.message}" + (f" ({p.code})" if p.code else "") + f". Fix: {p.fix}" for p in shown]
        more = f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(f"{what}; nothing was written:\n  " + "\n  ".join(lines) + more)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems and all(p.code for p in self.problems) else 2


@dataclass(kw_only=True)
class ImportPlan:
    tables: dict[str, TableRows]
    changed: set[str] = field(default_factory=set)
    archive: dict[str, bytes | None] = field(default_factory=dict)  # path -> bytes, or None to delete
    new_claims: list[str] = field(default_factory=list)
    new_days: list[dt.date] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (old claim, new claim)
    why: dict[str, str] = field(default_factory=dict)  # old claim -> what changed ("its reference")
    missing: dict[str, list[dt.date]] = field(default_factory=dict)  # upstream file -> days held it lacks
    # a file of one day (its records dated by the commit): what the day before held that it lacks
    disappeared: dict[str, list[str]] = field(default_factory=dict)  # upstream file -> "metric: subject"
    # a file of tallies: figures held of days the snapshot still has, which it no longer gives
    dropped: dict[str, int] = field(default_factory=dict)
    sources_added: list[str] = field(default_factory=list)
    sources_moved: list[str] = field(default_factory=list)
    corrections_added: int = 0
    corrections_changed: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed or self.archive)

    @property
    def missing_days(self) -> list[dt.date]:
        """Every day the package holds that a file of the snapshot lacks, whichever file."""
        return sorted({day for days in self.missing.values() for day in days})


@dataclass(frozen=True, kw_only=True)
class _Figure:
    day: dt.date
    order: tuple[int, int, int]  # (file, category, record) positions: the order IDs are minted in
    category: Category
    metric: str  # the category's, or the one the mapping names for the figure's claimant
    subject: str
    side: str  # whose forces it counts (claims.side)
    claimant: str  # the category's claimant, or who announced that day's figures (mapping: announced)
    attribution: str
    value: int | None
    qualifier: str
    wording: str
    locator: str
    low: int | None = None  # a compiled estimate's bounds (else read off the qualifier)
    high: int | None = None
    bounded: bool = False
    reference_note: str = ""  # what the row's reference says, for a new claim's notes
    flag_note: str = ""  # what its flag says ("" when not set)
    flag_text: str = ""  # what the flag says when set: the mapping's flag_note
    name_note: str = ""  # what its row's category cell says beyond the category (never judged: a rename is no change)

    @property
    def notes(self) -> str:
        return " ".join(filter(None, [self.reference_note, self.flag_note, self.name_note]))


@dataclass(kw_only=True)
class Judged:
    """The records of each file the previous snapshot of one run brought in, by what names them in
    its locators (a date's token, or a position), with the commit they were read from: a record of
    the next commit that is the same object, byte for byte as parsed, was judged then and holds
    the figures the tables hold now. An import of an upstream's history (hundreds of commits, each
    adding a day) judges only what each commit changed."""

    commit: dict[str, str] = field(default_factory=dict)  # upstream path -> the commit judged last
    records: dict[str, dict[str | int, Any]] = field(default_factory=dict)  # path -> place -> raw record

    def same(self, path: str, commit: str, record: Record) -> bool:
        known = self.records.get(path, {}) if self.commit.get(path) == commit else {}
        raw = known.get(record.place, _NOTHING)
        return raw is not _NOTHING and raw == record.raw

    def remember(self, path: str, commit: str, file: SnapshotFile) -> None:
        self.commit[path] = commit
        self.records[path] = {r.place: r.raw for r in file.records if r.raw is not None}


_NOTHING = object()


class Planner:
    """Computes an ImportPlan from the package's tables, a mapping and a judged snapshot."""

    def __init__(
        self,
        mapping: Mapping,
        snapshot: Snapshot,
        tables: dict[str, TableRows],
        *,
        retrieved: str,
        published: str,
        claim_ids: Minter,
        source_ids: Minter,
        in_history: bool = False,
        judged: Judged | None = None,
    ) -> None:
        self.m, self.snap, self.retrieved, self.published = mapping, snapshot, retrieved, published
        self.in_history = in_history
        self.judged = judged or Judged()
        self.claim_ids, self.source_ids = claim_ids, source_ids
        self.plan = ImportPlan(tables=tables)
        self.sources = tables["sources"]
        self.claims = tables["claims"]
        prefix = f"{mapping.archive}/"
        self.series = {r["source_id"]: r for r in self.sources.rows if r.get("data_path", "").startswith(prefix)}
        self.old_paths: list[str] = []  # archives of sources moved to this commit
        self.live: dict[Key, dict[str, str]] = {}
        for row in self.claims.rows:
            if row["source_id"] in self.series and row["status"] not in RETIRED:
                self.live[(row["claimant_id"], row["metric_id"], row["subject"], row["period_end"])] = row

    def run(self) -> ImportPlan:
        self._refuse_an_older_snapshot()
        units = self._claimants_and_metrics()
        figures: list[_Figure] = []
        for position, spec in enumerate(self.m.files):
            file = self.snap.files.get(spec.path)
            if file is None:  # an archived commit that holds only some of the files
                continue
            source = self._source(spec, file)
            if spec.corrections:
                self._corrections(file, source)
            else:
                figures += self._changes(position, file, source)
            self.judged.remember(spec.path, self.snap.commit, file)
        self._claims(figures, units)
        self._drop_unreferenced_archives()
        self._sort()
        return self.plan

    # -- the snapshot against what the package holds -------------------------------------------

    def _refuse_an_older_snapshot(self) -> None:
        if self.in_history:
            return  # a commit of the history in its order: days it lacks are reported, never deleted
        held = [r["period_end"] for r in self.claims.rows if r["source_id"] in self.series and r["period_end"]]
        last = self.snap.last_day
        if held and last is not None and last.isoformat() < max(held):
            raise ImportRefused(
                [
                    ImportProblem(
                        file=str(self.snap.folder),
                        record=None,
                        field=None,
                        message=f"the snapshot ends on {last}, before the package's figures of {self.m.name} "
                        f"(to {max(held)})",
                        fix="Import snapshots oldest first; `claims import --rebuild` replays the archived ones.",
                    )
                ]
            )

    def _claimants_and_metrics(self) -> dict[str, str]:
        """Add the claimants and metrics the categories need (from the mapping); their units."""
        needed = {"claimants": self.m.claimant_ids}
        needed["metrics"] = self.m.metric_ids
        units: dict[str, str] = {}
        for name, key, declared in (
            ("claimants", "claimant_id", self.m.claimants),
            ("metrics", "metric_id", self.m.metrics),
        ):
            table = self.plan.tables[name]
            present = {r[key]: r for r in table.rows}
            for identifier in sorted(needed[name]):
                if identifier not in present:
                    if identifier not in declared:
                        raise UsageError(
                            f"{self.m.path}: {identifier} is not in {table.file} and the mapping does not declare it "
                            f"([{name}.{identifier}])"
                        )
                    present[identifier] = table.append({key: identifier, **declared[identifier]})
                    self.plan.changed.add(name)
                if name == "metrics":
                    units[identifier] = present[identifier]["unit"]
        return units

    def _source(self, spec: FileSpec, file: SnapshotFile) -> str:
        """The source the snapshot's file anchors its figures to: the file's source moved to this
        commit when everything it anchors is unchanged, else a new one."""
        current = max(
            (r for r in self.series.values() if r["upstream_path"] == spec.path),
            key=lambda r: number(r["source_id"], "S") or 0,
            default=None,
        )
        if current is not None and current["commit"] == self.snap.commit:
            if current["seed_sha256"] != file.sha256:
                raise ImportRefused(
                    [
                        ImportProblem(
                            file=spec.path,
                            record=None,
                            field=None,
                            message=f"{current['data_path']} is archived already for commit {self.snap.commit[:12]} "
                            f"with other bytes (SHA-256 {current['seed_sha256'][:12]}..., the snapshot's "
                            f"{file.sha256[:12]}...)",
                            fix="Archived files never change: check that the snapshot is the commit it says, "
                            "byte for byte.",
                        )
                    ]
                )
            return current["source_id"]
        if current is not None and self._still_anchors(current["source_id"], file):
            self._describe(current, spec, file)
            self.plan.sources_moved.append(current["source_id"])
            return current["source_id"]
        row = self.sources.append({"source_id": self.source_ids()})
        self._describe(row, spec, file)
        self.series[row["source_id"]] = row
        self.plan.sources_added.append(row["source_id"])
        return row["source_id"]

    def _still_anchors(self, source_id: str, file: SnapshotFile) -> bool:
        """Every figure anchored to the source is in the file at its place, on its day, with its value."""
        records: dict[str | int, Record] = {r.index: r for r in file.records}
        records |= {r.key: r for r in file.records if r.key}  # a record named by its date
        source_commit = self.series[source_id].get("commit", "") if source_id in self.series else ""
        day_field = "date" if file.spec.corrections else "period_end"
        rows = self.plan.tables["series_corrections"].rows if file.spec.corrections else self.claims.rows
        for row in rows:
            if row["source_id"] != source_id:
                continue
            try:
                index, name = tokens(row["locator"])
                record = records[index] if index in records else records[int(index)]
            except (KeyError, ValueError):
                return False
            # a row names its field; a day's field may have an earlier name (an alias)
            if self.judged.same(file.spec.path, source_commit, record):
                continue  # the same record as in the archive the source rests on: its figures still anchor
            category = next(iter(record.figures)) if record.field == name else self.m.field_names.get(name, name)
            if record.date.isoformat() != row[day_field] or category not in record.figures:
                return False
            if file.spec.corrections:
                if str(record.figures[category][0]) != row["value"]:
                    return False
            else:
                figure = _figure(self.m, record, category)
                if {k: v for k, v in claim_cells(self.m, figure, row["unit"]).items() if k in row} != {
                    k: row[k] for k in CLAIM_CELLS if k in row
                }:
                    return False  # a rebuild derives every cell of the claim from the archive it rests on
                if differences(row, figure):
                    return False  # its row's reference or flag changed: the older file is the evidence of the claim
        return True

    def _describe(self, row: dict[str, str], spec: FileSpec, file: SnapshotFile) -> None:
        """The source row of a snapshot's file: where it comes from, at which commit, archived where."""
        self.old_paths += [row[c] for c in ("data_path", "licence_path") if row.get(c)]
        row.update(source_cells(self.m, spec, file, self.snap.commit, self.retrieved, self.published))
        self.plan.archive[row["data_path"]] = file.data
        if row["licence_path"]:
            self.plan.archive[row["licence_path"]] = self.snap.licence
        self.plan.changed.add("sources")

    # -- figures and corrections -----------------------------------------------------------------

    def _figures(self, position: int, file: SnapshotFile) -> Iterator[_Figure]:
        return figures(self.m, position, file)

    def _changes(self, position: int, file: SnapshotFile, source: str) -> list[tuple[_Figure, str, Verdict | None]]:
        """(figure, source, its verdict) for each figure the package lacks or holds otherwise
        (upstream/judgement.py): a new value, the same value with another marker ("about" added,
        dropped or changed), another reference or flag of a compiled table's row, or a row whose
        compiler corrected its claimant or day. Whatever changed, the new figure supersedes the
        held one, and the verdict says what changed."""
        previous = self.judged.commit.get(file.spec.path, "")
        if previous and not file.spec.dateless and file.spec.layout == "days":
            # a day the previous commit of this run gave as it is now holds its figures already
            known = {r.index for r in file.records if self.judged.same(file.spec.path, previous, r)}
            order = {key: i for i, key in enumerate(self.m.categories)}
            found = [
                _figure(self.m, r, name, (position, order[name], r.index))
                for r in file.records
                if r.index not in known
                for name in r.figures
            ]
            unchanged_days = {r.date.isoformat() for r in file.records if r.index in known}
        else:
            found, unchanged_days = list(self._figures(position, file)), set()
        sources = {sid for sid, row in self.series.items() if row["upstream_path"] == file.spec.path}
        here = {key for key, row in self.live.items() if row["source_id"] in sources and key[3]}
        out: list[tuple[_Figure, str, Verdict | None]] = []
        for verdict in judge(found, self.live, here):
            if verdict.kind == "new":
                out.append((verdict.figure, source, None))
            elif verdict.kind != "same":
                out.append((verdict.figure, source, verdict))
        corrected = {
            (v.held["claimant_id"], v.held["metric_id"], v.held["subject"], v.held["period_end"])
            for _f, _s, v in out
            if v is not None and v.kind == "corrected" and v.held
        }
        seen = {key_of(f) for f in found} | corrected
        seen |= {key for key in here if key[3] in unchanged_days}
        self._missing_days(file, seen)
        return out

    def _missing_days(self, file: SnapshotFile, seen: set[Key]) -> None:
        """Days the package holds from this upstream file that the snapshot's file lacks: reported,
        never deleted. An emptied file lacks every one of them. A file of one day (dated by its
        commit) holds no earlier days: what it may lack is a figure the latest earlier day had."""
        sources = {sid for sid, row in self.series.items() if row["upstream_path"] == file.spec.path}
        mine = {key: row for key, row in self.live.items() if row["source_id"] in sources and key[3]}
        if file.spec.dateless:
            earlier = [key[3] for key in mine if file.last_day is None or key[3] < file.last_day.isoformat()]
            if earlier:
                last, now = max(earlier), {k[:3] for k in seen}
                gone = sorted(f"{key[1]}: {key[2]}" for key in mine if key[3] == last and key[:3] not in now)
                if gone:
                    self.plan.disappeared[file.spec.path] = gone
            return
        days = {dt.date.fromisoformat(key[3]) for key in mine if key not in seen}
        if file.spec.figures:  # a file of tallies: a row a day a tally changed, so a day may lose some rows only
            held = {r.date for r in file.records}
            dropped = sum(1 for key in mine if key not in seen and dt.date.fromisoformat(key[3]) in held)
            if dropped:
                self.plan.dropped[file.spec.path] = dropped
            days -= held
        if days:
            self.plan.missing[file.spec.path] = sorted(days)

    def _claims(self, changes: list[tuple[_Figure, str, Verdict | None]], units: dict[str, str]) -> None:
        for figure, source, verdict in sorted(changes, key=lambda c: (c[0].day, c[0].order)):
            claim_id = self.claim_ids()
            cells = claim_cells(self.m, figure, units[figure.metric])
            cells = {k: v for k, v in cells.items() if k in self.claims.header}  # a package from before `side`
            row = self.claims.append({"claim_id": claim_id, "source_id": source, "status": "reported", **cells})
            row["notes"] = figure.notes
            self.plan.new_claims.append(claim_id)
            if verdict is None or verdict.held is None:
                continue
            before = verdict.held
            old = before["claim_id"]
            row["supersedes"] = old
            # named by source, not by the snapshot imported: the same words whichever snapshots led here
            if verdict.kind == "corrected":
                said = (
                    f"Supersedes {old}: the upstream file as archived for {source} gives the same figure with "
                    f"{verdict.why}, where the one archived for {before['source_id']} gave it otherwise."
                )
            elif verdict.why.startswith("its figure"):
                said = (
                    f"Supersedes {old}: the upstream file as archived for {source} gives {figure.wording} for this "
                    f"day, where the one archived for {before['source_id']} gave {before['wording']}."
                )
            else:
                said = (
                    f"Supersedes {old}: the upstream file as archived for {source} gives this figure with "
                    f"{verdict.why} changed from the one archived for {before['source_id']}."
                )
            row["notes"] = " ".join(filter(None, [said, figure.notes]))
            before["status"] = "superseded"
            before["notes"] = " ".join(
                filter(None, [before["notes"], f"Superseded by {claim_id}, from a newer snapshot of the same file."])
            )
            self.plan.superseded.append((old, claim_id))
            self.plan.why[old] = verdict.why
        if changes:
            self.plan.changed.add("claims")
            self.plan.new_days = sorted({f.day for f, _s, v in changes if v is None})

    def _corrections(self, file: SnapshotFile, source: str) -> None:
        check_correction_dates(self.m, file)
        table = self.plan.tables["series_corrections"]
        held = {(r["claimant_id"], r["metric_id"], r["date"]): r for r in table.rows}
        for figure in self._figures(0, file):
            if figure.value == 0:
                continue
            cells = {"source_id": source, **correction_cells(self.m, figure)}
            key = (cells["claimant_id"], cells["metric_id"], cells["date"])
            cells = {k: v for k, v in cells.items() if k in table.header}  # a package from before `effective`
            row = held.get(key)
            if row is None:
                table.append(cells)
                self.plan.corrections_added += 1
            elif float(row["value"]) != figure.value:
                row.update(cells)
                self.plan.corrections_changed.append(f"{key[1]} {key[2]}")
            elif row["source_id"] != source or row["locator"] != figure.locator:
                row.update(cells)  # the same correction, anchored to the file it is now archived in
            else:
                continue
            self.plan.changed.add("series_corrections")

    # -- the archive and the order of rows ---------------------------------------------------------

    def _drop_unreferenced_archives(self) -> None:
        """An archive no source refers to any longer (its source moved to a newer commit) goes."""
        referenced = {r.get(c, "") for r in self.sources.rows for c in ("seed_path", "data_path", "licence_path")}
        for path in self.old_paths:
            if path not in referenced:
                self.plan.archive[path] = None

    def _sort(self) -> None:
        # IDs minted past every ID held are appended in order: the rows are sorted already, unless a
        # rebuild handed out IDs a series had (Minter.reuse) or rows came in otherwise
        if self.claim_ids.reuse or self.plan.superseded or not self.claim_ids.minted_past:
            self.claims.rows.sort(key=lambda r: number(r["claim_id"], "C") or 0)
        if self.source_ids.reuse or not self.source_ids.minted_past:
            self.sources.rows.sort(key=lambda r: number(r["source_id"], "S") or 0)
        self.plan.tables["series_corrections"].rows.sort(key=lambda r: (r["date"], r["claimant_id"], r["metric_id"]))


def figures(mapping: Mapping, position: int, file: SnapshotFile) -> Iterator[_Figure]:
    """Every figure of a file, in the order of its records and the mapping's categories."""
    order = {key: i for i, key in enumerate(mapping.categories)}
    for record in file.records:
        for name in record.figures:
            yield _figure(mapping, record, name, (position, order[name], record.index))


def _figure(mapping: Mapping, record: Record, name: str, order: tuple[int, int, int] = (0, 0, 0)) -> _Figure:
    value, marker = record.figures[name]
    spec = mapping.markers.get(marker) if marker is not None else None
    category = mapping.categories[name]
    claimant, attribution = mapping.claimant_on(category, record.date)
    if record.claimant:
        claimant, attribution = record.claimant, record.attribution
    subject = category.counts_on(record.date)[1]
    subject = subject.format(item=record.item) if record.item else subject
    metric = category.metric_of(claimant, record.date) + record.metric_suffix
    common = {
        "day": record.date,
        "order": order,
        "category": category,
        "metric": metric,
        "subject": subject,
        "side": record.side or mapping.side,
        "claimant": claimant,
        "attribution": attribution,
        "reference_note": record.reference_note,
        "flag_note": record.flag_note,
        "flag_text": record.flag_text,
        "name_note": record.name_note,
    }
    if record.bounded:
        qualifier, wording = _estimate(value, record.low, record.high)
        return _Figure(
            **common,
            value=value
            if value is not None
            else record.low
            if qualifier == "at_least"
            else record.high
            if qualifier == "at_most"
            else None,
            qualifier=qualifier,
            wording=wording,
            locator=pointer(record.index, record.field or name),
            low=record.low,
            high=record.high,
            bounded=True,
        )
    return _Figure(
        **common,
        value=value,
        qualifier=spec.qualifier if spec else "exact",
        wording=f"{spec.words} {value}" if spec else str(value),
        locator=pointer(record.key or record.index, record.field or record.fields.get(name, name)),
    )


def _estimate(value: int | None, low: int | None, high: int | None) -> tuple[str, str]:
    """(qualifier, wording) of a compiled estimate: a central figure, its range, or both; a lone
    bound is a floor or a ceiling. The snapshot refuses a central figure with one bound."""
    if value is not None and low is not None and high is not None:
        return "estimate", f"an estimated {value} ({low} to {high})"
    if value is not None:
        return "approximately", f"an estimated {value}"
    if low is not None and high is not None:
        return "range", f"between {low} and {high}"
    if low is not None:
        return "at_least", f"at least {low}"
    return "at_most", f"up to {high}"


CLAIM_CELLS = (
    "claimant_id", "attribution", "metric_id", "subject", "wording", "qualifier", "value", "value_low",
    "value_high", "unit", "count_type", "period_start", "period_end", "locator", "side",
)  # fmt: skip


def claim_cells(mapping: Mapping, figure: _Figure, unit: str) -> dict[str, str]:
    """Every cell of a series claim that its archived file and the mapping decide."""
    if figure.bounded:
        value, low, high = figure.value, figure.low, figure.high
        if figure.qualifier in ("at_least", "at_most"):
            low, high = bounds(figure.qualifier, figure.value)[1:]
    else:
        value, low, high = bounds(figure.qualifier, figure.value)  # type: ignore[arg-type]
    return {
        "claimant_id": figure.claimant,
        "attribution": figure.attribution,
        "metric_id": figure.metric,
        "subject": figure.subject,
        "wording": figure.wording,
        "qualifier": figure.qualifier,
        "value": _text(value),
        "value_low": _text(low),
        "value_high": _text(high),
        "unit": unit,
        "count_type": mapping.count_type,
        "period_start": mapping.period_start.isoformat(),
        "period_end": figure.day.isoformat(),
        "locator": figure.locator,
        "side": figure.side,
    }


def correction_cells(mapping: Mapping, figure: _Figure) -> dict[str, str]:
    """Every cell of a correction row that its archived record and the mapping decide. A day the
    mapping re-dates (correction_dates) keeps the file's date and gives the day of its effect in
    `effective`, with the evidence in notes; the notes of other rows are a person's and kept."""
    moved = mapping.correction_dates.get(figure.day)
    cells = {
        "claimant_id": figure.claimant,
        "metric_id": figure.metric,
        "date": figure.day.isoformat(),
        "effective": moved.effective.isoformat() if moved else "",
        "value": str(figure.value),
        "locator": figure.locator,
    }
    if moved:
        cells["notes"] = (
            f"The corrections file dates this change {moved.date}; it shows in the totals of {moved.effective} "
            f"(effective). {moved.evidence}"
        )
    return cells


def check_correction_dates(mapping: Mapping, file: SnapshotFile) -> None:
    """Every day the mapping re-dates is a day of the corrections file: if the upstream re-dated it
    itself, the mapping's entry is out of date and must go, rather than move the change twice."""
    days = {r.date for r in file.records}
    stale = sorted(d for d in mapping.correction_dates if d not in days)
    if stale:
        raise ImportRefused(
            [
                ImportProblem(
                    file=file.spec.path,
                    record=None,
                    field=file.spec.date,
                    message=f"the mapping re-dates the corrections of {', '.join(map(str, stale))}, but the file has "
                    "no record of that day",
                    fix=f"Check the upstream file; if it now dates the change itself, remove the entry from "
                    f"[[correction_dates]] in {mapping.path.name}.",
                )
            ]
        )


def source_cells(
    mapping: Mapping, spec: FileSpec, file: SnapshotFile, commit: str, retrieved: str, published: str = ""
) -> dict[str, str]:
    """Every cell of a series source that its file, commit and the mapping decide."""
    folder = f"{mapping.archive}/{commit[:12]}"
    days = sorted({r.date for r in file.records})
    facts = {
        "commit": commit,
        "short": commit[:12],
        "path": spec.path,
        "repository": mapping.repository,
        "first_day": days[0].isoformat() if days else "",
        "last_day": days[-1].isoformat() if days else "",
        "days": f"{len(days):,}",
        "records": f"{len(file.records):,}",
        "rows": f"{len({r.index for r in file.records}) + file.baselines:,}",  # a file of tallies: rows, not figures
        "baselines": f"{file.baselines:,}",
    }
    notes = mapping.source_notes.format(**facts)
    facts["path"] = quote(spec.path)  # an address: a path with spaces is written %20
    if file.day_mismatches:
        shown = "; ".join(m.describe(repr(spec.day_field)) for m in file.day_mismatches[:5])
        more = f" and {len(file.day_mismatches) - 5} more" if len(file.day_mismatches) > 5 else ""
        notes += (
            f" Its field {spec.day_field!r} (days counted from {spec.day_one} as day 1) disagrees with the date on "
            f"{len(file.day_mismatches)} record(s): {shown}{more}; the date is followed."
        )
    if file.heading_mismatches:
        notes += " A heading's own figure differs from its row's column: " + "; ".join(file.heading_mismatches) + "."
    if file.total_mismatches:
        notes += (
            f" Its total category differs from its parts ({len(file.total_mismatches)} figure column(s) and side(s)): "
            + "; ".join(file.total_mismatches)
            + "."
        )
    return {
        "title": f"{mapping.title}: {spec.path}",
        "publisher": mapping.publisher,
        "url": mapping.file_url.format(**facts) if mapping.file_url else "",
        "published": published,
        "retrieved": retrieved,
        "language": mapping.language,
        "seed_sha256": file.sha256,
        "notes": notes,
        "data_path": f"{folder}/{spec.archived}",
        "repository": mapping.repository,
        "commit": commit,
        "upstream_path": spec.path,
        "licence": mapping.licence,
        "licence_path": f"{folder}/{mapping.licence_file}" if mapping.licence_file else "",
    }


def _text(value: float | None) -> str:
    return "" if value is None else str(int(value)) if float(value).is_integer() else str(value)
