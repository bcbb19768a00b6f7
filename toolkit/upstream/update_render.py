"""What `claims update` says: a line per upstream on the terminal, the same as JSON for scripts, and
the Markdown body of the pull request the scheduled workflow opens."""

from __future__ import annotations

import json
from typing import Any

from .update import UpdateReport, UpdateResult

FORMAT, FORMAT_VERSION = "claims-update", 1
SHOWN = 20  # commits, supersessions and disagreements listed in a pull request's body; the rest counted


def _totals(result: UpdateResult) -> dict[str, Any]:
    plans = [i.plan for i in result.imports]
    days = sorted({d for p in plans for d in p.new_days})
    return {
        "new_days": len(days),
        "first_new_day": days[0].isoformat() if days else "",
        "last_new_day": days[-1].isoformat() if days else "",
        "new_claims": sum(len(p.new_claims) for p in plans),
        "superseded": [
            {"claim_id": old, "superseded_by": new, "changed": p.why.get(old, "")}
            for p in plans
            for old, new in p.superseded
        ],
        "sources_added": sorted({s for p in plans for s in p.sources_added}),
        "sources_moved": sorted({s for p in plans for s in p.sources_moved}),
        "corrections_added": sum(p.corrections_added for p in plans),
    }


def render_text(report: UpdateReport) -> str:
    lines = []
    for r in report.results:
        if r.up_to_date:
            lines.append(f"{r.mapping}: up to date at {r.target[:12]} ({r.source}); nothing changed")
            continue
        t = _totals(r)
        verb = "would bring" if r.dry_run else "brought"
        lines.append(
            f"{r.mapping}: {verb} {len(r.commits):,} commit(s) of {r.source}, "
            f"{r.commits[0].day} to {r.commits[-1].day} "
            f"(to {r.target[:12]}): {t['new_days']:,} new day(s), {t['new_claims']:,} new claim(s), "
            f"{len(t['superseded']):,} superseded, {len(t['sources_added'])} source(s) added"
        )
        for s in t["superseded"][:SHOWN]:
            lines.append(f"  superseded: {s['claim_id']} by {s['superseded_by']} ({s['changed']})")
        if r.transients:
            lines.append(
                f"  {len(r.transients):,} figure(s) given otherwise by a commit in between: in series_revisions, "
                "not claims:"
            )
            lines += [f"    {x.describe()}" for x in r.transients[:SHOWN]]
    if report.bump is not None or report.disagreements:
        lines.append(f"the change: {report.bump or 'none'} ({report.bump_reason})")
    if report.disagreements_total:
        lines.append(f"reporters disagree on {report.disagreements_total:,} day-figure(s) (claims validate says which)")
    if any(r.dry_run for r in report.results):
        lines.append("dry run: nothing written.")
    return "\n".join(lines) + "\n"


def render_json(report: UpdateReport) -> str:
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "upstreams": [
            {
                "mapping": r.mapping,
                "source": r.source,
                "recorded": r.recorded,
                "target": r.target,
                "up_to_date": r.up_to_date,
                "dry_run": r.dry_run,
                "commits": [{"commit": c.sha, "day": c.day} for c in r.commits],
                **_totals(r),
                "transients": [
                    {
                        "path": x.path,
                        "day": x.day,
                        "field": x.field,
                        "value": x.value,
                        "kept": x.kept,
                        "first_commit": x.first.sha,
                        "last_commit": x.last.sha,
                    }
                    for x in r.transients
                ],
            }
            for r in report.results
        ],
        "bump": report.bump,
        "bump_reason": report.bump_reason,
        "disagreements": report.disagreements,
        "disagreements_total": report.disagreements_total,
    }
    return json.dumps(body, indent=2) + "\n"


def render_pr_body(report: UpdateReport) -> str:
    """The pull request's description: what came in from each upstream, what it corrected, where
    the reporters of one claimant disagree, and the version bump the diff asks for."""
    out = ["## Upstream update", ""]
    for r in report.results:
        out.append(f"### {r.mapping}")
        out.append("")
        if r.up_to_date:
            out += [f"Up to date at `{r.target[:12]}`: nothing changed.", ""]
            continue
        t = _totals(r)
        out.append(
            f"{len(r.commits):,} commit(s) of {r.source}, {r.commits[0].day} to {r.commits[-1].day}, to "
            f"`{r.target[:12]}` (the package had `{r.recorded[:12] or 'none'}`)."
        )
        out.append("")
        out.append("| | |")
        out.append("| --- | ---: |")
        days = f" ({t['first_new_day']} to {t['last_new_day']})" if t["new_days"] else ""
        out.append(f"| new days | {t['new_days']:,}{days} |")
        out.append(f"| new claims | {t['new_claims']:,} |")
        out.append(f"| claims superseded (the upstream corrected them) | {len(t['superseded']):,} |")
        out.append(f"| sources added (archived files kept as evidence) | {len(t['sources_added'])} |")
        out.append(f"| corrections of running totals added | {t['corrections_added']:,} |")
        out.append("")
        shown = r.commits[-SHOWN:]
        more = f" (the last {len(shown)})" if len(r.commits) > len(shown) else ""
        out.append(f"Commits{more}: " + ", ".join(f"`{c.sha[:12]}` {c.day}" for c in shown))
        out.append("")
        if t["superseded"]:
            out.append("Corrections by the upstream:")
            out.append("")
            out += [
                f"- {s['claim_id']} superseded by {s['superseded_by']}: {s['changed']}" for s in t["superseded"][:SHOWN]
            ]
            if len(t["superseded"]) > SHOWN:
                out.append(f"- ... and {len(t['superseded']) - SHOWN:,} more (`claims diff`)")
            out.append("")
        if r.transients:
            out.append(
                "Figures a commit in between gave otherwise (changed and set back, or corrected before this update): "
                "rows of `data/series_revisions.csv`, not claims; the claims hold what the newest commit gives:"
            )
            out.append("")
            out += [f"- {x.describe()}" for x in r.transients[:SHOWN]]
            if len(r.transients) > SHOWN:
                out.append(f"- ... and {len(r.transients) - SHOWN:,} more (`claims update --format json`)")
            out.append("")
    out.append("### Reporters that disagree")
    out.append("")
    if report.disagreements_total:
        out.append(
            f"{report.disagreements_total:,} day-figure(s) where two reporters of one claimant give different figures "
            "(`claims validate` lists them as `reporters-disagree`; which one the claimant's report supports cannot be "
            "checked offline, so both claims are kept):"
        )
        out.append("")
        out += [f"- {d}" for d in report.disagreements[:SHOWN]]
        if report.disagreements_total > SHOWN:
            out.append(f"- ... and {report.disagreements_total - min(SHOWN, len(report.disagreements)):,} more")
    else:
        out.append("None.")
    out.append("")
    out.append("### The change")
    out.append("")
    out.append(f"Semantic version: **{report.bump or 'no change'}** ({report.bump_reason}).")
    out.append("")
    return "\n".join(out)
