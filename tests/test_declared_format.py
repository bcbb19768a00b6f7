"""What a resource declares about its file: format, encoding, dialect, size and hash."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from frictionless import validate

from toolkit.check.validate import validate_package

from .conftest import make_package


def _declare(pkg: Path, **props: object) -> None:
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0].update(props)
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))


def _codes(pkg: Path) -> list[str]:
    return [p.code for p in validate_package(pkg).problems]


@pytest.mark.parametrize(
    "props",
    [
        {"dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}},
        {"dialect": {"lineTerminator": "\r\n", "csvddfVersion": 1.2, "headerJoin": " "}},
        {"encoding": "UTF-8", "format": "CSV", "mediatype": "text/csv"},
    ],
)
def test_declaring_what_the_reader_does_is_fine(tmp_path: Path, props: dict[str, object]) -> None:
    pkg = make_package(tmp_path / "pkg")
    _declare(pkg, **props)
    assert _codes(pkg) == []


@pytest.mark.parametrize(
    "props",
    [
        {"dialect": {"delimiter": ";"}},
        {"dialect": {"header": "true"}},  # a string, not the boolean: frictionless reads it as truthy
        {"dialect": {"skipInitialSpace": True}},
        {"dialect": {"nullSequence": "NA"}},
        {"dialect": {"commentChar": "#"}},
        {"dialect": ["delimiter"]},
        {"encoding": "latin-1"},
        {"format": "xlsx"},
        {"compression": "gz"},
        {"hash": "crc32:abcd"},
    ],
)
def test_declaring_another_format_is_an_error(tmp_path: Path, props: dict[str, object]) -> None:
    pkg = make_package(tmp_path / "pkg")
    _declare(pkg, **props)
    report = validate_package(pkg)
    ours = [p for p in report.problems if p.code == "resource-format-unsupported"]
    assert len(ours) == 1 and ours[0].file == "datapackage.json" and ours[0].hint
    # a value of the wrong JSON type is also invalid metadata to frictionless
    assert set(report.counts) <= {"resource-format-unsupported", "descriptor-invalid"}


def test_a_dialect_file_is_read_and_checked(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / "dialect.json").write_text('{"delimiter": "\\t"}')
    _declare(pkg, dialect="dialect.json")
    assert _codes(pkg) == ["resource-format-unsupported"]
    (pkg / "dialect.json").write_text("{not json")
    assert _codes(pkg) == ["descriptor-invalid"]


def test_a_true_size_and_hash_pass_and_frictionless_agrees(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    data = (pkg / "data" / "claims.csv").read_bytes()
    _declare(pkg, bytes=len(data), hash=hashlib.md5(data).hexdigest())  # no prefix: MD5, the default
    assert _codes(pkg) == []
    assert validate(str(pkg / "datapackage.json")).valid


def test_a_stale_size_and_hash_are_reported_as_frictionless_does(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    data = (pkg / "data" / "claims.csv").read_bytes()
    _declare(pkg, bytes=len(data) + 1, hash="sha256:" + hashlib.sha256(data + b"x").hexdigest())
    report = validate_package(pkg)
    assert [(p.code, p.file) for p in report.problems] == [("file-integrity", "data/claims.csv")] * 2
    assert not validate(str(pkg / "datapackage.json")).valid
