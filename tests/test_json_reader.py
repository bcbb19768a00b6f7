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


DEEP = "[" * 5000 + "]" * 5000


def test_a_deeply_nested_cache_entry_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (cache.cache_folder()).mkdir(parents=True, exist_ok=True)
    (cache.cache_folder() / "k.json").write_text(DEEP)
    assert cache.load("k") is None


def test_a_deeply_nested_descriptor_in_history_is_no_release() -> None:
    from toolkit.repo.release_record import _version

    assert _version(DEEP.encode()) is None
    assert _version(b'{"version": "1.2.3"}') == "1.2.3"


def test_a_deeply_nested_archived_data_file_is_seed_unreadable(tmp_path: Path) -> None:
    from .conftest import FIXTURES

    pkg = make_package(tmp_path / "pkg", FIXTURES / "series" / "package")
    archived = sorted((pkg / "seeds").rglob("*.json"))
    assert archived, "the series overlay archives a data file"
    archived[0].write_text(DEEP)
    report = validate_package(pkg)
    assert "seed-unreadable" in report.counts
    assert any("levels deep" in p.message for p in report.problems if p.code == "seed-unreadable")
