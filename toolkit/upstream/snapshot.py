"""A snapshot of an upstream dataset, read and judged before anything of it enters the package.

A snapshot is a folder laid out like the upstream repository at one commit. It is read as the
package itself is: each file the mapping names must be a regular file at its path, reached through
no symbolic link (a link could make the package archive any file of the machine) and no larger
than MAX_FILE_BYTES; it is opened without following a link or waiting on a FIFO. Each is read
through the bounded JSON reader, and every record is held to the mapping: a date on each, in
order, none twice, none in the future; every other field a figure the mapping names (a whole
number of at most MAX_DIGITS digits, never negative in a file of totals), its marker, or a field
the mapping says to ignore; a retired category never after its last day. Whatever is wrong is an
ImportProblem naming the file, the record and the field; the import refuses the whole snapshot
when there is one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..check.row_logic import REFERENCE_NOTE
from ..core.data_file import is_csv, parse_data
from ..core.dates import parse_date
from ..core.json_reader import JSONUnreadable
from .mapping import FileSpec, Mapping

MAX_SHOWN = 50  # problems listed; the count says how many more
MAX_FILE_BYTES = 64 * 1024 * 1024  # the General Staff's largest file is under 1 MB after four years
# A figure is held as a number that every reader of the CSV (pandas, spreadsheets) keeps exactly only
# below 2**53, about 9 * 10**15; no count of losses comes near 10**15.
MAX_DIGITS = 15


class Oversized(str):
    """The digits of an integer longer than MAX_DIGITS, kept as text: converting 5,000 digits to an
    int fails, and a figure of 401 digits would overflow every float it meets later."""

    @property
    def digits(self) -> int:
        return len(self.lstrip("-"))


def _bounded_int(text: str) -> int | Oversized:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else Oversized(text)


@dataclass(frozen=True, kw_only=True)
class ImportProblem:
    file: str
    record: int | None  # the record's position in the file's array (its JSON Pointer is /<record>)
    field: str | None
    message: str
    fix: str
    code: str | None = None  # the package's problem code when the package could hold it (exit 1)
    table: bool = False  # the file is a table (CSV): its records are rows, numbered as a spreadsheet does

    def place(self) -> str:
        if self.record is None:
            at = ""
        elif self.table:  # the header is row 1, as a spreadsheet counts: the record /0 is row 2
            at = f" row {self.record + 2} (/{self.record})"
        else:
            at = f" record {self.record} (/{self.record})"
        what = "column" if self.table else "field"
        return f"{self.file}{at}" + (f", {what} {self.field!r}" if self.field else "")


@dataclass(frozen=True, kw_only=True)
class Record:
    index: int
    date: dt.date
    figures: dict[str, tuple[int, str | None]]  # category -> (figure, marker value)
    item: str = ""  # layout "rows": what the figure counts within its category (a model)
    side: str = ""  # whose forces it counts: the mapping's side, or its side of the item as the upstream writes it
    fields: dict[str, str] = field(default_factory=dict)  # a file of days: category -> an earlier name of its field
    key: str = ""  # a file of days newest first: the locator's token that names the record by its date
    raw: Any = field(default=None, compare=False, repr=False)  # the record as the file gives it

    @property
    def place(self) -> str | int:
        """What names the record in its locators: its date's token, or its position."""
        return self.key or self.index

    field: str = ""  # layout "rows": the field that holds the figure (the locator's); else the category's
    # a compiled table's row: the figure's bounds, its claimant (the row's), the claimant's name as the
    # row writes it, and the notes its reference and flag make
    bounded: bool = False  # its file gives bounds: the figure is an estimate, read by its columns
    low: int | None = None
    high: int | None = None
    claimant: str = ""
    attribution: str = ""
    reference_note: str = ""  # the sentence the row's reference puts in the claim's notes
    flag_note: str = ""  # the sentence its flag puts there ("" when the row is not flagged)
    flag_text: str = ""  # that sentence whether flagged or not (the mapping's flag_note): to tell a flag dropped
    metric_suffix: str = ""  # a file of several figures a row: the suffix the figure's column gives its metric
    name_note: str = ""  # what the row's category cell says beyond the category (an earlier name, a heading)

    @property
    def notes(self) -> str:
        return " ".join(filter(None, [self.reference_note, self.flag_note]))


