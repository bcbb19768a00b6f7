"""render.py: the four formats escape what would break them."""

from __future__ import annotations

import json

from toolkit.problems.render import render_github, render_json, render_markdown, render_text
from toolkit.problems.report import Report


def report_with(message: str, value: str) -> Report:
    report = Report()
    report.add("constraint-enum", "data/claims.csv", message, row=7, column="qualifier", value=value, line=9)
    report.checked["data/claims.csv"] = 10
    return report


def test_github_annotations_escape_newlines_and_property_separators() -> None:
    out = render_github(report_with("bad: value\nsecond line 100%", "x"))
    first = out.splitlines()[0]
    assert first.startswith("::error file=data/claims.csv,line=9,title=constraint-enum (qualifier)::")
    assert "second line 100%25" in first and "%0A" in first


def test_markdown_cells_cannot_break_the_table() -> None:
    out = render_markdown(report_with("a | b\nc", "v"))
    row = next(line for line in out.splitlines() if line.startswith("| data/claims.csv"))
    assert "a \\| b c" in row and row.count(" | ") == 7  # eight columns: the pipe in the message is escaped


def test_json_is_complete_and_text_is_readable() -> None:
    report = report_with("message", "at-least")
    doc = json.loads(render_json(report))
    assert doc["problems"][0]["line"] == 9 and doc["counts"] == {"constraint-enum": 1}
    text = render_text(report)
    assert "row 7, qualifier: error constraint-enum: message  [at-least]" in text
    assert text.rstrip().endswith("INVALID: 1 error(s), 0 warning(s) in 1 table(s), 10 row(s)")


def test_a_long_report_in_markdown_lists_errors_first_and_counts_the_rest() -> None:
    """A pull-request comment has room for 65,536 characters: 50 problems, errors first, then a count."""
    from toolkit.problems.render import render_markdown
    from toolkit.problems.report import Report

    report = Report()
    report.add_many("cumulative-decrease", "data/claims.csv", list(range(2, 202)), message="falls")
    report.add("bounds-order", "data/claims.csv", "out of order", row=500)
    text = render_markdown(report)
    rows = [line for line in text.splitlines() if line.startswith("| data/")]
    assert len(rows) == 50 and "`bounds-order`" in rows[0]
    assert "Problems by code: `bounds-order` 1, `cumulative-decrease` 200" in text
    assert "… 151 more: `claims validate` lists every problem." in text
