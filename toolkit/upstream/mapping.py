"""A series mapping: what `claims import` needs to know about an upstream dataset, declared in a
small TOML file kept in the repository (mappings/<name>.toml), so that the next series someone
wants to track is a mapping file, not new code.

It says which files of a snapshot hold the figures and which the corrections, which field is the
date, which fields are figures and the metric each one counts (with its claimant and subject),
which marker turns a figure into "about" or "more than", which fields carry no figure, and when a
category was retired or merged into another. Every mistake in the file is a UsageError that names
the file and the key.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.dates import parse_date
from ..core.paths import inside_folder
from ..errors import UsageError

MAPPINGS = "mappings"  # the folder of the package that holds them
QUALIFIERS = ("exact", "approximately", "at_least", "more_than", "at_most", "fewer_than")
SIDES = ("russia", "ukraine")  # claims.side: whose forces a figure counts
ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, kw_only=True)
class Marker:
    """A marker value ("about") and what it makes of the figure it marks."""

    qualifier: str
    words: str  # written before the figure in the claim's wording


@dataclass(frozen=True, kw_only=True)
class Category:
    """One field of the upstream records that holds a figure, and the claims it becomes."""

    key: str
    metric: str
    claimant: str
    subject: str
    since: dt.date | None = None  # first day it may appear (a category that replaced others)
    until: dt.date | None = None  # last day it may appear (a retired category)
    merged_into: str = ""  # the category that carries its count after `until`
    # claimant -> metric: the claimant's figures of this category count something else (a table of
    # estimates whose "deaths" rows of a list of the named dead are counts of names, not estimates)
    claimant_metrics: dict[str, str] = field(default_factory=dict)
    marker: str = ""  # a marker (markers.<value>) every figure of the category has: the upstream says so once
    aliases: tuple[str, ...] = ()  # the field's earlier names (an upstream that renamed it, or fixed its spelling)
    # what the field counted before: (until, metric, subject), earliest first. A compiler that keeps
    # one field through the claimant's change of category (motor vehicles, then vehicles and fuel
    # tankers together) would otherwise put the first under the second's metric
    earlier: tuple[tuple[dt.date, str, str], ...] = ()
    # a file of rows whose category cell carries its own figures ("Losses excluding ... - 13640, of
    # which: destroyed: 9785, ..."): the cell matched in whole, each named group a figure column whose
    # number the row's column is checked against
    pattern: re.Pattern[str] | None = None
    # the category totals the others ("All Types"): checked against the sum of the others' latest
    # figures on each of its days, a warning where it is not their sum
    total: bool = False

    def metric_of(self, claimant: str, day: dt.date | None = None) -> str:
        return self.claimant_metrics.get(claimant, self.counts_on(day)[0])

    def counts_on(self, day: dt.date | None) -> tuple[str, str]:
        """(metric, subject) of the field's figure of day."""
        for until, metric, subject in self.earlier:
            if day is not None and day <= until:
                return metric, subject
        return self.metric, self.subject

    @property
    def metrics(self) -> set[str]:
        return {self.metric, *(m for _, m, _ in self.earlier), *self.claimant_metrics.values()}


DATE_FORMATS = ("iso", "day/month/year")  # YYYY-MM-DD; DD/MM/YYYY with or without leading zeros
COMMIT_DATE = "@commit"  # `date = "@commit"`: the records carry no date; the day is the snapshot's commit's


