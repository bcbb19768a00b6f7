"""check/provenance.py: quotes found in their own seed (or told apart by typography), wordings in
their quote and read as the row's numbers, whatever the batch and chunk sizes; written out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from toolkit.check.provenance import check_wording, parse_wordings
from toolkit.check.validate import validate_package
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import BAD, edit, make_package


@pytest.mark.parametrize("case", ["wording-value-mismatch", "wording-unparsed", "wording-not-in-quote"])
def test_precomputed_parse_changes_nothing(tmp_path: Path, case: str) -> None:
    package = load_package(make_package(tmp_path / "pkg", BAD / case), Report())
    assert package is not None
    claims = package.tables["claims"]
    serial, ahead = Report(), Report()
    check_wording(serial, claims)
    check_wording(ahead, claims, parse_wordings(claims.frame["wording"]))
    assert case in serial.counts
    assert [p.to_dict() for p in serial.problems] == [p.to_dict() for p in ahead.problems]


def _problems(pkg: Path) -> list[tuple]:
    report = validate_package(pkg, today=dt.date(2026, 11, 25))
    return [(p.code, p.file, p.row, p.column, p.value, p.message) for p in report.problems]


def test_a_quote_absent_from_its_seed_is_reported_at_its_row(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "Tens of thousands went home.", "Tens of thousands went away.")
    assert _problems(pkg) == [
        (
            "quote-not-in-seed",
            "data/claims.csv",
            4,
            "quote",
            "Tens of thousands went away.",
            "The quote is not in the seed of S0001.",
        )
    ]


def test_a_quote_that_differs_only_in_typography_is_told_apart(tmp_path: Path) -> None:
    """Curly quotes, a dash or a double space in the quote: the text is there, written otherwise."""
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "Tens of thousands went home.", "Tens of thousands  went home.")
    assert _problems(pkg) == [
        (
            "quote-normalised-match",
            "data/claims.csv",
            4,
            "quote",
            "Tens of thousands  went home.",
            "The quote matches S0001's seed only after normalising quotes, dashes or spaces.",
        )
    ]


def test_a_quote_is_looked_for_in_its_own_seed_only(tmp_path: Path) -> None:
    """C0004's quote is in S0002's seed; under S0001 it is absent, though S0001 exists."""
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "C0004,S0002,", "C0004,S0001,")
    assert [(code, row) for code, _, row, *_ in _problems(pkg)] == [("quote-not-in-seed", 5)]


@pytest.mark.parametrize(("batch", "chunk"), [(1, 1), (1, 50_000), (1000, 1), (1000, 2)])
def test_batches_of_sources_and_chunks_of_rows_find_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, chunk: int
) -> None:
    """The seeds are read a batch of sources at a time and quotes searched a chunk of rows at a
    time: any cut must find the same quotes at the same rows."""
    import toolkit.check.provenance as provenance

    monkeypatch.setattr(provenance, "SOURCE_BATCH", batch)
    monkeypatch.setattr(provenance, "CHUNK", chunk)
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "went home.", "went away.")  # C0003, source S0001 (the first)
    edit(pkg, "data/claims.csv", "the fixture office said.", "the fixture office wrote.")  # C0004, S0002
    assert [(code, row) for code, _, row, *_ in _problems(pkg)] == [("quote-not-in-seed", 4), ("quote-not-in-seed", 5)]


def test_a_document_claim_without_a_quote_says_which_source(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", ",Tens of thousands went home.,", ",,")
    problems = [p for p in _problems(pkg) if p[0] == "anchor-missing"]
    assert problems == [
        (
            "anchor-missing",
            "data/claims.csv",
            4,
            "quote",
            "S0001",
            "S0001 is a document, and the claim has no quote from it.",
        )
    ]


def test_a_wording_not_in_its_quote_is_reported_with_its_words(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", ",Tens of thousands,order_of_magnitude,", ",tens of thousands,order_of_magnitude,")
    assert _problems(pkg) == [
        (
            "wording-not-in-quote",
            "data/claims.csv",
            4,
            "wording",
            "tens of thousands",
            "'tens of thousands' does not appear in the quote.",
        )
    ]


def test_a_wording_that_reads_otherwise_than_the_row_says_both(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", '"at least 50,000",at_least,50000,50000,', '"at least 50,000",at_least,40000,40000,')
    assert _problems(pkg) == [
        (
            "wording-value-mismatch",
            "data/claims.csv",
            2,
            "wording",
            "at least 50,000",
            "'at least 50,000' reads as qualifier=at_least, value=50000, value_low=50000, value_high=empty; "
            "the row has qualifier=at_least, value=40000, value_low=40000, value_high=empty.",
        )
    ]


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("at least 50,000", ("at_least", 50000.0, 50000.0, None, True)),
        ("AT LEAST 50,000", ("at_least", 50000.0, 50000.0, None, True)),
        ("1200", ("exact", 1200.0, 1200.0, 1200.0, True)),
        ("up to 300", ("at_most", 300.0, None, 300.0, True)),
        ("Over one million", ("more_than", 1_000_000.0, 1_000_000.0, None, True)),
        ("Tens of thousands", ("order_of_magnitude", None, 10_000.0, 99_999.0, True)),
        ("some number", (None, None, None, None, False)),
    ],
)
def test_wordings_read_by_the_fast_path_and_the_parser_alike(wording: str, expected: tuple) -> None:
    """Digit forms are read by one regex pass over the column, the rest by the phrase parser."""
    parsed = parse_wordings(pd.Series([wording, wording]))
    for i in range(2):
        row = parsed.iloc[i]
        got = tuple(None if pd.isna(row[c]) else row[c] for c in ("qualifier", "value", "low", "high"))
        assert (*got, bool(row["parsed"])) == expected
