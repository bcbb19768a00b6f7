"""What a diff is made of: plain records of the changes between two packages, each classified,
and the version bump they deserve. Computed by compare/diff.py, rendered by compare/render.py,
read by the release and the pull-request gate.

  breaking   a row or field removed, a type changed (even integer -> number: readers get
             another type), a constraint narrowed, a key changed                          -> major
  addition   a row, field or resource added, a constraint widened                          -> minor
  retraction a row's status set to retracted or superseded                                 -> patch
  correction any other value changed, or descriptor text changed                           -> patch
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Kind = Literal["breaking", "addition", "retraction", "correction"]
What = Literal[
    "version",
    "licence-changed",
    "property-changed",
    "resource-added",
    "resource-removed",
    "field-added",
    "field-removed",
    "field-renamed",
    "type-changed",
    "constraint-changed",
    "key-changed",
    "fields-reordered",
]
Status = Literal["added", "removed", "changed", "unchanged"]
KINDS: tuple[Kind, ...] = get_args(Kind)
BUMP_FOR = {"breaking": "major", "addition": "minor", "retraction": "patch", "correction": "patch"}


KEY_JOIN = "\x1f"  # joins the fields of a composite primary key in a row's key (scripts split on it)


def key_label(key: str) -> str:
    """A row's key as a person reads it: the fields of a composite key set apart by " / " (the
    separator scripts split on is a control character, invisible on a page and invalid in XML)."""
    return key.replace(KEY_JOIN, " / ")


@dataclass(frozen=True, kw_only=True)
class CellChange:
    key: str
    column: str
    old: str
    new: str
    kind: Kind


@dataclass(frozen=True, kw_only=True)
class AddedGroup:
    """Rows added to a table that share a source and a metric: how many, their first and last
    key, and the first and last day they are for. A release of 20,000 imported figures reads as
    a few such lines; the keys themselves stay in ResourceDiff.added."""

    source_id: str
    metric_id: str
    count: int
    first: str
    last: str
    first_day: str
    last_day: str


@dataclass(kw_only=True)
class ResourceDiff:
    name: str
    key: list[str] = field(default_factory=list)
    keyed: bool = True  # False: no (unique) primary key, rows compared whole
    rows_old: int = 0
    rows_new: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed_rows: int = 0
    unchanged: int = 0
    cells: list[CellChange] = field(default_factory=list)
    duplicate: str = ""  # why a primary key could not be used
    status: Status = "changed"  # "added" / "removed" for a whole resource, "unchanged" when nothing moved
    added_groups: list[AddedGroup] = field(default_factory=list)  # the added rows by source and metric

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.cells or self.status in ("added", "removed"))


@dataclass(frozen=True, kw_only=True)
class MetaChange:
    """A change to the descriptor or to a Table Schema."""

    scope: str  # "descriptor", "schema:<resource>" or "resource:<resource>"
    what: What
    name: str  # property or field name
    old: Any
    new: Any
    kind: Kind


@dataclass(kw_only=True)
class PackageDiff:
    old: str
    new: str
    resources: dict[str, ResourceDiff] = field(default_factory=dict)
    meta: list[MetaChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(r.has_changes for r in self.resources.values()) or any(m.what != "version" for m in self.meta)

    def counts(self) -> dict[str, int]:
        """Changes per kind: rows for row changes, items for schema and descriptor changes."""
        counts = dict.fromkeys(KINDS, 0)
        for r in self.resources.values():
            counts["breaking"] += len(r.removed) + (r.status == "removed")
            counts["addition"] += len(r.added) + (r.status == "added")
            kinds_by_row: dict[str, set[str]] = {}
            for c in r.cells:
                kinds_by_row.setdefault(c.key, set()).add(c.kind)
            for kinds in kinds_by_row.values():
                counts["retraction" if "retraction" in kinds else "correction"] += 1
        for m in self.meta:
            if m.what != "version":
                counts[m.kind] += 1
        return counts

    def bump(self) -> tuple[str | None, str]:
        """The semantic version bump these changes deserve, and why."""
        counts = self.counts()
        for kind in KINDS:
            if counts[kind]:
                reasons = {
                    "breaking": "rows, fields or resources were removed, or a type, key or constraint was narrowed",
                    "addition": "rows, fields or resources were added, and nothing was removed or narrowed",
                    "retraction": "claims were retracted or superseded, and nothing was added or removed",
                    "correction": "values were corrected, and nothing was added or removed",
                }
                return BUMP_FOR[kind], f"{counts[kind]} {kind} change(s): {reasons[kind]}"
        return None, "no changes"