@dataclass(frozen=True, kw_only=True)
class FileSpec:
    path: str  # inside the snapshot folder, as in the upstream repository
    date: str  # the field that holds each record's day, or COMMIT_DATE
    ignore: tuple[str, ...] = ()  # fields that carry no figure
    corrections: bool = False  # a file of changes to earlier totals, not of totals
    day_field: str = ""  # a field that counts the days; checked against the date, reported, never followed
    day_one: dt.date | None = None  # the date day_field counts as day 1
    # layout "days": a record per day, a field per category. layout "rows": a record per figure, its
    # category named in a field (one of `category`: the field was renamed between versions), the
    # figure in `figure`, and what it counts within the category in `item` (a model, say)
    layout: str = "days"
    category: tuple[str, ...] = ()
    figure: str = ""
    item: str = ""
    # layout "rows" of a compiled table (a CSV file, say): the fields of a figure's bounds, of each
    # row's claimant (named through the mapping's claimant table), of its reference (an address,
    # kept in the claim's notes) and of a flag whose non-empty value adds flag_note to the notes
    low: str = ""
    high: str = ""
    claimant: str = ""
    reference: str = ""
    flag: str = ""
    flag_note: str = ""
    flag_values: tuple[str, ...] = ("yes",)  # the cells that set the flag (lower case); empty: not set; others refused
    date_format: str = "iso"  # or "day/month/year": 16/01/2024, 1/12/2025
    archive_as: str = ""  # the file's name in the archive when its upstream path holds spaces or the like
    order: str = "oldest first"  # a file of days: the order of its records ("newest first": the newest at /0)
    null_is_absent: bool = False  # a figure given as null is no figure: the report gives none of it that day
    # layout "rows" with several figures a row (destroyed, captured... and their total): each column
    # and the suffix its metric takes after the category's ("" for one of them, say the total)
    figures: tuple[tuple[str, str], ...] = ()
    # rows dated before the mapping's period_start whose figures are all zero: the compiler's opening
    # baseline of each category, not a figure anybody reported; skipped and counted (any other row
    # before period_start is refused)
    baseline_zeros: bool = False

    @property
    def figure_columns(self) -> tuple[tuple[str, str], ...]:
        """(column, metric suffix) of every figure of a row."""
        return self.figures or ((self.figure, ""),)

    @property
    def archived(self) -> str:
        """Where the file sits in its commit's archive folder."""
        return self.archive_as or self.path

    @property
    def dateless(self) -> bool:
        """The records carry no date: the snapshot is of one day, its commit's."""
        return self.date == COMMIT_DATE


@dataclass(frozen=True, kw_only=True)
class Announced:
    """Days on which the figures the mapping's claimant usually claims were announced by another:
    their claims are that claimant's, with the words of the attribution."""

    since: dt.date
    until: dt.date
    claimant: str
    attribution: str
    instead_of: str  # the claimant these days' figures would otherwise have


@dataclass(frozen=True, kw_only=True)
class CorrectionDate:
    """A day of the corrections file whose changes show in the totals of another day (the
    upstream dated them a day early, say): the rows are dated by their effect, the evidence in
    their notes. A mapping entry that matches no record of the file is an error, so a fix made
    upstream is noticed."""

    date: dt.date  # as the corrections file dates it
    effective: dt.date  # the day of the totals the change shows in
    evidence: str


