"""files.py: writes are atomic and leave nothing behind when they fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.core.files import append_rows, atomic_write, csv_rows
from toolkit.errors import ToolkitError


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old\n")
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ToolkitError, match="No space left"):
        atomic_write(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_csv_rows_and_append(tmp_path: Path) -> None:
    assert csv_rows([["a", "b,c", 'd"e'], ["", "x\ny", "z"]]) == b'a,"b,c","d""e"\n,"x\ny",z\n'
    target = tmp_path / "t.csv"
    target.write_bytes(b"h1,h2\n1,2")  # no final newline
    append_rows(target, [["3", "4"]])
    assert target.read_bytes() == b"h1,h2\n1,2\n3,4\n"
