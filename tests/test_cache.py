"""The validation cache answers only when every input is as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.check.validate
from toolkit.cli import app, cache

from .conftest import edit, make_package

runner = CliRunner()


def _validate(pkg: Path, *args: str) -> str:
    result = runner.invoke(app, ["validate", str(pkg), *args])
    assert "internal error" not in result.output
    return result.stdout


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the real validation ran."""
    calls: list[int] = []
    real = toolkit.check.validate.validate_package

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(toolkit.check.validate, "validate_package", counting)
    return calls


def test_an_unchanged_package_is_answered_from_the_cache(tmp_path: Path, counted: list[int]) -> None:
    pkg = make_package(tmp_path / "pkg")
    edit(pkg, "data/claims.csv", ",at_least,", ",atleast,")
    first = _validate(pkg)
    second = _validate(pkg)
    assert first == second and "constraint-enum" in first and len(counted) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda p: edit(p, "data/claims.csv", ",fixture soldiers,", ",fixture army soldiers,"),
        lambda p: (p / "seeds/S0001.txt").write_text((p / "seeds/S0001.txt").read_text() + "more\n"),
        lambda p: (p / "seeds/extra.txt").write_text("an unreferenced file\n"),
        lambda p: edit(p, "schemas/claims.schema.json", '"title": "Quote"', '"title": "Quoted"'),
        lambda p: edit(p, "datapackage.json", '"title"', '"description": "x", "title"'),
    ],
    ids=["data", "seed", "new-seed-file", "schema", "descriptor"],
)
def test_any_changed_input_runs_the_checks_again(tmp_path: Path, counted: list[int], change) -> None:
    pkg = make_package(tmp_path / "pkg")
    _validate(pkg)
    change(pkg)
    _validate(pkg)
    assert len(counted) == 2


def test_a_link_pointed_elsewhere_runs_the_checks_again(tmp_path: Path, counted: list[int]) -> None:
    pkg = make_package(tmp_path / "pkg")
    (pkg / "archive").mkdir()
    for name in ("a.txt", "b.txt"):
        (pkg / "archive" / name).write_bytes((pkg / "seeds/S0002.txt").read_bytes())
    (pkg / "seeds/S0002.txt").unlink()
    os.symlink(pkg / "archive/a.txt", pkg / "seeds/S0002.txt")
    assert _validate(pkg).startswith("valid")
    (pkg / "seeds/S0002.txt").unlink()
    os.symlink(pkg / "archive/b.txt", pkg / "seeds/S0002.txt")
    _validate(pkg)
    assert len(counted) == 2


def test_no_cache_when_asked_or_when_unsure(tmp_path: Path, counted: list[int], monkeypatch) -> None:
    pkg = make_package(tmp_path / "pkg")
    _validate(pkg)
    _validate(pkg, "--no-cache")
    monkeypatch.setenv("CLAIMS_NO_CACHE", "1")
    _validate(pkg)
    monkeypatch.delenv("CLAIMS_NO_CACHE")
    _validate(pkg, "--against", str(make_package(tmp_path / "old")))
    assert len(counted) == 4
    monkeypatch.setattr(cache, "_toolkit_digest", lambda: "another toolkit")
    _validate(pkg)
    assert len(counted) == 5


def test_editing_a_check_module_runs_the_checks_again(
    tmp_path: Path, counted: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key covers every module of the toolkit, the check layers included, not only cli/."""
    import shutil

    copy = tmp_path / "toolkit"
    shutil.copytree(cache.TOOLKIT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "TOOLKIT", copy)
    pkg = make_package(tmp_path / "pkg")
    _validate(pkg)
    _validate(pkg)
    assert len(counted) == 1
    rule = copy / "check" / "row_logic.py"
    rule.write_text(rule.read_text().replace('LIVE = ("reported", "corroborated", "disputed")', 'LIVE = ("reported",)'))
    _validate(pkg)
    assert len(counted) == 2


def test_the_key_sees_the_date_and_the_options(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    assert cache.cache_key(pkg, {"limit": 1000}) != cache.cache_key(pkg, {"limit": 10})
    assert cache.cache_key(pkg, {"limit": 1000}) == cache.cache_key(pkg, {"limit": 1000})


def test_the_cache_keeps_only_the_newest_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        cache.store(f"key{i}", {"n": i})
        os.utime(cache.cache_folder() / f"key{i}.json", (i, i))
    assert sorted(p.name for p in cache.cache_folder().glob("*.json")) == ["key2.json", "key3.json", "key4.json"]