@dataclass(frozen=True, kw_only=True)
class Mapping:
    name: str
    path: Path
    title: str
    repository: str
    file_url: str  # "{repository}/blob/{commit}/{path}": the address of a file at a commit
    publisher: str  # who compiled the dataset: the reporter of its figures
    licence: str
    licence_file: str
    language: str
    archive: str  # folder of the package the snapshots are archived in, one folder per commit
    count_type: str
    period_start: dt.date
    stale_after_days: int
    source_notes: str
    marker_suffix: str
    markers: dict[str, Marker]
    files: tuple[FileSpec, ...]
    categories: dict[str, Category]
    claimants: dict[str, dict[str, str]] = field(default_factory=dict)  # rows added when missing
    metrics: dict[str, dict[str, str]] = field(default_factory=dict)
    announced: tuple[Announced, ...] = ()
    correction_dates: dict[dt.date, CorrectionDate] = field(default_factory=dict)
    # a file of rows naming their claimant: each name as the upstream writes it -> a claimant ID
    claimant_names: dict[str, str] = field(default_factory=dict)
    items: dict[str, str] = field(default_factory=dict)  # an item as the upstream writes it -> its words
    side: str = ""  # whose forces every figure counts (claims.side), unless sides names the item's
    sides: dict[str, str] = field(default_factory=dict)  # an item as the upstream writes it -> its side
    # claims update follows the repository's history; false: imported from folders only (an upstream
    # that rewrites its history, whose commits are not one line of versions)
    follow: bool = True

    def side_of(self, item: str) -> str:
        """The side of an item as the upstream writes it (a row's `country`), else the mapping's."""
        return self.sides.get(item, self.side)

    @functools.cached_property
    def field_names(self) -> dict[str, str]:
        """Every name a file of days may give a category's field (its key, its aliases) -> the key."""
        out = {alias: c.key for c in self.categories.values() for alias in c.aliases}
        return out | {key: key for key in self.categories}

    @functools.cached_property
    def metric_ids(self) -> set[str]:
        """Every metric the mapping's figures count: each category's, with each suffix of its files."""
        suffixes = {s for f in self.figure_files for _, s in (f.figure_columns if f.layout == "rows" else (("", ""),))}
        return {m + s for c in self.categories.values() for m in c.metrics for s in suffixes}

    @functools.cached_property
    def patterns(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories.values() if c.pattern is not None)

    @property
    def figure_files(self) -> tuple[FileSpec, ...]:
        return tuple(f for f in self.files if not f.corrections)

    def claimant_on(self, category: Category, day: dt.date) -> tuple[str, str]:
        """(claimant, attribution) of the category's figure of that day."""
        for span in self.announced:
            if span.since <= day <= span.until and category.claimant == span.instead_of:
                return span.claimant, span.attribution
        return category.claimant, ""

    @property
    def claimant_ids(self) -> set[str]:
        # the categories' claimant claims nothing when every file's rows name their own
        by_category = (
            set() if all(f.claimant for f in self.figure_files) else {c.claimant for c in self.categories.values()}
        )
        return by_category | {a.claimant for a in self.announced} | set(self.claimant_names.values())


def mapping_path(root: Path, name: str) -> Path:
    """mappings/<name>.toml of the package, or name itself when it is the path of a .toml file."""
    given = Path(name)
    if given.suffix == ".toml":
        if not given.is_file():
            raise UsageError(f"no mapping file {name}")
        return given
    if not ID.fullmatch(name.replace("-", "_")):
        raise UsageError(f"{name!r} is not a mapping name: write the name of a file in {MAPPINGS}/ without .toml")
    path = inside_folder(root, f"{MAPPINGS}/{name}.toml")
    if not path.is_file():
        known = sorted(p.stem for p in (root / MAPPINGS).glob("*.toml")) if (root / MAPPINGS).is_dir() else []
        raise UsageError(
            f"no mapping {name!r}: {MAPPINGS}/{name}.toml does not exist (mappings: {', '.join(known) or 'none'})"
        )
    return path


def read_mapping(path: Path) -> Mapping:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise UsageError(f"{path}: not a readable TOML file ({exc})") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return _Reader(path, raw).mapping()


