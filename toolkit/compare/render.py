"""PackageDiff -> text, Markdown (pull-request comment and changelog section), JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..core.markdown import row as markdown_row
from .diff_model import KINDS, PackageDiff

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
        out += [f"  + {k}" for k in r.added]
        out += [f"  - {k}" for k in r.removed]
        last = None
        for c in r.cells:
            if c.key != last:
                out.append(f"  ~ {c.key}")
                last = c.key
            out.append(
                f"      {c.column}: {c.old!r} -> {c.new!r}" + (" (retraction)" if c.kind == "retraction" else "")
            )
    return "\n".join(out) + "\n"


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
        if r.added:
            out += ["", f"**Added to {r.name}:** " + ", ".join(f"`{k}`" for k in r.added)]
        if r.removed:
            out += ["", f"**Removed from {r.name}:** " + ", ".join(f"`{k}`" for k in r.removed)]
        if r.cells:
            out += [
                "",
                f"**Changed in {r.name}:**",
                "",
                "| key | column | old | new | kind |",
                "| --- | --- | --- | --- | --- |",
            ]
            out += [markdown_row((f"`{c.key}`", c.column, c.old, c.new, c.kind)) for c in r.cells]
    return "\n".join(out) + "\n"


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
