"""A scratch copy of a package, to validate a change before it is written into the package.

Only what validation reads is copied (the descriptor, each resource's file, schema and dialect, and
seeds/), never the rest of the folder the package sits in: a checkout also holds .git, dist/ and
perhaps a virtual environment of hundreds of megabytes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.paths import DESCRIPTOR, is_remote
from ..read.model import LoadedPackage


@contextmanager
def scratch_copy(package: LoadedPackage) -> Iterator[Path]:
    """Yield a temporary folder holding a copy of the package; removed afterwards."""
    root = package.root
    files = {DESCRIPTOR}
    for resource in package.descriptor.get("resources", []):
        if isinstance(resource, dict):
            files |= {v for k in ("path", "schema", "dialect") if isinstance(v := resource.get(k), str)}
    with tempfile.TemporaryDirectory(prefix="claims-scratch-") as tmp:
        copy = Path(tmp) / "package"
        copy.mkdir()
        for rel in sorted(files):
            if is_remote(rel) or not (root / rel).is_file():
                continue
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, copy / rel)
        if (root / "seeds").is_dir():
            shutil.copytree(root / "seeds", copy / "seeds", symlinks=True)
        yield copy
