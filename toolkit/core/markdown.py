"""Markdown table cells, escaped once for every renderer that writes tables."""

from __future__ import annotations


def cell(value: object) -> str:
    """Text safe inside a Markdown table cell: no pipe or line break can end the cell early.

    Backslashes stay as they are, since cells often hold patterns inside code spans, where
    Markdown does not process escapes.
    """
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def row(values: list[object] | tuple[object, ...]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"
