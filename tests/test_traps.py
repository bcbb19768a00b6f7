"""The traps of issue 7: inputs that common tools read wrongly without a word.

Each case breaks one cell of the good fixture. `claims validate` must report it at the right row
and column; what `frictionless validate` says about the same package is asserted too, so the
comparison table in docs/reading-traps.md stays true.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from frictionless import validate as fl_validate

from toolkit.check.validate import validate_package

from .conftest import make_package

TODAY = dt.date(2026, 11, 25)
CLAIMS = "data/claims.csv"


def _edit(pkg: Path, rel: str, old: bytes, new: bytes) -> None:
    path = pkg / rel
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


UNATTRIBUTED = b"unattributed,Unattributed,unattributed,,\n"
UNCLOSED = b'unattributed,Unattributed,unattributed,,"unclosed\nspare,Spare,person,,\n'

# (id, file, old bytes, new bytes, our code, row, column, frictionless valid?)
TRAPS = [
    ("unclosed-quote", "data/claimants.csv", UNATTRIBUTED, UNCLOSED, "quote-unclosed", 3, "notes", True),
    ("extra-field", CLAIMS, b",reported,,,,,\nC0003", b",reported,,,,,,\nC0003", "row-ragged", 3, None, False),
    # our descriptor declares encoding utf-8, which makes frictionless decode strictly too; without
    # that declaration it guesses cp1252 and says valid (docs/reading-traps.md)
    (
        "cp1252-byte",
        CLAIMS,
        b"fixture troops,Tens",
        b"fixture tr\xe9oops,Tens",
        "encoding-not-utf8",
        4,
        "subject",
        False,
    ),
    ("NaN", CLAIMS, b",50000,50000,", b",NaN,50000,", "type-number", 2, "value", False),
    ("Infinity", CLAIMS, b",50000,50000,", b",Infinity,50000,", "type-number", 2, "value", True),
    ("exponent", CLAIMS, b",50000,50000,", b",5e4,50000,", "type-number", 2, "value", True),
    ("underscore", CLAIMS, b",50000,50000,", b",50_000,50000,", "type-number", 2, "value", True),
    ("plus-sign", CLAIMS, b",50000,50000,", b",+50000,50000,", "type-number", 2, "value", True),
    ("full-width-digits", CLAIMS, b",50000,50000,", ",５００００,50000,".encode(), "type-number", 2, "value", True),
    ("arabic-indic-digits", CLAIMS, b",50000,50000,", ",٥٠٠٠٠,50000,".encode(), "type-number", 2, "value", True),
    ("no-break-space", CLAIMS, b",50000,50000,", ",50000\u00a0,50000,".encode(), "type-number", 2, "value", True),
    ("european-thousands", CLAIMS, b",50000,50000,", b",50.000,50000,", "type-number", 2, "value", True),
    ("leading-zeros", CLAIMS, b",50000,50000,", b",050000,50000,", "type-number", 2, "value", True),
    ("unpadded-date", CLAIMS, b",2022-01-01,", b",2022-1-1,", "type-date", 2, "period_start", True),
    ("header-trailing-space", "data/claimants.csv", b"country,", b"country ,", "header-mismatch", 1, "country", True),
]


@pytest.mark.parametrize(
    ("name", "rel", "old", "new", "code", "row", "column", "fl_valid"), TRAPS, ids=[t[0] for t in TRAPS]
)
def test_trap(
    tmp_path: Path, name: str, rel: str, old: bytes, new: bytes, code: str, row: int, column: str | None, fl_valid: bool
) -> None:
    pkg = make_package(tmp_path / "pkg")
    _edit(pkg, rel, old, new)
    report = validate_package(pkg, today=TODAY)
    assert any(p.code == code and p.row == row and p.column == column for p in report.problems), [
        (p.code, p.row, p.column) for p in report.problems
    ]
    assert not report.ok()
    assert fl_validate(str(pkg / "datapackage.json")).valid is fl_valid


def test_unclosed_quote_loses_rows_in_frictionless_but_not_here(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    _edit(pkg, "data/claimants.csv", UNATTRIBUTED, UNCLOSED)
    fl = fl_validate(str(pkg / "datapackage.json"))
    task = next(t for t in fl.tasks if t.name == "claimants")
    assert fl.valid and task.stats["rows"] == 2  # frictionless: 3 rows written, 2 read, "valid"
    report = validate_package(pkg, today=TODAY)
    unclosed = [p for p in report.problems if p.code == "quote-unclosed"]
    assert [(p.file, p.row, p.column) for p in unclosed] == [("data/claimants.csv", 3, "notes")]


def test_missing_value_words_stay_text(tmp_path: Path) -> None:
    from toolkit.problems.report import Report
    from toolkit.read.load import load_package

    pkg = make_package(tmp_path / "pkg")
    _edit(pkg, CLAIMS, b",reported,,,,,\nC0002", b",reported,,NA,,,\nC0002")
    _edit(pkg, CLAIMS, b",reported,,,,,\nC0003", b",reported,,null,,,\nC0003")
    package = load_package(pkg, Report())
    assert package is not None
    assert list(package.tables["claims"].frame["notes"][:2]) == ["NA", "null"]


def test_symlink_out_of_package_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    pkg = make_package(tmp_path / "pkg")
    outside.write_bytes((pkg / CLAIMS).read_bytes())
    (pkg / CLAIMS).unlink()
    os.symlink(outside, pkg / CLAIMS)
    report = validate_package(pkg, today=TODAY)
    assert [p.code for p in report.problems if p.file == "datapackage.json"] == ["path-outside-package"]


@pytest.mark.parametrize("key", ["path", "schema"])
def test_remote_resource_or_schema_is_not_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    import json
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pkg = make_package(tmp_path / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0][key] = "http://example.org/claims" + (".csv" if key == "path" else ".json")
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    report = validate_package(pkg, today=TODAY)
    assert "path-remote" in report.counts


def test_a_semicolon_dialect_passes_frictionless_but_not_here(tmp_path: Path) -> None:
    """Excel in a European locale saves ';'-separated files; declaring that dialect makes
    frictionless happy, while every reader that follows the package's CSV contract (pandas,
    a spreadsheet import, claims) would split the rows wrongly."""
    import csv
    import io
    import json

    pkg = make_package(tmp_path / "pkg")
    path = pkg / "data/claimants.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue())
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "claimants")
    resource["dialect"] = {"delimiter": ";"}
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    assert fl_validate(str(pkg / "datapackage.json")).valid
    report = validate_package(pkg, today=TODAY)
    declared = [p for p in report.problems if p.code == "resource-format-unsupported"]
    assert declared and declared[0].file == "datapackage.json" and "dialect.delimiter" in declared[0].message
    assert "header-mismatch" in report.counts  # and the file itself is read as the contract says


def test_more_than_a_thousand_problems_are_counted(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    header, *rows = (pkg / CLAIMS).read_text().splitlines()
    extra = [rows[0].replace("C0001", f"C{9000 + i}").replace(",50000,50000,", ",5e4,50000,") for i in range(1500)]
    (pkg / CLAIMS).write_text("\n".join([header, *rows, *extra]) + "\n")
    report = validate_package(pkg, today=TODAY, limit=1000)
    assert report.counts["type-number"] == 1500
    assert report.shown == 1000
    assert report.total >= 1500
    from toolkit.problems.render import render_text

    assert f"showing the first 1000 of {report.total} problems" in render_text(report)


def test_remote_resource_is_fetched_only_when_asked(tmp_path: Path) -> None:
    """--allow-remote fetches over http; the server here is on loopback and stops with the test."""
    import functools
    import http.server
    import json
    import threading

    pkg = make_package(tmp_path / "pkg")
    served = tmp_path / "served"
    served.mkdir()
    (served / "claimants.csv").write_bytes((pkg / "data/claimants.csv").read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/claimants.csv"
        descriptor = json.loads((pkg / "datapackage.json").read_text())
        next(r for r in descriptor["resources"] if r["name"] == "claimants")["path"] = url
        (pkg / "datapackage.json").write_text(json.dumps(descriptor))
        assert "path-remote" in validate_package(pkg, today=TODAY).counts
        fetched = validate_package(pkg, today=TODAY, allow_remote=True)
        assert fetched.total == 0, [p.message for p in fetched.problems]
        assert fetched.checked[url] == 2
        next(r for r in descriptor["resources"] if r["name"] == "claimants")["path"] = url + ".missing"
        (pkg / "datapackage.json").write_text(json.dumps(descriptor))
        missing = validate_package(pkg, today=TODAY, allow_remote=True)
        assert [p.code for p in missing.problems if p.file == "datapackage.json"] == ["file-missing"]
    finally:
        server.shutdown()
        server.server_close()