@dataclass(frozen=True, kw_only=True)
class DayMismatch:
    """A record whose day count disagrees with its date: reported, the date followed."""

    index: int
    date: dt.date
    given: Any
    expected: int

    def describe(self, name: str) -> str:
        return f"/{self.index} ({self.date}) gives {name} {self.given!r}, the date's day is {self.expected}"


@dataclass(kw_only=True)
class SnapshotFile:
    spec: FileSpec
    data: bytes
    records: list[Record] = field(default_factory=list)
    day_mismatches: list[DayMismatch] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)  # rows of a table that repeat an earlier one, read once
    baselines: int = 0  # opening rows of zeros before the period (baseline_zeros), skipped
    heading_mismatches: list[str] = field(default_factory=list)  # warnings: a heading's figure unlike its row's
    total_mismatches: list[str] = field(default_factory=list)  # warnings: a total unlike the sum of its parts

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def last_day(self) -> dt.date | None:
        return max(r.date for r in self.records) if self.records else None  # rows of a table may be in any order


@dataclass(kw_only=True)
class Snapshot:
    folder: Path
    commit: str
    files: dict[str, SnapshotFile] = field(default_factory=dict)
    licence: bytes = b""
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def last_day(self) -> dt.date | None:
        days = [f.last_day for f in self.files.values() if not f.spec.corrections and f.last_day]
        return max(days) if days else None


def read_snapshot(
    folder: Path,
    mapping: Mapping,
    commit: str,
    today: dt.date,
    only: set[str] | None = None,
    commit_date: str = "",
    archived: bool = False,
) -> Snapshot:
    """Every file the mapping names (or only those named in only: an archived commit may hold
    some of them), read and judged; problems collected, none raised. commit_date dates the records
    of a file that carries no dates. archived: the folder is the package's archive of the commit,
    where a file may be kept under another name (archive_as)."""
    snapshot = Snapshot(folder=folder, commit=commit)
    for spec in mapping.files:
        if only is not None and spec.path not in only:
            continue
        data = _read_file(folder, spec.archived if archived else spec.path, snapshot.problems)
        if data is None:
            continue
        judged = _Judge(mapping, spec, today, snapshot.problems, parse_date(commit_date) if commit_date else None)
        try:
            # the bytes archived are the bytes judged
            document = parse_data(data, csv_format=is_csv(spec.path), parse_int=_bounded_int)
        except JSONUnreadable as exc:
            kind = "CSV" if is_csv(spec.path) else "JSON"
            judged.problem(None, None, f"not readable as {kind}: {exc}", "Take the file again, byte for byte.")
            snapshot.problems[-1] = replace(snapshot.problems[-1], table=False)  # the place is in the message
            continue
        records = judged.records(document)
        snapshot.files[spec.path] = SnapshotFile(
            spec=spec,
            data=data,
            records=records,
            day_mismatches=judged.day_mismatches,
            repeats=judged.repeats,
            baselines=judged.baselines,
            heading_mismatches=judged.heading_mismatches,
            total_mismatches=judged.total_mismatches,
        )
    if mapping.licence_file:
        licence = _read_file(folder, mapping.licence_file, snapshot.problems)
        if licence is not None:
            snapshot.licence = licence
    return snapshot


