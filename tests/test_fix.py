"""claims fix: the canonical form, the Excel round trip, and never a changed value."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit.check.validate import validate_package
from toolkit.cli import app
from toolkit.contribute.fix import SPACES, apply_fixes, canonical, fix_package

from .conftest import BAD, make_package, snapshot

CLAIMS = "data/claims.csv"
runner = CliRunner()


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig").replace("\r\n", "\n"), newline="")))


def _save_as_excel(path: Path) -> None:
    """What Excel writes for 'CSV UTF-8': a BOM, CRLF after every record, every cell in quotes."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(_rows(path.read_bytes()))
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def test_the_excel_round_trip(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    original = (pkg / CLAIMS).read_bytes()
    _save_as_excel(pkg / CLAIMS)
    report = validate_package(pkg)
    assert set(report.counts) == {"encoding-bom", "line-endings-crlf"}
    assert all("claims fix" in p.hint for p in report.problems)
    check = runner.invoke(app, ["fix", str(pkg), "--check"])
    assert check.exit_code == 1 and "would fix" in check.stdout
    result = runner.invoke(app, ["fix", str(pkg)])
    assert result.exit_code == 0, result.output
    assert "removed the byte-order mark" in result.stdout and "CRLF line endings -> LF" in result.stdout
    assert validate_package(pkg).total == 0
    assert (pkg / CLAIMS).read_bytes() == original  # every value, every byte, as before
    again = runner.invoke(app, ["fix", str(pkg), "--check"])
    assert again.exit_code == 0 and "canonical form" in again.stdout


def test_spaces_nfc_column_order_and_blank_lines(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "header-order")
    path = pkg / "data/claimants.csv"
    text = path.read_text().replace("Unattributed", " Unattribute\u0301d\u00a0")  # spaces, an accent apart
    path.write_text(text + "\n")
    result = fix_package(pkg)
    [item] = [f for f in result.files if f.file == "data/claimants.csv"]
    assert "columns put in the schema's order" in item.changes
    assert any("without the spaces" in c for c in item.changes) and any("empty line" in c for c in item.changes)
    assert any("NFC" in c for c in item.changes)
    runner.invoke(app, ["fix", str(pkg)])
    assert validate_package(pkg).total == 0


def test_a_file_it_cannot_rewrite_is_left_alone_and_said(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg", BAD / "row-ragged")
    before = snapshot(pkg)
    result = runner.invoke(app, ["fix", str(pkg)])
    assert result.exit_code == 1 and "not fixed" in result.stderr and "fix it by hand" in result.stderr
    assert snapshot(pkg) == before


def test_from_a_subfolder(tmp_path: Path, monkeypatch) -> None:
    pkg = make_package(tmp_path / "pkg")
    _save_as_excel(pkg / CLAIMS)
    monkeypatch.chdir(pkg / "data")
    assert runner.invoke(app, ["fix"]).exit_code == 0
    assert validate_package(pkg).total == 0


# no CR inside cells: Python's csv writer leaves a lone CR unquoted, so such input is ambiguous
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(cells, min_size=3, max_size=3), max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    st.booleans(),
)
def test_fix_is_idempotent_and_keeps_every_value(rows: list[list[str]], ending: str, quoting: int, bom: bool) -> None:
    # Python's writer leaves a line break unquoted when it is not in its line terminator
    assume(not (ending == "\r" and quoting == csv.QUOTE_MINIMAL and any("\n" in c for r in rows for c in r)))
    fields = ["a", "b", "c"]
    buffer = io.StringIO()
    csv.writer(buffer, quoting=quoting, lineterminator=ending).writerows([fields, *rows])
    data = (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")
    once, _ = canonical(data, fields)
    twice, changes = canonical(once, fields)
    assert twice == once and changes == []
    import unicodedata

    expected = [[unicodedata.normalize("NFC", c.strip(SPACES)) for c in row] for row in rows]
    assert _rows(once)[1:] == expected


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_table_saved_as_unicode_text_is_converted_to_utf8(good_package: Path, encoding: str) -> None:
    """validate says to run claims fix on a UTF-16 table: fix converts it, every character kept."""
    path = good_package / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode(encoding))
    assert validate_package(good_package).counts["encoding-not-utf8"] == 1
    result = fix_package(good_package)
    [item] = [f for f in result.files if f.file == "data/claims.csv"]
    assert item.changes[0] == f"converted from {encoding.split('-le')[0].upper()} to UTF-8"
    apply_fixes(result)
    assert path.read_text(encoding="utf-8") == text
    assert validate_package(good_package).valid
