"""core/json_reader.py: every way a JSON file can be unusable is one plain reason, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.check.validate import validate_package
from toolkit.core.json_reader import MAX_DEPTH, JSONUnreadable, read_json

from .conftest import make_package


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"resources": [', "not valid JSON"),
        (b'{"title": "caf\xe9"}', "byte 14 is not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, f"nested more than {MAX_DEPTH} levels deep"),  # RecursionError in json
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
    ],
)
def test_unusable_json_has_one_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(JSONUnreadable, match=reason):
        read_json(path)


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert read_json(path) is not None


@pytest.mark.parametrize("rel", ["datapackage.json", "schemas/claims.schema.json"])
def test_a_deeply_nested_descriptor_or_schema_is_reported(tmp_path: Path, rel: str) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / rel).write_text('{"resources": ' + "[" * 5000 + "]" * 5000 + "}")
    report = validate_package(pkg)
    code = "descriptor-unreadable" if rel == "datapackage.json" else "schema-invalid"
    assert code in report.counts
    assert any("levels deep" in p.message for p in report.problems)
