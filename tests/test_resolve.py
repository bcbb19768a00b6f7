"""read/resolve.py: a git ref is read from the commit, and only what the package needs of it."""

from __future__ import annotations

from pathlib import Path

from toolkit.read.resolve import package_folder

from .conftest import init_repo, make_package


def test_a_ref_brings_the_descriptor_and_its_files_not_the_seeds(tmp_path: Path) -> None:
    """Comparing with a release never reads the archived seeds, which are most of its bytes."""
    repo = make_package(tmp_path / "repo")
    (repo / "seeds/upstream").mkdir(parents=True)
    (repo / "seeds/upstream/snapshot.json").write_text('{"days": []}\n')
    (repo / "-notes.txt").write_text("a path that looks like an option\n")
    init_repo(repo)
    with package_folder("HEAD", repo) as folder:
        files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert "datapackage.json" in files
    assert "data/claims.csv" in files
    assert any(f.startswith("schemas/") for f in files)
    assert not any(f.startswith("seeds/") for f in files)
    assert "-notes.txt" not in files
