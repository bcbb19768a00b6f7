"""diff_packages(old, new) -> PackageDiff: what changed between two releases, and what it deserves.

Rows are matched by primary key and compared by schema type (so row order, column order and
quoting are no change; a cell that is not valid for its type is compared as the text it holds).
Every change is classified (compare/diff_model.py), and the classes decide the semantic version
bump the data package version recipe asks for.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..read.declared_format import spelled_default
from ..read.model import LoadedPackage, Table
from ..read.policy import open_readable
from .diff_model import KEY_JOIN, AddedGroup, CellChange, Kind, MetaChange, PackageDiff, ResourceDiff

RETRACTED = ("retracted", "superseded")
# Type changes that users' code would not notice. None: even integer -> number, which accepts
# every old value, hands readers another type (frictionless: Decimal instead of int; pandas:
# float64 instead of Int64), so code that checks or relies on the type breaks: a major change.
WIDENINGS: set[tuple[str, str]] = set()


def _invalid_notes(label: str, package: LoadedPackage) -> list[str]:
    """What a side holds that claims validate rejects, so nobody reads the diff as a clean bill."""
    notes = []
    for table in package.tables.values():
        for column, texts in table.invalid_text.items():
            rows = ", ".join(str(table.rows[i]) for i in list(texts)[:5]) + (" ..." if len(texts) > 5 else "")
            notes.append(
                f"{label}: {table.file} has {len(texts)} {column} cell(s) that are not valid "
                f"{table.schema.field(column).type}s (rows {rows}); they are compared as written. "
                "Run `claims validate` on that side."
            )
    return notes


def _as_text(values: pd.Series) -> list[str]:
    def show(v: Any) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return [show(v) for v in values.tolist()]


def _key_strings(table: Table, key: list[str]) -> pa.Array:
    """One string per row identifying it by its primary key (fields joined by KEY_JOIN), each
    field as the CSV writes it: a date as YYYY-MM-DD, not as arrow casts a timestamp."""
    parts = []
    for k in key:
        column = pa.array(table.frame[k], from_pandas=True)
        if pa.types.is_timestamp(column.type):
            date = table.schema.field(k).type == "date"
            column = pc.strftime(column, format="%Y-%m-%d" if date else "%Y-%m-%dT%H:%M:%S")
        parts.append(pc.fill_null(pc.cast(column, pa.large_string()), ""))
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, pa.scalar(KEY_JOIN, pa.large_string()))


def _row_texts(table: Table, columns: list[str]) -> pd.Series:
    """Each row as one string of its typed values, for comparing rows whole."""
    parts = [pd.Series(_as_text(table.as_written(c)), dtype=object) for c in columns]
    if not parts:
        return pd.Series([""] * len(table.frame), dtype=object)
    return parts[0].str.cat(parts[1:], sep="\x1f") if len(parts) > 1 else parts[0]


def _diff_whole_rows(old: Table, new: Table, columns: list[str], result: ResourceDiff) -> None:
    """Without a common primary key: rows are a multiset; a changed row is one removed plus one
    added, named by its row number in its file."""
    a, b = _row_texts(old, columns), _row_texts(new, columns)
    in_b, in_a = b.value_counts(), a.value_counts()
    removed = (a.groupby(a).cumcount() >= a.map(in_b).fillna(0)).to_numpy()
    added = (b.groupby(b).cumcount() >= b.map(in_a).fillna(0)).to_numpy()
    result.removed = [f"row {r}" for r in old.rows[removed]]
    result.added = [f"row {r}" for r in new.rows[added]]
    result.unchanged = int((~removed).sum())


def _diff_table(old: Table, new: Table) -> ResourceDiff:
    key = old.schema.primary_key if old.schema.primary_key == new.schema.primary_key else []
    columns = [c for c in old.schema.names if c in new.schema.names and c in old.frame and c in new.frame]
    result = ResourceDiff(name=old.name, key=key, keyed=bool(key), rows_old=len(old.frame), rows_new=len(new.frame))
    if not key:
        _diff_whole_rows(old, new, columns, result)
        return result
    keys = {}
    for side, table in (("old", old), ("new", new)):
        keys[side] = _key_strings(table, key)
        if pc.count_distinct(keys[side]).as_py() != len(keys[side]):
            counts = pc.value_counts(keys[side])
            dup = pc.filter(counts, pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
            first = np.flatnonzero(pc.equal(keys[side], dup).to_numpy(zero_copy_only=False))[:5]
            # rows cannot be matched by a key that is not unique: compare them whole instead
            result.keyed, result.key = False, []
            rows = table.rows[first].tolist()
            result.duplicate = f"{side} {table.file} has the primary key {dup!r} twice (rows {rows})"
            _diff_whole_rows(old, new, columns, result)
            return result
    old_keys, new_keys = keys["old"], keys["new"]
    in_new = np.asarray(pc.is_in(old_keys, value_set=new_keys).to_numpy(zero_copy_only=False))
    in_old = np.asarray(pc.is_in(new_keys, value_set=old_keys).to_numpy(zero_copy_only=False))
    result.removed = pc.filter(old_keys, pa.array(~in_new)).to_pylist()
    result.added = pc.filter(new_keys, pa.array(~in_old)).to_pylist()
    result.added_groups = _added_groups(new, ~in_old)
    common_old = np.flatnonzero(in_new)
    common_keys = old_keys.take(pa.array(common_old))
    common_new = np.asarray(pc.index_in(common_keys, value_set=new_keys).to_numpy(zero_copy_only=False))
    common_keys = common_keys.to_numpy(zero_copy_only=False)
    changed_any = np.zeros(len(common_old), dtype=bool)
    retract_rows = np.zeros(len(common_old), dtype=bool)
    if "status" in columns:
        s_old = old.frame["status"].to_numpy()[common_old]
        s_new = new.frame["status"].to_numpy()[common_new]
        retract_rows = np.isin(s_new, RETRACTED) & ~np.isin(s_old, RETRACTED)
    for column in columns:
        a = old.as_written(column).iloc[common_old].reset_index(drop=True)
        b = new.as_written(column).iloc[common_new].reset_index(drop=True)
        if a.dtype == object or b.dtype == object:
            a, b = a.astype(object), b.astype(object)
        equal = (a == b).to_numpy(dtype=bool, na_value=False) | (a.isna().to_numpy() & b.isna().to_numpy())
        diff = np.flatnonzero(~equal)
        if not len(diff):
            continue
        changed_any[diff] = True
        olds, news = _as_text(a.iloc[diff]), _as_text(b.iloc[diff])
        for j, i in enumerate(diff):
            kind = "retraction" if retract_rows[i] and column in ("status", "supersedes", "notes") else "correction"
            result.cells.append(CellChange(key=common_keys[i], column=column, old=olds[j], new=news[j], kind=kind))
    result.changed_rows = int(changed_any.sum())
    result.unchanged = len(common_old) - result.changed_rows
    result.cells.sort(key=lambda c: (c.key, columns.index(c.column)))
    return result


GROUPED_BY = ("source_id", "metric_id")
DAY_COLUMNS = ("period_end", "date")


def _added_groups(new: Table, added: np.ndarray) -> list[AddedGroup]:
    """The added rows grouped by source and metric (for a table that has both), in key order."""
    frame = new.frame
    if not added.any() or not all(c in frame.columns for c in GROUPED_BY):
        return []
    key = new.schema.primary_key[0]
    day = next((c for c in DAY_COLUMNS if c in frame.columns), None)
    rows = frame.loc[added, [*GROUPED_BY, key, *([day] if day else [])]].astype(object)
    rows["order"] = rows[key].astype(str).str.extract(r"([0-9]+)$")[0].astype(float).fillna(-1)
    out = []
    for (source, metric), part in rows.sort_values(["order", key]).groupby(list(GROUPED_BY), sort=True, dropna=False):
        days = part[day].dropna() if day else pd.Series([], dtype=object)
        out.append(
            AddedGroup(
                source_id=str(source),
                metric_id=str(metric),
                count=len(part),
                first=str(part[key].iloc[0]),
                last=str(part[key].iloc[-1]),
                first_day=pd.Timestamp(days.min()).strftime("%Y-%m-%d") if len(days) else "",
                last_day=pd.Timestamp(days.max()).strftime("%Y-%m-%d") if len(days) else "",
            )
        )
    return sorted(out, key=lambda g: (_number(g.first), g.first))


def _number(key: str) -> int:
    digits = "".join(ch for ch in key if ch.isdigit())
    return int(digits) if digits else -1


def _constraint_kind(name: str, old: Any, new: Any) -> Kind:
    """Does changing a constraint from old to new reject data it used to accept?"""
    if name == "enum" and old is not None and new is not None:
        return "breaking" if set(old) - set(new) else "addition"
    if name in ("required", "unique"):
        return "breaking" if new and not old else "addition"
    if name in ("minimum", "minLength"):
        return "breaking" if old is None or (new is not None and new > old) else "addition"
    if name in ("maximum", "maxLength"):
        return "breaking" if old is None or (new is not None and new < old) else "addition"
    return "breaking" if new is not None else "addition"


def _diff_schema(name: str, old: Table | None, new: Table | None, old_s: Any, new_s: Any) -> list[MetaChange]:
    scope = f"schema:{name}"
    changes: list[MetaChange] = []
    of = {f.name: f for f in old_s.fields}
    nf = {f.name: f for f in new_s.fields}
    removed = [n for n in of if n not in nf]
    added = [n for n in nf if n not in of]
    renamed: dict[str, str] = {}
    if old is not None and new is not None:
        for r in removed:
            for a in added:
                if a in renamed.values() or of[r].type != nf[a].type:
                    continue
                if (
                    r in old.frame
                    and a in new.frame
                    and len(old.frame) == len(new.frame)
                    and old.frame[r].reset_index(drop=True).equals(new.frame[a].reset_index(drop=True))
                ):
                    renamed[r] = a
    for r, a in renamed.items():
        changes.append(MetaChange(scope=scope, what="field-renamed", name=r, old=r, new=a, kind="breaking"))
    changes += [
        MetaChange(scope=scope, what="field-removed", name=n, old=n, new=None, kind="breaking")
        for n in removed
        if n not in renamed
    ]
    changes += [
        MetaChange(scope=scope, what="field-added", name=n, old=None, new=n, kind="addition")
        for n in added
        if n not in renamed.values()
    ]
    for n in of:
        if n not in nf:
            continue
        if of[n].type != nf[n].type:
            widened = (of[n].type, nf[n].type) in WIDENINGS
            changes.append(
                MetaChange(
                    scope=scope,
                    what="type-changed",
                    name=n,
                    old=of[n].type,
                    new=nf[n].type,
                    kind="addition" if widened else "breaking",
                )
            )
        for c in sorted(set(of[n].constraints) | set(nf[n].constraints)):
            a, b = of[n].constraints.get(c), nf[n].constraints.get(c)
            if a != b:
                changes.append(
                    MetaChange(
                        scope=scope,
                        what="constraint-changed",
                        name=f"{n}.{c}",
                        old=a,
                        new=b,
                        kind=_constraint_kind(c, a, b),
                    )
                )
    if old_s.primary_key != new_s.primary_key:
        changes.append(
            MetaChange(
                scope=scope,
                what="key-changed",
                name="primaryKey",
                old=old_s.primary_key,
                new=new_s.primary_key,
                kind="breaking",
            )
        )
    if [f.name for f in old_s.fields if f.name in nf] != [f.name for f in new_s.fields if f.name in of]:
        changes.append(
            MetaChange(scope=scope, what="fields-reordered", name="fields", old=None, new=None, kind="correction")
        )
    return changes


def _license_names(d: dict) -> list[str]:
    return sorted(str(x.get("name") or x.get("path")) for x in d.get("licenses", []) if isinstance(x, dict))


def _diff_descriptor(old: dict, new: dict) -> list[MetaChange]:
    changes = []
    if old.get("version") != new.get("version"):
        changes.append(
            MetaChange(
                scope="descriptor",
                what="version",
                name="version",
                old=old.get("version"),
                new=new.get("version"),
                kind="correction",
            )
        )
    if _license_names(old) != _license_names(new):
        changes.append(
            MetaChange(
                scope="descriptor",
                what="licence-changed",
                name="licenses",
                old=_license_names(old),
                new=_license_names(new),
                kind="breaking",
            )
        )
    return changes + _property_changes(
        "descriptor",
        old,
        new,
        ("name", "title", "description", "homepage", "keywords", "contributors", "sources"),
        ("name",),
    )


# properties of a resource whose change breaks a reader (where to find it, how to read it); the
# rest (title, description, ...) are corrections. bytes and hash follow from the data, whose
# changes the row diff shows, and schema has its own comparison.
_RESOURCE_BREAKING = ("path", "encoding", "format", "mediatype", "compression", "dialect")
_RESOURCE_SKIPPED = ("name", "schema", "bytes", "hash")


def _diff_resource(name: str, old: dict, new: dict) -> list[MetaChange]:
    props = [p for p in dict.fromkeys([*old, *new]) if p not in _RESOURCE_SKIPPED]
    changes = _property_changes(f"resource:{name}", old, new, props, _RESOURCE_BREAKING)
    # a dialect that only spells out the default (or is dropped when it did) reads the file as before
    same = spelled_default(old.get("dialect")) and spelled_default(new.get("dialect"))
    return [replace(c, kind="correction") if c.name == "dialect" and same else c for c in changes]


def _property_changes(
    scope: str, old: dict, new: dict, props: Iterable[str], breaking: Container[str]
) -> list[MetaChange]:
    """A change per property whose value differs: breaking for the properties named so, else a correction."""
    return [
        MetaChange(
            scope=scope,
            what="property-changed",
            name=prop,
            old=old.get(prop),
            new=new.get(prop),
            kind="breaking" if prop in breaking else "correction",
        )
        for prop in props
        if old.get(prop) != new.get(prop)
    ]


def _resources_by_name(descriptor: dict) -> dict[str, dict]:
    return {str(r["name"]): r for r in descriptor.get("resources", []) if isinstance(r, dict) and "name" in r}


def diff_loaded(old: LoadedPackage, new: LoadedPackage, old_label: str, new_label: str) -> PackageDiff:
    result = PackageDiff(old=old_label, new=new_label)
    result.notes += _invalid_notes(f"old side ({old_label})", old) + _invalid_notes(f"new side ({new_label})", new)
    result.meta += _diff_descriptor(old.descriptor, new.descriptor)
    names = list(dict.fromkeys([*old.schemas, *new.schemas]))
    for name in names:
        a, b = old.tables.get(name), new.tables.get(name)
        if name not in new.schemas:
            rd = ResourceDiff(name=name, rows_old=len(a.frame) if a else 0, status="removed")
            result.resources[name] = rd
            result.meta.append(
                MetaChange(scope="descriptor", what="resource-removed", name=name, old=name, new=None, kind="breaking")
            )
            continue
        if name not in old.schemas:
            rd = ResourceDiff(name=name, rows_new=len(b.frame) if b else 0, status="added")
            result.resources[name] = rd
            result.meta.append(
                MetaChange(scope="descriptor", what="resource-added", name=name, old=None, new=name, kind="addition")
            )
            continue
        result.meta += _diff_resource(
            name, _resources_by_name(old.descriptor).get(name, {}), _resources_by_name(new.descriptor).get(name, {})
        )
        result.meta += _diff_schema(name, a, b, old.schemas[name], new.schemas[name])
        if a is None or b is None:
            continue
        rd = _diff_table(a, b)
        if not rd.has_changes:
            rd.status = "unchanged"
        if not rd.keyed:
            why = rd.duplicate or f"{name} has no common primary key"
            result.notes.append(
                f"{why}: rows were compared whole, so a changed row shows as one removed and one added."
            )
        result.resources[name] = rd
    return result


def diff_packages(old: str, new: str, repo: Path | None = None) -> PackageDiff:
    """Diff two package sides: folders, datapackage.json files, release zips or git refs."""
    with (
        open_readable(old, f"old side ({old})", repo) as old_side,
        open_readable(new, f"new side ({new})", repo) as new_side,
    ):
        return diff_loaded(old_side, new_side, old, new)
