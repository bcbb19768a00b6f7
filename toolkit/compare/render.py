"""PackageDiff -> text, Markdown (pull-request comment and changelog section), JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from ..core.markdown import row as markdown_row
from .diff_model import KINDS, AddedGroup, PackageDiff, ResourceDiff, key_label

JSON_VERSION = 1


def _summary_lines(diff: PackageDiff) -> list[str]:
    lines = []
    for r in diff.resources.values():
        if r.status in ("added", "removed"):
            lines.append(f"{r.name}: resource {r.status}")
            continue
        lines.append(
            f"{r.name}: {len(r.added)} added, {len(r.removed)} removed, {r.changed_rows} changed, "
            f"{r.unchanged} unchanged"
        )
    return lines


def render_text(diff: PackageDiff) -> str:
    bump, why = diff.bump()
    out = [f"claims diff {diff.old} -> {diff.new}", ""]
    out += _summary_lines(diff)
    counts = diff.counts()
    out += ["", "changes: " + ", ".join(f"{counts[k]} {k}" for k in KINDS)]
    out.append(f"recommended version bump: {bump or 'none'} ({why})")
    out += [f"note: {n}" for n in diff.notes]
    if diff.meta:
        out += ["", "descriptor and schema changes:"]
        for m in diff.meta:
            out.append(f"  [{m.kind}] {m.scope} {m.what} {m.name}: {_v(m.old)} -> {_v(m.new)}")
    for r in diff.resources.values():
        if not (r.added or r.removed or r.cells):
            continue
        out += ["", f"{r.name}:"]
        if grouped(r):
            out += [f"  + {line}" for line in group_lines(r.added_groups)]
        else:
            out += [f"  + {key_label(k)}" for k in r.added]
        out += [f"  - {key_label(k)}" for k in r.removed]
        last = None
        for c in r.cells[:LISTED_CELLS]:
            if c.key != last:
                out.append(f"  ~ {key_label(c.key)}")
                last = c.key
            out.append(
                f"      {c.column}: {c.old!r} -> {c.new!r}" + (" (retraction)" if c.kind == "retraction" else "")
            )
        if len(r.cells) > LISTED_CELLS:
            out.append(
                f"  ... {len(r.cells) - LISTED_CELLS:,} more changed cells (--format json or csv lists them all)"
            )
    return "\n".join(out) + "\n"


# Added rows are listed one by one up to LISTED_ADDED; past that, by source and metric (a person
# reviews a new series by its extent, not by 20,000 IDs). Corrections and removals are always
# listed: each needs a person's eyes. Formats for scripts (json, csv) keep every row.
LISTED_ADDED = 50
LISTED_CELLS = 500


def grouped(r: ResourceDiff) -> bool:
    return len(r.added) > LISTED_ADDED and bool(r.added_groups)


def group_text(g: AddedGroup) -> str:
    span = _span(g.count, g.first, g.last, g.first_day, g.last_day)
    return f"{g.count:,} of {g.metric_id} from {g.source_id} ({span})"


GROUP_LINES = 40  # more groups than this: a source adding figures of many metrics is one line
METRICS_LISTED = 5  # ... when it adds figures of more metrics than this


def group_lines(groups: list[AddedGroup]) -> list[str]:
    """A line per source and metric; when that is more than a reader scans (six snapshots of a
    file of 25 categories are 150), a line per source for the sources with many metrics, naming
    how many metrics, the keys from first to last and the days."""
    if len(groups) <= GROUP_LINES:
        return [group_text(g) for g in groups]
    by_source: dict[str, list[AddedGroup]] = {}
    for g in groups:
        by_source.setdefault(g.source_id, []).append(g)
    out = []
    for source, part in by_source.items():
        if len(part) <= METRICS_LISTED:
            out += [group_text(g) for g in part]
            continue
        count = sum(g.count for g in part)
        first = min((g.first for g in part), key=_key_order)
        last = max((g.last for g in part), key=_key_order)
        starts = [g.first_day for g in part if g.first_day]
        ends = [g.last_day for g in part if g.last_day]
        span = _span(count, first, last, min(starts, default=""), max(ends, default=""))
        out.append(f"{count:,} of {len(part)} metrics from {source} ({span})")
    return out


def _key_order(key: str) -> tuple[int, str]:
    """C999 before C1000: keys grow in length as they grow in number."""
    return len(key), key


def _span(count: int, first: str, last: str, first_day: str, last_day: str) -> str:
    ids = first if count == 1 else f"{first} to {last}"
    days = "" if not first_day else first_day if first_day == last_day else f"{first_day} to {last_day}"
    return f"{ids}{', ' + days if days else ''}"


def _v(value: Any) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False)


def render_markdown(diff: PackageDiff) -> str:
    bump, why = diff.bump()
    counts = diff.counts()
    out = [f"### claims diff `{diff.old}` → `{diff.new}`", ""]
    out += [f"- {line}" for line in _summary_lines(diff)]
    out += [
        "",
        "**Changes:** " + ", ".join(f"{counts[k]} {k}" for k in KINDS) + "  ",
        f"**Recommended version bump:** {bump or 'none'} ({why})",
    ]
    out += [f"> {n}" for n in diff.notes]
    if diff.meta:
        out += ["", "| kind | where | change | name | old | new |", "| --- | --- | --- | --- | --- | --- |"]
        out += [markdown_row((m.kind, m.scope, m.what, m.name, _v(m.old), _v(m.new))) for m in diff.meta]
    for r in diff.resources.values():
        if grouped(r):
            out += ["", f"**Added to {r.name}:** {len(r.added):,} rows, by source and metric:", ""]
            out += ["| source | metric | rows | first | last | days |", "| --- | --- | ---: | --- | --- | --- |"]
            out += [
                markdown_row((g.source_id, g.metric_id, f"{g.count:,}", g.first, g.last, _days(g)))
                for g in r.added_groups
            ]
        elif r.added:
            out += ["", f"**Added to {r.name}:** " + ", ".join(f"`{key_label(k)}`" for k in r.added)]
        if r.removed:
            out += ["", f"**Removed from {r.name}:** " + ", ".join(f"`{key_label(k)}`" for k in r.removed)]
        if r.cells:
            out += [
                "",
                f"**Changed in {r.name}:**",
                "",
                "| key | column | old | new | kind |",
                "| --- | --- | --- | --- | --- |",
            ]
            out += [
                markdown_row((f"`{key_label(c.key)}`", c.column, c.old, c.new, c.kind)) for c in r.cells[:LISTED_CELLS]
            ]
            if len(r.cells) > LISTED_CELLS:
                out += ["", f"… and {len(r.cells) - LISTED_CELLS:,} more changed cells: `claims diff --format csv`."]
    return "\n".join(out) + "\n"


def _days(g: AddedGroup) -> str:
    return g.first_day if g.first_day == g.last_day else f"{g.first_day} to {g.last_day}"


def to_json(diff: PackageDiff) -> dict[str, Any]:
    bump, why = diff.bump()
    return {
        "format": "claims-diff",
        "format_version": JSON_VERSION,
        "old": diff.old,
        "new": diff.new,
        "has_changes": diff.has_changes,
        "bump": bump,
        "bump_reason": why,
        "counts": diff.counts(),
        "notes": diff.notes,
        "meta": [
            {"scope": m.scope, "what": m.what, "name": m.name, "old": m.old, "new": m.new, "kind": m.kind}
            for m in diff.meta
        ],
        "resources": {
            r.name: {
                "status": r.status,
                "key": r.key,
                "keyed": r.keyed,
                "rows_old": r.rows_old,
                "rows_new": r.rows_new,
                "added": r.added,
                "added_groups": [asdict(g) for g in r.added_groups],
                "removed": r.removed,
                "changed": r.changed_rows,
                "unchanged": r.unchanged,
                "cells": [
                    {"key": c.key, "column": c.column, "old": c.old, "new": c.new, "kind": c.kind} for c in r.cells
                ],
            }
            for r in diff.resources.values()
        },
    }


def render_json(diff: PackageDiff) -> str:
    return json.dumps(to_json(diff), indent=2, ensure_ascii=False, default=str) + "\n"


def render_csv(diff: PackageDiff) -> str:
    """One row per changed cell; added and removed rows get one row each with column empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["resource", "key", "change", "column", "old", "new", "kind"])
    for r in diff.resources.values():
        for k in r.added:
            writer.writerow([r.name, k, "added", "", "", "", "addition"])
        for k in r.removed:
            writer.writerow([r.name, k, "removed", "", "", "", "breaking"])
        for c in r.cells:
            writer.writerow([r.name, c.key, "changed", c.column, c.old, c.new, c.kind])
    return buffer.getvalue()


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json, "csv": render_csv}
