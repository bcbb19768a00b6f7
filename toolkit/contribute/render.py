"""CheckResult -> text, Markdown (the one pull-request comment, updated in place), GitHub
annotations and JSON. Made of the validate and diff renderers, so the gate says what those say."""

from __future__ import annotations

import json

from ..compare import render as render_diff
from ..problems import render
from ..problems.refusal import COMMENT_MARKER
from .gate import CheckResult

MAX_COMMENT = 60_000  # GitHub refuses comments over 65,536 characters


def _verdict(result: CheckResult) -> str:
    report = result.report
    against = " and ".join(result.against)
    if result.ok:
        return f"check passed: valid against {against} ({report.warning_count} warning(s))"
    return f"check FAILED: {report.error_count} error(s) against {against}; fix them and run `claims check` again"


def render_text(result: CheckResult) -> str:
    warnings = "".join(f"warning: {w}\n" for w in result.warnings)
    report, diff = render.render_text(result.report), render_diff.render_text(result.diff)
    return f"{report}\n{diff}\n{warnings}{_verdict(result)}\n"


def render_markdown(result: CheckResult) -> str:
    icon = "✅" if result.ok else "❌"
    head = [COMMENT_MARKER, f"## {icon} claims check", "", _verdict(result), ""]
    head += [f"> ⚠️ {w}" for w in result.warnings] + ([""] if result.warnings else [])
    body = render.render_markdown(result.report) + "\n" + render_diff.render_markdown(result.diff)
    text = "\n".join(head) + body
    if len(text) > MAX_COMMENT:
        cut = text[:MAX_COMMENT].rsplit("\n", 1)[0]
        text = cut + "\n\n… cut to fit a comment: run `claims check --base " + result.base + "` for everything.\n"
    return text


def render_github(result: CheckResult) -> str:
    bump, why = result.diff.bump()
    counts = ", ".join(f"{n} {kind}" for kind, n in result.diff.counts().items())
    notice = f"::notice title=claims diff::{counts}; the version bump it deserves: {bump or 'none'} ({why})"
    warnings = "".join(f"::warning title=series out of date::{w}\n" for w in result.warnings)
    return render.render_github(result.report) + notice + "\n" + warnings + _verdict(result) + "\n"


def render_json(result: CheckResult) -> str:
    out = {
        "format": "claims-check",
        "format_version": 1,
        "ok": result.ok,
        "base": result.base,
        "against": result.against,
        "warnings": result.warnings,
        "validate": json.loads(render.render_json(result.report)),
        "diff": render_diff.to_json(result.diff),
    }
    return json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "github": render_github, "json": render_json}