class _Reader:
    """Reads the parsed TOML into a Mapping, naming the file and key of every mistake."""

    def __init__(self, path: Path, raw: dict[str, Any]) -> None:
        self.path, self.raw = path, raw

    def fail(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.path}: {key}: {problem}")

    def text(self, table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail(f"{where}{key}", "a text is required here")
        return value

    def day(self, table: dict[str, Any], key: str, where: str) -> dt.date | None:
        if key not in table:
            return None
        value = table[key]
        parsed = value if isinstance(value, dt.date) else parse_date(value) if isinstance(value, str) else None
        if not isinstance(parsed, dt.date) or isinstance(parsed, dt.datetime):
            raise self.fail(f"{where}{key}", f"{value!r} is not a day written YYYY-MM-DD")
        return parsed

    def mapping(self) -> Mapping:
        raw = self.raw
        known = {
            "name", "title", "repository", "file_url", "publisher", "licence", "licence_file", "language",
            "archive", "claimant", "count_type", "period_start", "stale_after_days", "source_notes",
            "marker_suffix", "markers", "files", "categories", "claimants", "metrics", "announced",
            "correction_dates", "claimant_table", "items", "side", "sides", "follow",
        }  # fmt: skip
        unknown = sorted(set(raw) - known)
        if unknown:
            raise self.fail(unknown[0], f"not a key of a mapping (keys: {', '.join(sorted(known))})")
        name = self.text(raw, "name", "")
        if name != self.path.stem:
            raise self.fail("name", f"{name!r} differs from the file's name {self.path.stem!r}")
        archive = self.text(raw, "archive", "")
        if not re.fullmatch(r"seeds/[A-Za-z0-9_.-]+", archive):
            raise self.fail("archive", f"{archive!r} is not a folder directly under seeds/")
        stale = raw.get("stale_after_days", 0)
        if not isinstance(stale, int) or isinstance(stale, bool) or stale < 0:
            raise self.fail("stale_after_days", "a whole number of days is required")
        period_start = self.day(raw, "period_start", "")
        if period_start is None:
            raise self.fail("period_start", "the first day every running total counts from is required")
        claimant = self.text(raw, "claimant", "")
        markers, categories, files = self.markers(), self.categories(claimant), self.files()
        for c in categories.values():
            if c.marker and c.marker not in markers:
                raise self.fail(f"categories.{c.key}.marker", f"{c.marker!r} is not a marker of [markers]")
        columns = {column for f in files if f.layout == "rows" for column, _ in f.figure_columns}
        for c in categories.values():
            unknown = sorted(set(c.pattern.groupindex) - columns) if c.pattern is not None else []
            if unknown:
                raise self.fail(f"categories.{c.key}.pattern", f"({unknown[0]}) is not a figure column of a file")
        return Mapping(
            name=name,
            path=self.path,
            title=self.text(raw, "title", ""),
            repository=self.text(raw, "repository", ""),
            file_url=self.text(raw, "file_url", "", ""),
            publisher=self.text(raw, "publisher", ""),
            licence=self.text(raw, "licence", "", ""),
            licence_file=self.text(raw, "licence_file", "", ""),
            language=self.text(raw, "language", "", ""),
            archive=archive,
            count_type=self.text(raw, "count_type", "", "cumulative"),
            period_start=period_start,
            stale_after_days=stale,
            source_notes=self.text(raw, "source_notes", "", ""),
            marker_suffix=self.text(raw, "marker_suffix", "", "*"),
            markers=markers,
            files=files,
            categories=categories,
            claimants=self.rows("claimants", ("name", "kind", "country", "notes")),
            metrics=self.rows("metrics", ("label", "definition", "unit", "compares_with", "comparison", "falls")),
            announced=self.announced(claimant),
            correction_dates=self.correction_dates(),
            claimant_names=self.claimant_table(),
            items=self.items(),
            side=self.side(raw, "side"),
            sides=self.sides(),
            follow=self.boolean(raw, "follow", "", default=True),
        )

    def side(self, table: dict[str, Any], key: str) -> str:
        value = self.text(table, key, "", "")
        if value and value not in SIDES:
            raise self.fail(key, f"{value!r} is not a side ({', '.join(SIDES)})")
        return value

    def sides(self) -> dict[str, str]:
        table = self.raw.get("sides", {})
        if not isinstance(table, dict):
            raise self.fail("sides", "a table of item -> side is required")
        return {item: self.side(table, item) for item in table}

    def claimant_table(self) -> dict[str, str]:
        """claimant_table: a CSV file beside the mapping, columns name and claimant_id, one row per
        name the upstream writes (aliases of one claimant are rows with the same ID)."""
        if "claimant_table" not in self.raw:
            return {}
        rel = self.text(self.raw, "claimant_table", "")
        path = self.path.parent / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts or not path.is_file():
            raise self.fail("claimant_table", f"{rel!r} is not a CSV file beside the mapping")
        try:
            rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self.fail("claimant_table", f"{rel} is not a readable CSV file ({exc})") from exc
        out: dict[str, str] = {}
        for number, row in enumerate(rows, start=2):
            name, claimant = row.get("name"), row.get("claimant_id")
            if not isinstance(name, str) or not isinstance(claimant, str) or not ID.fullmatch(claimant):
                raise self.fail("claimant_table", f"{rel} row {number}: a name and a claimant ID are required")
            if name in out:
                raise self.fail("claimant_table", f"{rel} row {number}: {name!r} is named twice")
            out[name] = claimant
        return out

    def items(self) -> dict[str, str]:
        table = self.raw.get("items", {})
        if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
            raise self.fail("items", "a table of item -> words (texts) is required")
        return dict(table)

    def announced(self, claimant: str) -> tuple[Announced, ...]:
        spans = self.raw.get("announced", [])
        if not isinstance(spans, list) or not all(isinstance(a, dict) for a in spans):
            raise self.fail("announced", "a list of [[announced]] tables is required")
        out = []
        for i, spec in enumerate(spans):
            where = f"announced[{i}]."
            since, until = self.day(spec, "since", where), self.day(spec, "until", where)
            if since is None or until is None or until < since:
                raise self.fail(f"{where}until", "since and until are required, until not before since")
            who = self.text(spec, "claimant", where)
            if not ID.fullmatch(who):
                raise self.fail(f"{where}claimant", f"{who!r} is not a claimant ID (lower-case snake_case)")
            out.append(
                Announced(
                    since=since,
                    until=until,
                    claimant=who,
                    attribution=self.text(spec, "attribution", where),
                    instead_of=self.text(spec, "instead_of", where, claimant),
                )
            )
        return tuple(out)

    def correction_dates(self) -> dict[dt.date, CorrectionDate]:
        entries = self.raw.get("correction_dates", [])
        if not isinstance(entries, list) or not all(isinstance(a, dict) for a in entries):
            raise self.fail("correction_dates", "a list of [[correction_dates]] tables is required")
        out: dict[dt.date, CorrectionDate] = {}
        for i, spec in enumerate(entries):
            where = f"correction_dates[{i}]."
            date, effective = self.day(spec, "date", where), self.day(spec, "effective", where)
            if date is None or effective is None:
                raise self.fail(f"{where}effective", "date and effective are required")
            if date in out:
                raise self.fail(f"{where}date", f"{date} is given twice")
            out[date] = CorrectionDate(date=date, effective=effective, evidence=self.text(spec, "evidence", where))
        return out

    def markers(self) -> dict[str, Marker]:
        out = {}
        for value, spec in self.raw.get("markers", {}).items():
            where = f"markers.{value}."
            if not isinstance(spec, dict):
                raise self.fail(f"markers.{value}", "a table with qualifier and words is required")
            qualifier = self.text(spec, "qualifier", where)
            if qualifier not in QUALIFIERS:
                raise self.fail(f"{where}qualifier", f"{qualifier!r} is not one of {', '.join(QUALIFIERS)}")
            out[value] = Marker(qualifier=qualifier, words=self.text(spec, "words", where))
        return out

    def files(self) -> tuple[FileSpec, ...]:
        files = self.raw.get("files")
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            raise self.fail("files", "a list of [[files]] tables is required, one per file of the snapshot")
        out = []
        for i, spec in enumerate(files):
            where = f"files[{i}]."
            path = self.text(spec, "path", where)
            if path.startswith("/") or ".." in Path(path).parts or not path.endswith((".json", ".csv")):
                raise self.fail(f"{where}path", f"{path!r} is not a .json or .csv file's path inside the snapshot")
            archive_as = self.text(spec, "archive_as", where, "")
            if archive_as and not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.(json|csv)", archive_as):
                raise self.fail(f"{where}archive_as", f"{archive_as!r} is not a path of letters, digits, _ . - and /")
            if not archive_as and not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*", path):
                raise self.fail(f"{where}archive_as", f"{path!r} cannot be archived as it is named: give archive_as")
            ignore = spec.get("ignore", [])
            if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
                raise self.fail(f"{where}ignore", "a list of field names is required")
            day_field = self.text(spec, "day_field", where, "")
            day_one = self.day(spec, "day_one", where)
            if bool(day_field) != (day_one is not None):
                raise self.fail(f"{where}day_one", "day_field and day_one go together: the field and its day 1")
            out.append(
                FileSpec(
                    path=path,
                    date=self.text(spec, "date", where),
                    ignore=tuple(ignore),
                    corrections=bool(spec.get("corrections", False)),
                    day_field=day_field,
                    day_one=day_one,
                    archive_as=archive_as,
                    order=self.order(spec, where),
                    null_is_absent=self.boolean(spec, "null_is_absent", where),
                    baseline_zeros=self.boolean(spec, "baseline_zeros", where),
                    **self.layout(spec, where),
                )
            )
        if not any(not f.corrections for f in out):
            raise self.fail("files", "no file of figures (every file is marked corrections = true)")
        return tuple(out)

    def layout(self, spec: dict[str, Any], where: str) -> dict[str, Any]:
        layout = self.text(spec, "layout", where, "days")
        if layout == "days":
            extra = [k for k in ("category", "figure", "item") if k in spec]
            if extra:
                raise self.fail(f"{where}{extra[0]}", 'only a file of layout = "rows" names its category field')
            if spec.get("date") == COMMIT_DATE:
                raise self.fail(f"{where}date", "a file of one record per day names its date field")
            return {"reference": self.text(spec, "reference", where, "")}  # each day's report address
        if layout != "rows":
            raise self.fail(f"{where}layout", f'{layout!r} is not "days" (a record per day) or "rows" (per figure)')
        category = spec.get("category")
        names = [category] if isinstance(category, str) else category
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise self.fail(
                f"{where}category", "the field that names each record's category is required (a list: renamed fields)"
            )
        if spec.get("corrections"):
            raise self.fail(f"{where}corrections", 'a file of corrections has layout = "days"')
        date_format = self.text(spec, "date_format", where, "iso")
        if date_format not in DATE_FORMATS:
            raise self.fail(f"{where}date_format", f"{date_format!r} is not one of {', '.join(DATE_FORMATS)}")
        if spec.get("claimant") and "claimant_table" not in self.raw:
            raise self.fail(f"{where}claimant", "a field of claimants needs the mapping's claimant_table")
        figures = self.figures(spec, where)
        return {
            "layout": layout,
            "category": tuple(names),
            "figure": "" if figures else self.text(spec, "figure", where),
            "figures": figures,
            "item": self.text(spec, "item", where),
            "date_format": date_format,
            **{k: self.text(spec, k, where, "") for k in ("low", "high", "claimant", "reference", "flag", "flag_note")},
            "flag_values": self.flag_values(spec, where),
        }

    def figures(self, spec: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
        if "figures" not in spec:
            return ()
        table = spec["figures"]
        if "figure" in spec:
            raise self.fail(f"{where}figures", "give figure (one column) or figures (several), not both")
        if not isinstance(table, dict) or not table:
            raise self.fail(f"{where}figures", "a table of figure column -> metric suffix is required")
        for column, suffix in table.items():
            if not isinstance(suffix, str) or (suffix and not re.fullmatch(r"_[a-z0-9_]+", suffix)):
                raise self.fail(f"{where}figures.{column}", f'{suffix!r} is not a metric suffix ("" or _lower_case)')
        if len(set(table.values())) != len(table):
            raise self.fail(f"{where}figures", "two columns give one suffix: their figures would be one metric's")
        return tuple(table.items())

    def names(self, spec: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = spec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"{where}{key}", "a list of field names is required")
        return tuple(value)

    def order(self, spec: dict[str, Any], where: str) -> str:
        order = self.text(spec, "order", where, "oldest first")
        if order not in ("oldest first", "newest first"):
            raise self.fail(f"{where}order", f'{order!r} is not "oldest first" or "newest first"')
        return order

    def boolean(self, spec: dict[str, Any], key: str, where: str, default: bool = False) -> bool:
        value = spec.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}{key}", "true or false is required")
        return value

    def flag_values(self, spec: dict[str, Any], where: str) -> tuple[str, ...]:
        values = spec.get("flag_values", ["yes"])
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(f"{where}flag_values", "a list of the cells that set the flag is required")
        return tuple(v.strip().lower() for v in values)

    def categories(self, claimant: str) -> dict[str, Category]:
        table = self.raw.get("categories")
        if not isinstance(table, dict) or not table:
            raise self.fail("categories", "a [categories.<field>] table is required for each field that holds a figure")
        out: dict[str, Category] = {}
        for key, spec in table.items():
            where = f"categories.{key}."
            if not isinstance(spec, dict):
                raise self.fail(f"categories.{key}", "a table with metric and subject is required")
            metric = self.text(spec, "metric", where)
            if not ID.fullmatch(metric):
                raise self.fail(f"{where}metric", f"{metric!r} is not a metric ID (lower-case snake_case)")
            subject = self.text(spec, "subject", where)
            try:
                subject.format(item="x")
            except (KeyError, IndexError, ValueError) as exc:
                raise self.fail(f"{where}subject", "braces may hold only {item} (the record's item)") from exc
            out[key] = Category(
                key=key,
                metric=metric,
                claimant=self.text(spec, "claimant", where, claimant),
                subject=subject,
                since=self.day(spec, "since", where),
                until=self.day(spec, "until", where),
                merged_into=self.text(spec, "merged_into", where, ""),
                claimant_metrics=self.claimant_metrics(spec, where),
                marker=self.text(spec, "marker", where, ""),
                aliases=self.names(spec, "aliases", where),
                earlier=self.earlier(spec, where),
                pattern=self.pattern(spec, where),
                total=self.boolean(spec, "total", where),
            )
        seen: dict[tuple[str, str], str] = {}
        for c in out.values():
            if (c.claimant, c.metric) in seen:
                raise self.fail(
                    f"categories.{c.key}.metric",
                    f"{c.metric} of {c.claimant} is counted by {seen[c.claimant, c.metric]!r} already: "
                    "one series per metric and claimant",
                )
            seen[c.claimant, c.metric] = c.key
            if c.merged_into and c.merged_into not in out:
                raise self.fail(f"categories.{c.key}.merged_into", f"{c.merged_into!r} is not a category")
        return out

    def pattern(self, spec: dict[str, Any], where: str) -> re.Pattern[str] | None:
        text = self.text(spec, "pattern", where, "")
        if not text:
            return None
        try:
            compiled = re.compile(text)
        except re.error as exc:
            raise self.fail(f"{where}pattern", f"not a regular expression ({exc})") from exc
        if not compiled.groupindex:
            raise self.fail(f"{where}pattern", "name each figure the cell carries: (?P<column>\\d+)")
        return compiled

    def earlier(self, spec: dict[str, Any], where: str) -> tuple[tuple[dt.date, str, str], ...]:
        table = spec.get("earlier", [])
        if not isinstance(table, list) or not all(isinstance(t, dict) for t in table):
            raise self.fail(
                f"{where}earlier", "a list of tables [[...earlier]] with until, metric and subject is required"
            )
        out = []
        for n, entry in enumerate(table):
            at = f"{where}earlier.{n}."
            until, metric = self.day(entry, "until", at), self.text(entry, "metric", at)
            if until is None:
                raise self.fail(f"{at}until", "the last day the field counted this is required")
            if not ID.fullmatch(metric):
                raise self.fail(f"{at}metric", f"{metric!r} is not a metric ID (lower-case snake_case)")
            out.append((until, metric, self.text(entry, "subject", at)))
        days = [u for u, _, _ in out]
        if days != sorted(set(days)):
            raise self.fail(f"{where}earlier", "the entries go earliest first, each with its own until")
        return tuple(out)

    def claimant_metrics(self, spec: dict[str, Any], where: str) -> dict[str, str]:
        table = spec.get("claimant_metrics", {})
        if not isinstance(table, dict):
            raise self.fail(f"{where}claimant_metrics", "a table of claimant ID -> metric ID is required")
        for claimant, metric in table.items():
            if not ID.fullmatch(claimant) or not isinstance(metric, str) or not ID.fullmatch(metric):
                raise self.fail(f"{where}claimant_metrics.{claimant}", "a claimant ID -> a metric ID is required")
        return dict(table)

    def rows(self, name: str, columns: tuple[str, ...]) -> dict[str, dict[str, str]]:
        table = self.raw.get(name, {})
        out = {}
        for key, spec in table.items():
            if not isinstance(spec, dict) or not all(isinstance(v, str) for v in spec.values()):
                raise self.fail(f"{name}.{key}", "a table of texts is required")
            extra = sorted(set(spec) - set(columns))
            if extra:
                raise self.fail(f"{name}.{key}.{extra[0]}", f"not a column of {name} ({', '.join(columns)})")
            out[key] = dict(spec)
        return out
