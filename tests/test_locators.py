"""check/locators.py: figures from a dataset are held to their archived data file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from toolkit.check.validate import validate_package

from .conftest import FIXTURES, edit, make_package

TODAY = dt.date(2026, 11, 25)
DATA = "seeds/fixture-series/0123456789ab/data/losses.json"


@pytest.fixture
def series(tmp_path: Path) -> Path:
    return make_package(tmp_path / "pkg", FIXTURES / "series" / "package")


def _codes(pkg: Path) -> dict[str, int]:
    return dict(validate_package(pkg, today=TODAY).counts)


def test_a_package_with_a_dataset_source_is_valid(series: Path) -> None:
    assert _codes(series) == {}


def test_a_tampered_archive_is_a_hash_mismatch_at_its_source(series: Path) -> None:
    edit(series, DATA, '"tanks": 12', '"tanks": 13')
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.file, p.row, p.column) for p in report.problems] == [
        ("seed-hash-mismatch", "data/sources.csv", 4, "seed_sha256")
    ]


def test_a_figure_changed_in_the_archive_and_its_hash_is_caught_by_its_locator(series: Path) -> None:
    """Even with the recorded hash brought up to date, the claim no longer matches its file."""
    edit(series, DATA, '"people": 150', '"people": 151')
    digest = hashlib.sha256((series / DATA).read_bytes()).hexdigest()
    sources = (series / "data/sources.csv").read_text().splitlines()
    old = sources[3].split(",")[8]
    edit(series, "data/sources.csv", old, digest)
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.column, p.value) for p in report.problems] == [
        ("locator-value-mismatch", 7, "value", "150")
    ]
    assert "holds 151 at /1/people" in report.problems[0].message


def test_a_locator_into_a_document_points_nowhere(series: Path) -> None:
    edit(series, "data/claims.csv", "C0006,S0003,", "C0006,S0002,")
    report = validate_package(series, today=TODAY)
    found = [p for p in report.problems if p.code == "locator-not-found"]
    assert [(p.row, p.column) for p in found] == [(7, "locator")]
    assert "S0002 has no archived data file" in found[0].message


def test_a_text_value_at_the_locator_is_a_mismatch(series: Path) -> None:
    edit(series, "data/claims.csv", "/1/people", "/1/people*")
    report = validate_package(series, today=TODAY)
    found = [p for p in report.problems if p.code == "locator-value-mismatch"]
    assert len(found) == 1 and "holds 'about' (text) at /1/people*" in found[0].message


def test_a_document_claim_without_a_quote_lacks_its_anchor(series: Path) -> None:
    text = (series / "data/claims.csv").read_text()
    quote = '"Between 5,000 and 7,000 fixture recruits signed up, the fixture office said."'
    assert quote in text
    (series / "data/claims.csv").write_text(text.replace(quote, ""))
    report = validate_package(series, today=TODAY)
    assert [(p.row, p.column) for p in report.problems if p.code == "anchor-missing"] == [(5, "quote")]


def test_a_locator_into_an_object_is_resolved_on_its_own(series: Path) -> None:
    """Not every file is an array of records: a pointer of any other form is resolved as the RFC says."""

    path = series / DATA
    records = json.loads(path.read_text())
    path.write_text(json.dumps({"compiled": {"records": records}}))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    old = (series / "data/sources.csv").read_text().splitlines()[3].split(",")[8]
    edit(series, "data/sources.csv", old, digest)
    edit(series, "data/claims.csv", "/0/people", "/compiled/records/0/people")
    edit(series, "data/claims.csv", "/1/people", "/compiled/records/1/peeple")
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.value) for p in report.problems] == [
        ("locator-not-found", 7, "/compiled/records/1/peeple")
    ]


def _rewrite_archive(series: Path, content: str) -> None:
    """The archived data file replaced, its recorded hash brought up to date."""
    path = series / DATA
    old = (series / "data/sources.csv").read_text().splitlines()[3].split(",")[8]
    path.write_text(content)
    edit(series, "data/sources.csv", old, hashlib.sha256(path.read_bytes()).hexdigest())


def test_the_mismatch_message_gives_both_figures(series: Path) -> None:
    edit(series, "data/claims.csv", "about 150,approximately,150,", "about 149,approximately,149,")
    [p] = validate_package(series, today=TODAY).problems
    assert (p.code, p.row, p.column, p.value) == ("locator-value-mismatch", 7, "value", "149")
    assert p.message == "The data file of S0003 holds 150 at /1/people; the row has value 149."


def test_a_value_that_failed_typing_is_not_compared_again(series: Path) -> None:
    """The typing problem is the one to fix; a mismatch with the file would only repeat it."""
    edit(series, "data/claims.csv", "about 150,approximately,150,", "about 150,approximately,15O,")
    codes = _codes(series)
    assert "locator-value-mismatch" not in codes and codes == {"type-number": 1}, codes


def test_a_record_past_the_end_of_the_file_is_not_found(series: Path) -> None:
    edit(series, "data/claims.csv", "/0/people", "/2/people")  # one past the last record
    edit(series, "data/claims.csv", "/1/people", "/9/people")  # well past it
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.value) for p in report.problems] == [
        ("locator-not-found", 6, "/2/people"),
        ("locator-not-found", 7, "/9/people"),
    ]


def test_a_field_missing_from_a_record_is_not_found_not_a_mismatch(series: Path) -> None:
    edit(series, "data/claims.csv", "/1/people", "/1/peeple")
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.value) for p in report.problems] == [("locator-not-found", 7, "/1/peeple")]


def test_a_record_that_is_not_an_object_holds_no_field(series: Path) -> None:
    _rewrite_archive(series, json.dumps([{"people": 100}, 150]))
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.value) for p in report.problems] == [("locator-not-found", 7, "/1/people")]


def test_escaped_field_names_are_unescaped_as_the_rfc_says(series: Path) -> None:
    """~1 is a slash and ~0 a tilde in a JSON Pointer (RFC 6901), in that order of unescaping."""
    _rewrite_archive(series, json.dumps([{"people/all": 100}, {"people~1": 150}]))
    edit(series, "data/claims.csv", "/0/people", "/0/people~1all")
    edit(series, "data/claims.csv", "/1/people", "/1/people~01")
    assert _codes(series) == {}


def test_a_simple_looking_pointer_into_an_object_is_resolved_in_the_object(series: Path) -> None:
    """/0/people names key "0" of an object as well as record 0 of an array."""
    _rewrite_archive(series, json.dumps({"0": {"people": 100}, "1": {"people": 150}}))
    assert _codes(series) == {}
    _rewrite_archive(series, json.dumps({"0": {"people": 100}, "one": {"people": 150}}))
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.row, p.value) for p in report.problems] == [("locator-not-found", 7, "/1/people")]


def test_an_unreadable_data_file_is_reported_once_at_its_source(series: Path) -> None:
    """Not again at each claim whose locator points into it."""
    _rewrite_archive(series, '[{"people": 100}, {"people": 150')
    report = validate_package(series, today=TODAY)
    assert [(p.code, p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("seed-unreadable", "data/sources.csv", 4, "data_path", DATA)
    ]
    assert report.problems[0].message == (
        f"The data file of S0003 ({DATA}) cannot be read as JSON: "
        "not valid JSON at line 1, column 33 (expecting ',' delimiter)."
    )


def test_a_data_file_no_claim_points_into_does_not_stop_the_others_being_read(series: Path) -> None:
    """S0000 archives the same file and no claim names it: S0003's figures are still checked."""
    sources = (series / "data/sources.csv").read_text().splitlines()
    unreferenced = sources[3].replace("S0003,Fixture losses series", "S0000,Fixture losses series again", 1)
    (series / "data/sources.csv").write_text("\n".join([sources[0], unreferenced, *sources[1:]]) + "\n")
    before = _codes(series)  # the copy repeats S0003's unique url and hash: reported, beside the point
    assert "locator-value-mismatch" not in before
    edit(series, "data/claims.csv", "about 150,approximately,150,", "about 149,approximately,149,")
    assert _codes(series) == {**before, "locator-value-mismatch": 1}


def test_a_package_without_a_sources_table_is_reported_not_crashed(series: Path) -> None:
    descriptor = json.loads((series / "datapackage.json").read_text())
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "sources"]
    (series / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate_package(series, today=TODAY)
    assert report.total > 0 and "internal-error" not in report.counts