def _read_file(folder: Path, rel: str, problems: list[ImportProblem]) -> bytes | None:
    """The bytes of the regular file rel of the snapshot, reached through no link; None (and a
    problem) otherwise. Read as the package's own files are: what is archived is that file."""

    def refuse(message: str, fix: str) -> None:
        problems.append(ImportProblem(file=rel, record=None, field=None, message=message, fix=fix))

    path = folder
    for part in Path(rel).parts:
        path = path / part
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            refuse(
                f"the snapshot {folder} has no file {rel}, which the mapping names",
                "Give the folder of a snapshot laid out like the upstream repository (its data/ folder and licence "
                "included).",
            )
            return None
        except OSError as exc:
            refuse(f"cannot be read: {exc.strerror or exc}", "Check the snapshot folder's permissions.")
            return None
        if stat.S_ISLNK(info.st_mode):
            refuse(
                f"{path.relative_to(folder)} is a symbolic link (to {os.readlink(path)}): a snapshot's files are read "
                "at their own paths, never through a link",
                "Copy the snapshot with its files themselves (cp -rL, or a fresh checkout).",
            )
            return None
    if not stat.S_ISREG(info.st_mode):
        refuse(
            f"is not a regular file (a {_kind(info.st_mode)})",
            "Give the snapshot's file itself, as the upstream repository has it.",
        )
        return None
    if info.st_size > MAX_FILE_BYTES:
        refuse(
            f"is larger than {MAX_FILE_BYTES:,} bytes ({info.st_size:,}), more than any file of a series holds",
            "Check that this is the upstream's file; a larger bound is a change to the toolkit.",
        )
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        refuse(f"cannot be read: {exc.strerror or exc}", "Check the snapshot folder's permissions.")
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since it was looked at
            refuse("is not a regular file", "Give the snapshot's file itself, as the upstream repository has it.")
            return None
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        refuse(f"is larger than {MAX_FILE_BYTES:,} bytes", "Check that this is the upstream's file.")
        return None
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


