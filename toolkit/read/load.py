"""Load a data package from disk into typed frames: I/O and typing only, no judgement.

Every command that reads the package goes through here, so none of them can lose, shift or guess
data: paths must stay inside the package folder after symlinks are resolved, nothing is fetched
from the network unless the user asks for it (--allow-remote, RemoteFiles), and every table goes
through the strict reader and the schema's typing. Whatever goes wrong on the way is a Problem in
the report; what those problems mean for a command is decided by the reading policy (read/policy.py).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np

from ..core.paths import find_descriptor, forget_resolved, is_remote
from ..problems.report import Report
from .cell_types import to_frame
from .declared_format import check_declared_format, check_declared_integrity
from .descriptor import RemoteFiles, read_descriptor, resource_dialect, resource_schema, safe_path
from .model import LoadedPackage, Table
from .seed_files import find_seeds
from .strict_csv import read_csv
from .table_schema import TableSchema


def load_package(
    path: Path, report: Report, remote: RemoteFiles | None = None, seeds: bool = True
) -> LoadedPackage | None:
    """Read every tabular resource (and, with seeds, find the seed files); None when the
    descriptor itself cannot be read. Comparing two packages reads no seed: seeds=False saves
    a pass over thousands of files."""
    forget_resolved()
    descriptor_path = find_descriptor(path)
    root = descriptor_path.parent
    descriptor = read_descriptor(descriptor_path, report)
    if descriptor is None:
        return None
    package = LoadedPackage(root, descriptor)
    for i, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name", f"resource {i + 1}"))
        where = f"resource {name!r}"
        schema = resource_schema(root, resource, where, report, remote)
        check_declared_format(resource, where, report, resource_dialect(root, resource, where, report))
        data_path = safe_path(root, resource.get("path"), where, report, remote)
        if schema is None or data_path is None:
            continue
        package.schemas[name] = schema
        value = resource.get("path")
        file = (
            value if isinstance(value, str) and is_remote(value) else data_path.relative_to(root.resolve()).as_posix()
        )
        try:
            check_declared_integrity(resource, data_path, file, report)
            raw = read_csv(
                data_path, schema.names, file, report, partial(_check_header, schema=schema, file=file, report=report)
            )
        except OSError as exc:
            report.add("file-missing", file, f"Cannot read {file}: {exc.strerror or exc}.")
            continue
        if raw is None:
            continue
        invalid: dict[str, np.ndarray] = {}
        invalid_text: dict[str, dict[int, str]] = {}
        frame = to_frame(raw, schema, file, report, invalid, invalid_text)
        package.tables[name] = Table(name, file, schema, frame, raw.rows, raw.lines, raw.header, invalid, invalid_text)
        report.checked[file] = len(frame)
    if seeds:
        package.seeds = find_seeds(report, root, package.tables.get("sources"))
    return package


def _check_header(header: list[str], schema: TableSchema, file: str, report: Report) -> None:
    """Compare the header with the schema's fields exactly: no trimming, no case folding."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            report.add(
                "header-duplicate",
                file,
                f"Column {name!r} appears more than once in the header.",
                row=1,
                column=name,
                value=name,
                line=1,
            )
        seen.add(name)
    if header == schema.names:
        return
    expected = schema.names
    for name in expected:
        if name not in header:
            near = next((h for h in header if h.strip().lower() == name.lower()), None)
            hint = (
                f"The header has {near!r}: remove the spaces or fix the case."
                if near is not None
                else f"Add the column {name!r}."
            )
            report.add(
                "header-mismatch",
                file,
                f"The header lacks the field {name!r}.",
                row=1,
                column=name,
                value=near,
                hint=hint,
                line=1,
            )
    for name in header:
        if name not in expected:
            report.add(
                "header-mismatch",
                file,
                f"The header has {name!r}, which is not a field of the schema.",
                row=1,
                column=name,
                value=name,
                line=1,
                hint="Remove the column, or add the field to the schema first.",
            )
    if set(header) == set(expected) and len(header) == len(expected):
        report.add(
            "header-order",
            file,
            "The columns are in a different order than the schema's fields.",
            row=1,
            value=",".join(header),
            line=1,
            hint="Run `claims fix`, or reorder the columns as: " + ",".join(expected) + ".",
        )
