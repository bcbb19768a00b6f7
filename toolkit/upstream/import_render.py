"""What `claims import` did, for people (text) and scripts (JSON); computed in series_import.py.

The days the package holds that a snapshot lacks are named in both: the text gives each file's
count and first days, the JSON every day (docs/importing.md describes the JSON).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .series_import import ImportResult

FORMAT, FORMAT_VERSION = "claims-import", 1
SHOWN_DAYS = 10


def render_text(results: list[ImportResult]) -> tuple[str, str]:
    """(what goes to stdout, the warnings for stderr), for the snapshots of one import."""
    parts = [_snapshot_text(r) for r in results]
    out = "".join(p[0] for p in parts)
    if results and any(r.changed for r in results):
        last = results[-1]
        if last.dry_run:
            out += "dry run: nothing written.\n"
        else:
            shown = ", ".join(last.written[:6]) + (" ..." if len(last.written) > 6 else "")
            out += f"wrote {len(last.written)} file(s): {shown}\n"
    return out, "".join(p[1] for p in parts)


def _snapshot_text(result: ImportResult) -> tuple[str, str]:
    plan = result.plan
    out = [f"{result.mapping}: snapshot {result.commit[:12]} (figures to {result.last_day})"]
    if not result.changed:
        out.append("nothing to import: the package holds every figure of this snapshot already")
    if plan.new_days:
        out.append(f"  new days: {len(plan.new_days):,} ({plan.new_days[0]} to {plan.new_days[-1]})")
    if plan.new_claims:
        out.append(f"  new claims: {len(plan.new_claims):,} ({plan.new_claims[0]} to {plan.new_claims[-1]})")
    for old, new in plan.superseded[:20]:
        why = plan.why.get(old) or "another figure or wording for that day"
        out.append(f"  superseded: {old} by {new} (the snapshot changes {why})")
    if len(plan.superseded) > 20:
        out.append(f"  ... and {len(plan.superseded) - 20} more superseded")
    if plan.sources_added:
        out.append(f"  new sources: {', '.join(plan.sources_added)}")
    if plan.sources_moved:
        out.append(f"  sources now at commit {result.commit[:12]}: {', '.join(plan.sources_moved)}")
    if plan.corrections_added or plan.corrections_changed:
        out.append(f"  series corrections: {plan.corrections_added} added, {len(plan.corrections_changed)} changed")
    return "\n".join(out) + "\n", _missing_text(result)


def _missing_text(result: ImportResult) -> str:
    return _mismatch_text(result) + _held_text(result)


def _mismatch_text(result: ImportResult) -> str:
    lines = []
    for path, found in sorted(result.day_mismatches.items()):
        shown = "; ".join(m.describe("day") for m in found[:SHOWN_DAYS]) + (" ..." if len(found) > SHOWN_DAYS else "")
        lines.append(
            f"note: {path}: {len(found)} record(s) whose day count disagrees with the date ({shown}); the dates "
            "are followed (the source's notes say so)"
        )
    for path, repeats in sorted(result.repeats.items()):
        lines += [f"note: {path}: {repeat}" for repeat in repeats]
    for path, count in sorted(result.baselines.items()):
        lines.append(
            f"note: {path}: {count} opening row(s) of zeros dated before the period's start skipped (the compiler's "
            "baseline, not a figure anybody reported)"
        )
    for path, found in sorted(result.heading_mismatches.items()):
        lines += [f"warning: {path}: {line}" for line in found]
    for path, found in sorted(result.total_mismatches.items()):
        lines += [f"warning: {path}: {line}" for line in found]
    return "".join(line + "\n" for line in lines)


def _held_text(result: ImportResult) -> str:
    return _missing_days_text(result) + _disappeared_text(result)


def _disappeared_text(result: ImportResult) -> str:
    lines = [
        f"warning: {path}: {count:,} figure(s) held of days this snapshot still has are not in it (the upstream "
        "dropped their rows); nothing was deleted: their claims stay as they were"
        for path, count in sorted(result.plan.dropped.items())
    ]
    for path, gone in sorted(result.plan.disappeared.items()):
        shown = "; ".join(gone[:SHOWN_DAYS]) + (" ..." if len(gone) > SHOWN_DAYS else "")
        lines.append(
            f"warning: {path}: {len(gone)} figure(s) of the latest day held are not in this snapshot ({shown}); "
            "nothing was deleted: their claims stay as they were"
        )
    return "".join(line + "\n" for line in lines)


def _missing_days_text(result: ImportResult) -> str:
    missing = result.plan.missing
    if not missing:
        return ""
    total = len(result.plan.missing_days)
    lines = [
        f"warning: {total} day(s) the package holds are missing from the snapshot; nothing was deleted: "
        "their claims stay as they were"
    ]
    for path, days in sorted(missing.items()):
        first = ", ".join(str(d) for d in days[:SHOWN_DAYS]) + (" ..." if len(days) > SHOWN_DAYS else "")
        lines.append(f"  {path}: {len(days):,} day(s) missing ({first})")
    return "\n".join(lines) + "\n"


def render_json(results: list[ImportResult]) -> str:
    body: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "mapping": results[0].mapping if results else None,
        "dry_run": bool(results) and results[0].dry_run,
        "changed": any(r.changed for r in results),
        "snapshots": [_snapshot_json(r) for r in results],
        "written": results[-1].written if results else [],
    }
    return json.dumps(body, indent=2) + "\n"


def _snapshot_json(result: ImportResult) -> dict[str, Any]:
    plan = result.plan
    return {
        "commit": result.commit,
        "last_day": result.last_day.isoformat() if result.last_day else None,
        "changed": result.changed,
        "new_days": [d.isoformat() for d in plan.new_days],
        "new_claims": plan.new_claims,
        "superseded": [
            {"claim_id": old, "superseded_by": new, "changed": plan.why.get(old, "")} for old, new in plan.superseded
        ],
        "sources_added": plan.sources_added,
        "sources_moved": plan.sources_moved,
        "corrections_added": plan.corrections_added,
        "corrections_changed": plan.corrections_changed,
        "missing_days": {
            path: {"count": len(days), "days": [d.isoformat() for d in days]}
            for path, days in sorted(plan.missing.items())
        },
        "disappeared": {path: {"count": len(gone), "figures": gone} for path, gone in sorted(plan.disappeared.items())},
        "dropped": dict(sorted(plan.dropped.items())),
        "day_mismatches": {
            path: [
                {"record": m.index, "date": m.date.isoformat(), "given": m.given, "expected": m.expected} for m in found
            ]
            for path, found in sorted(result.day_mismatches.items())
        },
        "repeats": {path: repeats for path, repeats in sorted(result.repeats.items())},
        "baselines": dict(sorted(result.baselines.items())),
        "heading_mismatches": dict(sorted(result.heading_mismatches.items())),
        "total_mismatches": dict(sorted(result.total_mismatches.items())),
    }
