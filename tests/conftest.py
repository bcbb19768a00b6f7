"""Shared helpers: build a package in a temporary folder from the good fixture plus overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def make_package(dest: Path, overlay: Path | None = None) -> Path:
    """The good fixture with the repository's schemas, then overlay's files on top."""
    shutil.copytree(GOOD, dest)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    if overlay is not None:
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != "expect.json":
                target = dest / path.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return dest


@pytest.fixture
def good_package(tmp_path: Path) -> Path:
    return make_package(tmp_path / "pkg")
