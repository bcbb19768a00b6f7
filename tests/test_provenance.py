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

from .conftest import BAD, FIXTURES, edit, make_package


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


def test_a_range_that_reads_otherwise_shows_both_upper_bounds(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(
        pkg,
        "data/claims.csv",
        '"Between 5,000 and 7,000",range,,5000,7000,',
        '"Between 5,000 and 7,000",range,,5000,8000,',
    )
    [p] = validate_package(pkg, today=dt.date(2026, 11, 25)).problems
    assert (p.code, p.row) == ("wording-value-mismatch", 5)
    assert p.message == (
        "'Between 5,000 and 7,000' reads as qualifier=range, value=empty, value_low=5000, value_high=7000; "
        "the row has qualifier=range, value=empty, value_low=5000, value_high=8000."
    )


def test_a_figure_where_the_wording_reads_none_is_a_mismatch(tmp_path: Path) -> None:
    """A range has no single figure: a value given to it differs from the wording's empty one."""
    pkg = make_package(tmp_path / "pkg")
    edit(
        pkg,
        "data/claims.csv",
        '"Between 5,000 and 7,000",range,,5000,7000,',
        '"Between 5,000 and 7,000",range,6000,5000,7000,',
    )
    codes = {p.code for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems if p.row == 5}
    assert "wording-value-mismatch" in codes


@pytest.mark.parametrize("bad", ["range,,5O00,7000,", "range,,5000,7OOO,"])
def test_bounds_that_failed_typing_are_not_compared_with_the_wording(tmp_path: Path, bad: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", "range,,5000,7000,", bad)
    codes = [p.code for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems]
    assert codes == ["type-number"]


def test_a_wording_without_a_number_says_so_at_its_cell(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", ",Tens of thousands,order_of_magnitude,", ",Many,order_of_magnitude,")
    edit(pkg, "data/claims.csv", "Tens of thousands went home.", "Many went home.")
    edit(pkg, "seeds/S0001.txt", "Tens of thousands went home.", "Many went home.")
    problems = [
        p for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems if p.code != "seed-hash-mismatch"
    ]
    assert [(p.code, p.row, p.column, p.value, p.message) for p in problems] == [
        ("wording-unparsed", 4, "wording", "Many", "No number can be read from 'Many'.")
    ]


def test_a_seed_with_a_byte_that_is_not_utf8_still_has_its_quotes_found(tmp_path: Path) -> None:
    """The seed is read leniently (the byte becomes U+FFFD): its other lines are still searched."""
    import hashlib

    pkg = make_package(tmp_path / "pkg")
    seed = pkg / "seeds/S0001.txt"
    old = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes().replace(b"Test fixture document", b"Test fixture \xff document"))
    edit(pkg, "data/sources.csv", old, hashlib.sha256(seed.read_bytes()).hexdigest())
    assert validate_package(pkg, today=dt.date(2026, 11, 25)).total == 0


def test_a_quote_of_a_source_without_archived_text_is_not_searched(tmp_path: Path) -> None:
    """A dataset source has a data file, not a text: a quote given to its claim is not looked for
    in some other source's text."""
    pkg = make_package(tmp_path / "pkg", FIXTURES / "series" / "package")
    edit(
        pkg,
        "data/claims.csv",
        "cumulative,2022-02-24,2024-01-01,,",
        "cumulative,2022-02-24,2024-01-01,About 100 left.,",
    )
    codes = [p.code for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems]
    assert "quote-not-in-seed" not in codes and "quote-normalised-match" not in codes


def test_a_source_with_no_quoted_claim_does_not_end_the_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One source a batch: the first source's batch has nothing to search, the next is still searched."""
    import toolkit.check.provenance as provenance

    monkeypatch.setattr(provenance, "SOURCE_BATCH", 1)
    pkg = make_package(tmp_path / "pkg")
    sources = (pkg / "data/sources.csv").read_text(encoding="utf-8").splitlines()
    first = sources[2].replace("S0002,Fixture article two", "S0000,Fixture article zero", 1)
    (pkg / "seeds/S0000.txt").write_bytes((pkg / "seeds/S0002.txt").read_bytes())
    first = first.replace("seeds/S0002.txt", "seeds/S0000.txt")
    (pkg / "data/sources.csv").write_text("\n".join([sources[0], first, *sources[1:]]) + "\n", encoding="utf-8")
    before = {p.code for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems}
    assert "quote-not-in-seed" not in before
    edit(pkg, "data/claims.csv", "went home.", "went away.")
    after = [p for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems if p.code == "quote-not-in-seed"]
    assert [p.row for p in after] == [4]


def test_an_empty_bound_where_the_wording_reads_one_is_a_mismatch(tmp_path: Path) -> None:
    """The mirror of a value where the wording reads none: one side empty is never 'the same'."""
    pkg = make_package(tmp_path / "pkg")
    edit(
        pkg, "data/claims.csv", '"Between 5,000 and 7,000",range,,5000,7000,', '"Between 5,000 and 7,000",range,,5000,,'
    )
    codes = {p.code for p in validate_package(pkg, today=dt.date(2026, 11, 25)).problems if p.row == 5}
    assert "wording-value-mismatch" in codes
