"""Reports -> text for people, JSON for programs, Markdown for pull requests, GitHub annotations.

Computing never formats and formatting never computes: every renderer takes a finished Report.
"""

from __future__ import annotations

import json
from itertools import groupby

from ..core.markdown import row as markdown_row
from .report import Problem, Report


def _place(p: Problem) -> str:
    parts = []
    if p.row is not None:
        parts.append(f"row {p.row}" + (f" ({p.key})" if p.key else ""))
    if p.column:
        parts.append(p.column)
    return ", ".join(parts) or "file"


def _summary(report: Report, strict: bool) -> str:
    files = len(report.checked)
    rows = sum(report.checked.values())
    verdict = "valid" if report.ok(strict) else "INVALID"
    text = (
        f"{verdict}: {report.error_count} error(s), {report.warning_count} warning(s) "
        f"in {files} table(s), {rows} row(s)"
    )
    if report.shown < report.total:
        text += f"; showing the first {report.shown} of {report.total} problems"
    return text


def render_text(report: Report, strict: bool = False) -> str:
    out: list[str] = [f"note: {n}" for n in report.notices]
    for file, problems in groupby(report.sorted(), key=lambda p: p.file):
        out.append(file)
        for p in problems:
            value = f"  [{p.value}]" if p.value not in (None, "") else ""
            out.append(f"  {_place(p)}: {p.severity} {p.code}: {p.message}{value}")
            if p.hint:
                out.append(f"      fix: {p.hint}")
    if report.total:
        out.append("")
        out.append("problems by code: " + ", ".join(f"{c} {n}" for c, n in sorted(report.counts.items())))
    out.append(_summary(report, strict))
    return "\n".join(out) + "\n"


JSON_VERSION = 1  # changes only when a field is removed or changes meaning (docs/validate-json.md)


def render_json(report: Report, strict: bool = False) -> str:
    return (
        json.dumps(
            {
                "format": "claims-validate",
                "format_version": JSON_VERSION,
                "valid": report.ok(strict),
                "errors": report.error_count,
                "warnings": report.warning_count,
                "total": report.total,
                "shown": report.shown,
                "counts": dict(sorted(report.counts.items())),
                "checked": report.checked,
                "notices": report.notices,
                "problems": [p.to_dict() for p in report.sorted()],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


LISTED_IN_MARKDOWN = 50  # a pull-request comment holds 65,536 characters; errors are listed first


def render_markdown(report: Report, strict: bool = False) -> str:
    """A pull-request comment: the verdict, the count of each code, then the problems, errors
    first, at most LISTED_IN_MARKDOWN of them (the text and JSON formats list every one)."""
    icon = "✅" if report.ok(strict) else "❌"
    out = [f"### {icon} claims validate", "", _summary(report, strict), ""]
    out += [f"> {n}" for n in report.notices]
    if report.counts:
        out += ["Problems by code: " + ", ".join(f"`{c}` {n:,}" for c, n in sorted(report.counts.items())), ""]
    if report.problems:
        shown = sorted(report.sorted(), key=lambda p: p.severity != "error")[:LISTED_IN_MARKDOWN]
        out += [
            "| file | row | key | column | severity | code | problem | fix |",
            "| --- | ---: | --- | --- | --- | --- | --- | --- |",
        ]
        for p in shown:
            row = (p.file, p.row, p.key, p.column, p.severity, f"`{p.code}`", p.message, p.hint)
            out.append(markdown_row(row))
        if report.total > len(shown):
            out += ["", f"… {report.total - len(shown):,} more: `claims validate` lists every problem."]
    return "\n".join(out) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per problem, on the file's physical line."""
    out = []
    for p in report.sorted():
        level = "error" if p.severity == "error" or strict else "warning"
        props = [f"file={_gh_escape(p.file, prop=True)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        props.append(f"title={_gh_escape(p.code + (' (' + p.column + ')' if p.column else ''), prop=True)}")
        message = (f"{p.key}: " if p.key else "") + p.message + (f" Fix: {p.hint}" if p.hint else "")
        out.append(f"::{level} {','.join(props)}::{_gh_escape(message)}")
    out.append(_summary(report, strict))
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown, "github": render_github}
