"""check/hygiene.py: which columns get the text-hygiene pass, and that nothing slips through the others."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.check.hygiene import needs_hygiene
from toolkit.check.validate import validate_package
from toolkit.read.table_schema import Field

from .conftest import make_package


def test_closed_patterns_and_enums_skip_the_pass() -> None:
    assert not needs_hygiene(Field("id", "string", {"pattern": "C[0-9]{4,}"}))
    assert not needs_hygiene(Field("p", "string", {"pattern": "seeds/[A-Za-z0-9_.-]+\\.txt"}))
    assert not needs_hygiene(Field("q", "string", {"enum": ["a"]}))
    assert needs_hygiene(Field("url", "string", {"pattern": "https?://\\S+"}))
    assert needs_hygiene(Field("any", "string", {"pattern": ".*"}))
    assert needs_hygiene(Field("text", "string"))
    assert not needs_hygiene(Field("n", "integer"))


def test_invisible_character_in_a_closed_column_is_still_reported(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    path = pkg / "data/claims.csv"
    path.write_text(path.read_text().replace("C0002,", "C0002\u200b,", 1))
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    assert any(p.code == "constraint-pattern" and p.row == 3 and p.column == "claim_id" for p in report.problems)


def _with_notes(pkg: Path, *notes: str) -> None:
    """The notes of the first claims, in order (one argument: the first claim's)."""
    import csv

    path = pkg / "data/claims.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row, text in zip(rows, notes, strict=False):
        row["notes"] = text
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("notes", "codes"),
    [
        ("=1+2", {"text-formula"}),
        ("=", {"text-formula"}),
        ("@SUM(A1)", {"text-formula"}),
        ("+cmd|' /C calc'!A0", {"text-formula"}),
        ("-cmd|' /C calc'!A0", {"text-formula"}),
        ("-", {"text-formula"}),
        ("\t=1+2", {"text-whitespace", "text-formula"}),
        ("\r@SUM(A1)", {"line-endings-crlf"}),  # a carriage return in a cell is refused as it is read
        ("\tplain", {"text-whitespace"}),
        ("\rplain", {"line-endings-crlf"}),
        (" =1+2", {"text-whitespace", "text-formula"}),
        ("-12 on the day before", set()),
        ("+5 since the last report", set()),
        ("-.5 in the revision", set()),
        ("a=b and @home", set()),
        ("plain", set()),
    ],
)
def test_formula_starts(tmp_path: Path, notes: str, codes: set[str]) -> None:
    pkg = make_package(tmp_path / "pkg")
    _with_notes(pkg, notes)
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    assert {(p.code, p.row, p.column) for p in report.problems} == {(c, 2, "notes") for c in codes}
    sign = notes.strip()[:1]
    for p in report.problems:
        if p.code == "text-formula":
            assert p.message.endswith(f"The text starts with {sign!r}; a spreadsheet would run it as a formula.")


@pytest.mark.parametrize(
    ("notes", "code", "message"),
    [
        ("a bell \u0007 rang", "text-control-char", "Control character U+0007 in the text."),
        ("zero\u200bwidth", "text-invisible-char", "Invisible character U+200B (ZERO WIDTH SPACE) in the text."),
        ("word\u2060joiner", "text-invisible-char", "Invisible character U+2060 (WORD JOINER) in the text."),
        (
            "\u202eright to left",
            "text-invisible-char",
            "Invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) in the text.",
        ),
        ("trailing ", "text-whitespace", "The text starts or ends with a space."),
        (
            "Kyive\u0301",  # e and its accent stored apart
            "text-not-nfc",
            "The text is not in Unicode NFC form (a letter and its accent are stored apart).",
        ),
    ],
)
def test_each_hygiene_problem_says_what_it_found(tmp_path: Path, notes: str, code: str, message: str) -> None:
    """Written out by hand: the character's code point and name are what lets a contributor find it."""
    pkg = make_package(tmp_path / "pkg")
    _with_notes(pkg, notes)
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    assert [(p.code, p.file, p.row, p.column, p.message) for p in report.problems] == [
        (code, "data/claims.csv", 2, "notes", message)
    ]


@pytest.mark.parametrize("notes", ["Київ", "café", "Zürich – 12 km", "“quoted”"])
def test_composed_text_beyond_ascii_is_clean(tmp_path: Path, notes: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    _with_notes(pkg, notes)
    assert validate_package(pkg, today=dt.date(2026, 11, 25)).total == 0


def test_only_the_rows_not_in_nfc_are_reported(tmp_path: Path) -> None:
    """Rows beyond ASCII are checked one by one: a clean one beside a decomposed one is not reported."""
    pkg = make_package(tmp_path / "pkg")
    _with_notes(pkg, "café", "cafe\u0301", "plain")
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    assert [(p.code, p.row) for p in report.problems] == [("text-not-nfc", 3)]