class _Judge:
    """Holds one file's records to the mapping."""

    def __init__(
        self,
        mapping: Mapping,
        spec: FileSpec,
        today: dt.date,
        problems: list[ImportProblem],
        commit_date: dt.date | None = None,
    ) -> None:
        self.mapping, self.spec, self.today, self.problems = mapping, spec, today, problems
        self.commit_date = commit_date
        self.day_mismatches: list[DayMismatch] = []
        self.repeats: list[str] = []
        self.baselines = 0  # a file of tallies: opening rows of zeros before the period, skipped
        self.heading_mismatches: list[str] = []  # a heading's own figure unlike its row's column
        self.total_mismatches: list[str] = []  # a total category unlike the sum of the others

    def problem(self, record: int | None, name: str | None, message: str, fix: str, code: str | None = None) -> None:
        self.problems.append(
            ImportProblem(
                file=self.spec.path,
                record=record,
                field=name,
                message=message,
                fix=fix,
                code=code,
                table=is_csv(self.spec.path),
            )
        )

    def records(self, document: Any) -> list[Record]:
        if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
            self.problem(None, None, "not a list of records (JSON objects)", "Give the file as the upstream has it.")
            return []
        if self.spec.layout == "rows":
            return self.tallies(document) if self.spec.figures else self.rows(document)
        out: list[Record] = []
        newest_first = self.spec.order == "newest first"
        for index, raw in reversed(list(enumerate(document))) if newest_first else enumerate(document):
            day = self.date(index, raw)
            if day is None:
                continue
            if out and day <= out[-1].date:
                earlier = out[-1]
                same = day == earlier.date
                self.problem(
                    index,
                    self.spec.date,
                    f"{day} appears twice (records {earlier.index} and {index})"
                    if same
                    else f"{day} comes {'before' if newest_first else 'after'} {earlier.date} (record "
                    f"{earlier.index}): the dates are out of order (the file lists {self.spec.order})",
                    "A snapshot has one record per day, in order; take the file again from the upstream, or correct "
                    "the file's order in the mapping.",
                )
                continue
            notes = self.day_notes(raw)
            fields: dict[str, str] = {}
            found = self.figures(index, day, raw, fields)
            key = f"{self.spec.date}={raw[self.spec.date]}" if newest_first else ""  # its position moves daily
            out.append(Record(index=index, date=day, figures=found, fields=fields, key=key, raw=raw, **notes))
            self.day_count(index, day, raw)
        return out

    def rows(self, document: list[dict[str, Any]]) -> list[Record]:
        """A record per figure: its category from the first of the category fields present, its item,
        its figure; every record dated by the commit (or by its own date field)."""
        spec = self.spec
        day = self.commit_day() if spec.dateless else None
        if spec.dateless and day is None:
            return []
        out: list[Record] = []
        seen: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}  # a compiled table's rows, by key
        named = {spec.date, spec.figure, spec.item, *spec.category, *spec.ignore}
        named |= {f for f in (spec.low, spec.high, spec.claimant, spec.reference, spec.flag) if f}
        for index, raw in enumerate(document):
            when = day if day is not None else self.date(index, raw)
            category = self.row_category(index, raw)
            item = self.item(index, raw)
            if item is None:
                continue
            unknown = self.unknown_fields(index, raw, named)
            bounded = spec.low or spec.high
            figure = self.bounded(index, raw) if bounded else self.figure(index, spec.figure, raw.get(spec.figure))
            claimant = self.row_claimant(index, raw)
            notes = self.row_notes(index, raw)
            if when is None or category is None or figure is None or unknown or claimant is None or notes is None:
                continue
            value, low, high, field = figure if isinstance(figure, tuple) else (figure, None, None, spec.figure)
            # the same item twice in one category (an upstream listing it twice): each its own figure
            key = (category, item, claimant[0], when if day is None else None)
            if spec.claimant and key in first:  # a claimant's second figure of one thing on one day
                earlier, before = first[key]
                if _without(before, spec.claimant) == _without(raw, spec.claimant):
                    spelled = "" if before == raw else f", the claimant written {claimant[1]!r} there"
                    self.repeats.append(f"row {index + 2} repeats row {earlier + 2}{spelled}: read once")
                else:
                    self.problem(
                        index,
                        spec.claimant,
                        f"{claimant[1]!r} gives a second figure of {category} ({item}) for {when}, beside row "
                        f"{earlier + 2}: one claimant's two figures of one thing on one day cannot both be current",
                        "Read both rows' references: if one corrects the other, ask the compiler to drop it; if they "
                        "are two claimants' (two names of the table for different authors), give one its own ID in "
                        "the claimant table.",
                    )
                continue
            if spec.claimant:
                first[key] = (index, raw)
            seen[key] = seen.get(key, 0) + 1
            label = item if seen[key] == 1 else f"{item} (entry {seen[key]})"
            out.append(
                Record(
                    index=index,
                    date=when,
                    figures={category: (value, None)},  # type: ignore[dict-item]  # a range has no value
                    item=label,
                    side=self.mapping.side_of(raw[spec.item]),
                    field=field,
                    bounded=bool(bounded),
                    low=low,
                    high=high,
                    claimant=claimant[0],
                    attribution=claimant[1],
                    **notes,
                )
            )
        return out

    def tallies(self, document: list[dict[str, Any]]) -> list[Record]:
        """A file of dated rows, each several figures of one category and item (a running tally's
        destroyed, captured... and total of one type of one side): a record per figure column.

        A row's category cell may be the mapping's name of it, an earlier name (aliases: the
        upstream renamed it, or wrote it with a stray line break), or a heading that carries its own
        figures (a category's pattern): those are checked against the row's columns, and a
        difference is kept in the claims' notes and reported, the columns read. Rows before the
        period's start whose figures are all zero (a compiler's opening baseline) are counted, not read."""
        spec, mapping = self.spec, self.mapping
        out: list[Record] = []
        held: dict[tuple[str, str, dt.date], int] = {}
        named = {spec.date, spec.item, *spec.category, *spec.ignore, *(c for c, _ in spec.figure_columns)}
        for index, raw in enumerate(document):
            unknown = self.unknown_fields(index, raw, named)
            when, category, item = self.date(index, raw), self.row_category(index, raw), self.item(index, raw)
            values = [(c, suffix, self.figure(index, c, raw.get(c))) for c, suffix in spec.figure_columns]
            if when is None or category is None or item is None or unknown or any(v is None for _, _, v in values):
                continue
            if when < mapping.period_start:
                if spec.baseline_zeros and not any(v for _, _, v in values):
                    self.baselines += 1
                else:
                    self.problem(
                        index,
                        spec.date,
                        f"{when} is before the period the figures count from ({mapping.period_start})",
                        "Check the row; a compiler's opening zeros are skipped with baseline_zeros = true.",
                    )
                continue
            key = (category, item, when)
            if key in held:
                self.problem(
                    index,
                    spec.category[0],
                    f"a second row of {category} ({item}) for {when}, beside row {held[key] + 2}",
                    "One tally has one row a day: check both rows' names against the mapping's aliases.",
                )
                continue
            held[key] = index
            notes = self.name_notes(index, raw, category, {c: v for c, _, v in values})  # type: ignore[misc]
            for column, suffix, value in values:
                out.append(
                    Record(
                        index=index,
                        date=when,
                        figures={category: (value, None)},  # type: ignore[dict-item]
                        item=item,
                        side=mapping.side_of(raw[spec.item]),
                        field=column,
                        metric_suffix=suffix,
                        name_note=notes,
                    )
                )
        self.check_totals(out)
        return out

    def unknown_fields(self, index: int, raw: dict[str, Any], named: set[str]) -> list[str]:
        """The fields of a row the mapping does not name, each a problem: a new column may hold a
        figure nobody mapped, so the import stops rather than drop it."""
        unknown = sorted(set(raw) - named)
        for name in unknown:
            self.problem(
                index,
                name,
                f"{name!r} is not a field the mapping names (the category, item, figure or an ignored field)",
                f"Add it to the file's ignore list in {self.mapping.path.name}, or take the file again.",
            )
        return unknown

    def name_notes(self, index: int, raw: dict[str, Any], category: str, values: dict[str, int]) -> str:
        """What the row's category cell says beyond the category: the earlier name it uses, or the
        heading's own figures where they differ from the row's (reported too)."""
        cell = next(raw[name] for name in self.spec.category if name in raw)
        if cell == category:
            return ""
        pattern = self.mapping.categories[category].pattern
        match = pattern.fullmatch(cell) if pattern is not None else None
        if match is None:
            return f"The file names the category {cell!r}."
        differ = [(c, int(t), values[c]) for c, t in match.groupdict().items() if t is not None and int(t) != values[c]]
        for column, said, given in differ:
            self.heading_mismatches.append(
                f"row {index + 2}: the heading gives {column} {said}, the row's column {given} (read)"
            )
        return " ".join(
            f"The file's heading for this row gives {column} {said}, its column {given}."
            for column, said, given in differ
        )

    def check_totals(self, records: list[Record]) -> None:
        """A total category ("All Types") against its parts, per item and figure column: on each day,
        the total's change against the sum of the others' changes (a tally has a row only on a day it
        changes, so a part retired or renamed is never carried forward into the sum). A warning where
        they differ, never a refusal: the compiler's types may overlap, or leave some out."""
        totals = {c.key for c in self.mapping.categories.values() if c.total}
        if not totals:
            return
        parts = {c.key for c in self.mapping.categories.values() if not c.total and c.pattern is None}
        series: dict[tuple[str, str, str], list[tuple[dt.date, int]]] = {}
        for r in records:
            [(category, (value, _))] = r.figures.items()
            series.setdefault((category, r.item, r.field), []).append((r.date, value))
        changes: dict[tuple[str, str, str], dict[dt.date, int]] = {}  # (whole, item, column) -> day -> change
        for (category, item, column), rows in series.items():
            kind = "total" if category in totals else "parts" if category in parts else ""
            if not kind:
                continue
            days = changes.setdefault((kind, item, column), {})
            before = 0
            for day, value in sorted(rows):
                days[day] = days.get(day, 0) + value - before
                before = value
        for (kind, item, column), total in sorted(changes.items()):
            if kind != "total":
                continue
            summed = changes.get(("parts", item, column), {})
            every = sorted(set(total) | set(summed))
            differ = [d for d in every if total.get(d, 0) != summed.get(d, 0)]
            if differ:
                last = differ[-1]
                self.total_mismatches.append(
                    f"{', '.join(sorted(totals))} ({item}, {column}): its change differs from the sum of the other "
                    f"categories' changes on {len(differ)} of {len(every)} days (latest {last}: "
                    f"{total.get(last, 0):+d} against {summed.get(last, 0):+d})"
                )

    def item(self, index: int, raw: dict[str, Any]) -> str | None:
        """What the figure counts within its category, in the words the mapping's items give it."""
        spec, items = self.spec, self.mapping.items
        item = raw.get(spec.item)
        if not isinstance(item, str) or not item.strip():
            self.problem(index, spec.item, f"{_shown(item)} names nothing the figure counts", "Check the record.")
            return None
        if not items:
            return item
        if item not in items:
            known = ", ".join(map(repr, items))
            self.problem(
                index,
                spec.item,
                f"{_shown(item)} is not an item the mapping names ({known})",
                f"Add it to [items] in {self.mapping.path.name} with the words of its subject.",
            )
            return None
        return items[item]

    def row_claimant(self, index: int, raw: dict[str, Any]) -> tuple[str, str] | None:
        """(claimant ID, the name as the row writes it) for a file whose rows name their claimant;
        the mapping's claimant (and no name) otherwise. A name the table lacks is never guessed."""
        spec, table = self.spec, self.mapping.claimant_names
        if not spec.claimant:
            return "", ""
        name = raw.get(spec.claimant)
        if not isinstance(name, str) or name not in table:
            self.problem(
                index,
                spec.claimant,
                f"{_shown(name)} is not a name in the claimant table",
                "Add a row (name, claimant_id) to the mapping's claimant_table: an existing claimant's ID for "
                "another name of it, or a new ID declared under [claimants.<id>] with its name and kind.",
            )
            return None
        return table[name], name.strip()

    def bounded(self, index: int, raw: dict[str, Any]) -> tuple[int | None, int | None, int | None, str] | None:
        """(value, low, high, the field the locator names) of a row that gives a central figure,
        bounds or both, each cell empty or a whole number; the locator names the central figure,
        else the low bound, else the high one (what `claims validate` compares it with)."""
        spec = self.spec
        parts: list[int | None] = []
        for name in (spec.figure, spec.low, spec.high):
            cell = raw.get(name, "") if name else ""
            parts.append(None if cell == "" else self.figure(index, name, cell))
            if cell != "" and parts[-1] is None:
                return None
        value, low, high = parts
        if value is None and low is None and high is None:
            self.problem(index, spec.figure, "the row gives no figure and no bound", "Check the record.")
            return None
        if value is not None and (low is None) != (high is None):
            self.problem(
                index,
                spec.low if low is None else spec.high,
                "the row gives a central figure with one bound only, which no qualifier of the package states",
                "Check the record against its reference.",
            )
            return None
        if low is not None and high is not None and low > high:
            self.problem(index, spec.low, f"the low bound {low} is above the high bound {high}", "Check the record.")
            return None
        field = spec.figure if value is not None else spec.low if low is not None else spec.high
        return value, low, high, field

    def row_notes(self, index: int, raw: dict[str, Any]) -> dict[str, str] | None:
        """The sentences a row's reference and flag put in its claim's notes; None (and a problem)
        for a flag cell the mapping does not know: a "no", a formula, a note are never read as yes."""
        spec = self.spec
        out = {"reference_note": "", "flag_note": "", "flag_text": spec.flag_note if spec.flag else ""}
        if spec.reference:
            reference = str(raw.get(spec.reference, "")).strip()
            if reference.startswith(("http://", "https://")):
                out["reference_note"] = f"{REFERENCE_NOTE}{reference}"
            elif reference:
                out["reference_note"] = f"The compiler gives no address; its reference cell reads {reference!r}."
        if spec.flag:
            cell = str(raw.get(spec.flag, "")).strip()
            if cell.lower() in spec.flag_values:
                out["flag_note"] = spec.flag_note
            elif cell:
                known = ", ".join(repr(v) for v in spec.flag_values)
                self.problem(
                    index,
                    spec.flag,
                    f"{cell!r} is not a value of this column the mapping knows ({known}, or empty)",
                    f"Read what the compiler means by it; add it to flag_values in {self.mapping.path.name} if it "
                    "sets the flag, or ask the compiler to correct the cell.",
                )
                return None
        return out

    def commit_day(self) -> dt.date | None:
        if self.commit_date is None:
            self.problem(
                None,
                self.spec.date,
                "the file's records carry no date, so the day is the commit's, which was not given",
                "Import from a git checkout (its commit's date is read) or give --commit-date YYYY-MM-DD.",
            )
            return None
        if self.commit_date > self.today:
            self.problem(
                None,
                self.spec.date,
                f"the commit's day {self.commit_date} is after today ({self.today})",
                "Figures cannot cover the future: check --commit-date.",
                "date-in-future",
            )
            return None
        return self.commit_date

    def row_category(self, index: int, raw: dict[str, Any]) -> str | None:
        present = [name for name in self.spec.category if name in raw]
        if len(present) != 1:
            self.problem(
                index,
                " / ".join(self.spec.category),
                "the record names its category in none of the fields the mapping gives"
                if not present
                else f"the record names its category twice ({' and '.join(present)})",
                "Check the record against the mapping's category fields.",
            )
            return None
        category = raw[present[0]]
        if isinstance(category, str) and self.spec.figures:  # a file of tallies: earlier names, headings
            key = self.mapping.field_names.get(category)
            if key is None:  # a heading: its pattern, matched only where no name is
                matched = [c.key for c in self.mapping.patterns if c.pattern and c.pattern.fullmatch(category)]
                key = matched[0] if len(matched) == 1 else None
            category = key or category
        if not isinstance(category, str) or category not in self.mapping.categories:
            self.problem(
                index,
                present[0],
                f"{_shown(category)} is not a category the mapping names",
                f"Add [categories.{_quoted(str(category))}] with its metric to {self.mapping.path.name}.",
            )
            return None
        return category

    def figure(self, index: int, name: str, value: Any, negative: bool = False) -> int | None:
        """The whole number a field holds, or None and a problem: never text, a fraction, more than
        MAX_DIGITS digits, or (unless negative, for changes to totals) below zero."""
        if isinstance(value, Oversized):
            self.problem(
                index,
                name,
                f"a figure of {value.digits:,} digits ({value[:12]}...): larger than any count the package holds "
                f"exactly (at most {MAX_DIGITS} digits)",
                "Check the record: the upstream file is damaged or not the series the mapping names.",
            )
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(index, name, f"{_shown(value)} is not a whole number", "Check the record.")
            return None
        if value < 0 and not negative:
            self.problem(
                index, name, f"{value} is negative: a running total never is", "Check the record.", "constraint-minimum"
            )
            return None
        return value

    def day_count(self, index: int, day: dt.date, raw: dict[str, Any]) -> None:
        spec = self.spec
        if not spec.day_field or spec.day_one is None:
            return
        expected = (day - spec.day_one).days + 1
        given = raw.get(spec.day_field)
        if given != expected or isinstance(given, bool):
            self.day_mismatches.append(DayMismatch(index=index, date=day, given=given, expected=expected))

    def date(self, index: int, raw: dict[str, Any]) -> dt.date | None:
        value = raw.get(self.spec.date)
        if value is None:
            self.problem(index, self.spec.date, "the record has no date", "Every record needs its day.")
            return None
        day = _day(value, self.spec.date_format) if isinstance(value, str) else None
        if day is None:
            written = "YYYY-MM-DD" if self.spec.date_format == "iso" else "DD/MM/YYYY"
            self.problem(index, self.spec.date, f"{value!r} is not a day written {written}", "Check the record.")
            return None
        if day > self.today:
            self.problem(
                index,
                self.spec.date,
                f"{day} is after today ({self.today})",
                "Figures cannot cover the future: check the record.",
                "date-in-future",
            )
            return None
        return day

    def day_notes(self, raw: dict[str, Any]) -> dict[str, str]:
        """A day's reference (the address of the report it transcribes), for its claims' notes."""
        reference = str(raw.get(self.spec.reference, "")).strip() if self.spec.reference else ""
        if reference.startswith(("http://", "https://")):
            return {"reference_note": f"{REFERENCE_NOTE}{reference}"}
        return (
            {"reference_note": f"The compiler gives no address; its reference cell reads {reference!r}."}
            if (reference)
            else {}
        )

    def figures(
        self, index: int, day: dt.date, raw: dict[str, Any], fields: dict[str, str] | None = None
    ) -> dict[str, tuple[int, str | None]]:
        """The figures of a record of days by category key; fields (filled here) maps a category
        to the name the record gives its field, where that is an earlier name (an alias)."""
        m, suffix = self.mapping, self.mapping.marker_suffix
        fields = {} if fields is None else fields
        out: dict[str, tuple[int, str | None]] = {}
        for name, value in raw.items():
            if name == self.spec.date or name in self.spec.ignore or (name == self.spec.day_field != ""):
                continue
            if name == self.spec.reference:
                continue
            if value is None and self.spec.null_is_absent:
                continue  # the report gives no figure of the category that day
            if suffix and name.endswith(suffix) and name[: -len(suffix)] in m.categories:
                if not isinstance(value, str) or value not in m.markers:
                    known = ", ".join(map(repr, m.markers)) or "none"
                    self.problem(index, name, f"{value!r} is not a marker the mapping names ({known})", _MAPPING_FIX)
                continue
            key = m.field_names.get(name)
            category = m.categories.get(key) if key is not None else None
            if category is None:
                self.problem(
                    index,
                    name,
                    f"{name!r} is not a category the mapping names (nor the date, a marker or an ignored field)",
                    f"Add [categories.{_quoted(name)}] with its metric to {m.path.name}, or add it to the file's "
                    "ignore list.",
                )
                continue
            value = self.figure(index, name, value, negative=self.spec.corrections)
            if value is None:
                continue
            if (category.until and day > category.until) or (category.since and day < category.since):
                self.problem(index, name, _outside(category.key, day, category.since, category.until), _MAPPING_FIX)
                continue
            if category.key in out:
                self.problem(
                    index,
                    name,
                    f"the record gives {category.key!r} twice, under two of its names",
                    "Check the record: an upstream renames a field, it does not give both.",
                )
                continue
            out[category.key] = (value, (raw.get(name + suffix) if suffix else None) or category.marker or None)
            if name != category.key:
                fields[category.key] = name  # an earlier name: the locator names the field as the file does
        return out


def _day(text: str, date_format: str) -> dt.date | None:
    if date_format == "iso":
        return parse_date(text)
    match = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", text)
    if match is None:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_MAPPING_FIX = "Update the mapping if the upstream changed what it records, else take the file again."


def _quoted(name: str) -> str:
    return name if name.replace("_", "").isalnum() else f'"{name}"'


def _outside(key: str, day: dt.date, since: dt.date | None, until: dt.date | None) -> str:
    if until and day > until:
        return f"{key!r} appears on {day}, after its last day in the mapping ({until})"
    return f"{key!r} appears on {day}, before its first day in the mapping ({since})"


def _without(row: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != name}
