"""package.py: paths stay inside the package, whatever symlinks and names try."""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.check.validate import validate_package
from toolkit.core.paths import resolve_inside

from .conftest import make_package


def test_resolve_inside_follows_symlinks_and_refuses_what_leaves(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text("a")
    sibling = tmp_path / "pkg-evil"  # shares the root's name as a prefix
    sibling.mkdir()
    (sibling / "b.txt").write_text("b")
    os.symlink(sibling / "b.txt", root / "seeds" / "b.txt")
    os.symlink(root / "seeds" / "a.txt", root / "seeds" / "c.txt")
    os.symlink(sibling, root / "linked")
    assert resolve_inside(root, "seeds/a.txt") == (root / "seeds" / "a.txt").resolve()
    assert resolve_inside(root, "seeds/c.txt") == (root / "seeds" / "a.txt").resolve()
    assert resolve_inside(root, "seeds/b.txt") is None
    assert resolve_inside(root, "linked/b.txt") is None


def test_a_seed_symlinked_out_of_the_package_is_refused(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    outside = tmp_path / "outside.txt"
    seed = pkg / "seeds" / "S0001.txt"
    outside.write_bytes(seed.read_bytes())
    seed.unlink()
    os.symlink(outside, seed)
    report = validate_package(pkg)
    assert ("path-outside-package", "data/sources.csv", 2, "seed_path") in [
        (p.code, p.file, p.row, p.column) for p in report.problems
    ]
