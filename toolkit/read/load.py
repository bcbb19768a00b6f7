"""Load a data package from disk into typed frames: I/O and typing only, no judgement.

Every command that reads the package goes through here, so none of them can lose, shift or guess
data: paths must stay inside the package folder after symlinks are resolved, nothing is fetched
from the network unless the user asks for it (--allow-remote, RemoteFiles), and every table goes
through the strict reader and the schema's typing. Whatever goes wrong on the way is a Problem in
the report; what those problems mean for a command is decided by the gate (read/policy.py).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from frictionless import Package

from ..core.json_reader import JSONUnreadable, read_json
from ..core.paths import find_descriptor, forget_resolved, is_remote, resolve_inside
from ..problems.report import DESCRIPTOR, Report
from .cell_types import to_frame
from .declared_format import check_declared_format, check_declared_integrity
from .seed_files import SeedFiles, find_seeds
from .strict_csv import read_csv
from .table_schema import SchemaError, TableSchema, parse_table_schema


@dataclass
class Table:
    """One resource, read and typed. rows/lines give each frame row's place in the file."""

    name: str
    file: str  # path relative to the package root, as problems show it
    schema: TableSchema
    frame: pd.DataFrame
    rows: np.ndarray
    lines: np.ndarray
    header: list[str]
    invalid: dict[str, np.ndarray] = field(default_factory=dict)  # column -> rows whose cell failed typing
    invalid_text: dict[str, dict[int, str]] = field(default_factory=dict)  # column -> {row index: raw text}

    def as_written(self, column: str) -> pd.Series:
        """The column, with each cell that failed strict typing kept as the text it holds.

        Never read leniently: `5e4`, `50,000` or `50000` with a trailing space are not 50000 to
        claims validate, so to a comparison they are what they say.
        """
        series = self.frame[column]
        texts = self.invalid_text.get(column)
        if not texts:
            return series
        out = series.astype(object)
        for i, text in texts.items():
            out.iat[i] = text
        return out

    def typed_ok(self, *columns: str) -> np.ndarray:
        """Rows where every named column was typed without error."""
        ok = np.ones(len(self.frame), dtype=bool)
        for column in columns:
            if column in self.invalid:
                ok &= ~self.invalid[column]
        return ok


@dataclass
class LoadedPackage:
    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table] = field(default_factory=dict)
    schemas: dict[str, TableSchema] = field(default_factory=dict)
    seeds: SeedFiles = field(default_factory=SeedFiles)


class RemoteFiles:
    """Downloads of http(s) resources, only when the user asked for them (--allow-remote).

    Each URL is fetched once into a folder the caller owns and removes; nothing else in the
    toolkit touches the network.
    """

    MAX_BYTES = 4_000_000_000
    TIMEOUT = 60

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fetched: dict[str, Path] = {}

    def fetch(self, url: str) -> Path:
        """The local copy of url; OSError (with the reason) when it cannot be had."""
        if url in self.fetched:
            return self.fetched[url]
        if not url.startswith(("http://", "https://")):
            raise OSError(f"only http and https URLs can be fetched, not {url!r}")
        target = self.folder / f"remote-{len(self.fetched)}"
        try:
            with urllib.request.urlopen(url, timeout=self.TIMEOUT) as response, target.open("wb") as out:
                size = 0
                while chunk := response.read(1 << 20):
                    size += len(chunk)
                    if size > self.MAX_BYTES:
                        raise OSError(f"larger than {self.MAX_BYTES:,} bytes")
                    out.write(chunk)
        except (urllib.error.URLError, ValueError, TimeoutError) as exc:
            raise OSError(str(getattr(exc, "reason", exc))) from exc
        self.fetched[url] = target
        return target


def safe_path(root: Path, value: Any, where: str, report: Report, remote: RemoteFiles | None = None) -> Path | None:
    """Resolve a descriptor path, reporting anything that would leave the package."""
    if not isinstance(value, str) or not value:
        report.add("descriptor-invalid", DESCRIPTOR, f"{where}: path must be a non-empty string.", value=value)
        return None
    if is_remote(value):
        if remote is None:
            report.add(
                "path-remote",
                DESCRIPTOR,
                f"{where}: {value!r} is a URL; claims reads local files unless run with --allow-remote.",
                value=value,
            )
            return None
        try:
            return remote.fetch(value)
        except OSError as exc:
            report.add("file-missing", DESCRIPTOR, f"{where}: cannot fetch {value!r}: {exc}.", value=value)
            return None
    if os.path.isabs(value) or value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
        report.add("path-not-relative", DESCRIPTOR, f"{where}: {value!r} is an absolute path.", value=value)
        return None
    if ".." in Path(value).parts:
        report.add("path-outside-package", DESCRIPTOR, f"{where}: {value!r} contains '..'.", value=value)
        return None
    resolved = resolve_inside(root, value)
    if resolved is None:
        report.add(
            "path-outside-package",
            DESCRIPTOR,
            f"{where}: {value!r} resolves to {(root / value).resolve()}, outside the package (a symlink?).",
            value=value,
        )
        return None
    if not resolved.is_file():
        report.add("file-missing", DESCRIPTOR, f"{where}: {value!r} does not exist.", value=value)
        return None
    return resolved


def _read_descriptor(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        descriptor = read_json(path)
    except JSONUnreadable as exc:
        report.add("descriptor-unreadable", DESCRIPTOR, f"Cannot read {DESCRIPTOR}: {exc}.")
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add("descriptor-unreadable", DESCRIPTOR, f"{DESCRIPTOR} must be a JSON object with a 'resources' list.")
        return None
    for error in Package.metadata_validate(descriptor):
        if "is not safe" in error.message:  # path safety is reported by safe_path, with the reason
            continue
        report.add("descriptor-invalid", DESCRIPTOR, error.message)
    return descriptor


def load_package(
    path: Path, report: Report, remote: RemoteFiles | None = None, seeds: bool = True
) -> LoadedPackage | None:
    """Read every tabular resource (and, with seeds, find the seed files); None when the
    descriptor itself cannot be read. Comparing two packages reads no seed: seeds=False saves
    a pass over thousands of files."""
    forget_resolved()
    descriptor_path = find_descriptor(path)
    root = descriptor_path.parent
    descriptor = _read_descriptor(descriptor_path, report)
    if descriptor is None:
        return None
    package = LoadedPackage(root, descriptor)
    for i, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            continue
        name = str(resource.get("name", f"resource {i + 1}"))
        where = f"resource {name!r}"
        schema = _resource_schema(root, resource, where, report, remote)
        check_declared_format(resource, where, report, _resource_dialect(root, resource, where, report))
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
            raw = read_csv(data_path, schema.names, file, report)
        except OSError as exc:
            report.add("file-missing", file, f"Cannot read {file}: {exc.strerror or exc}.")
            continue
        if raw is None:
            continue
        _check_header(raw.header, schema, file, report)
        invalid: dict[str, np.ndarray] = {}
        invalid_text: dict[str, dict[int, str]] = {}
        frame = to_frame(raw, schema, file, report, invalid, invalid_text)
        package.tables[name] = Table(name, file, schema, frame, raw.rows, raw.lines, raw.header, invalid, invalid_text)
        report.checked[file] = len(frame)
    if seeds:
        package.seeds = find_seeds(report, root, package.tables.get("sources"))
    return package


def _resource_dialect(root: Path, resource: dict[str, Any], where: str, report: Report) -> Any:
    """The resource's dialect object; read from its file when the descriptor names one (Data Package v2)."""
    dialect = resource.get("dialect")
    if not isinstance(dialect, str):
        return dialect
    path = safe_path(root, dialect, f"{where} dialect", report)
    if path is None:
        return None
    try:
        return read_json(path)
    except JSONUnreadable as exc:
        report.add("descriptor-invalid", DESCRIPTOR, f"{where} dialect: cannot read {dialect!r}: {exc}.", value=dialect)
        return None


def _resource_schema(
    root: Path, resource: dict[str, Any], where: str, report: Report, remote: RemoteFiles | None = None
) -> TableSchema | None:
    ref = resource.get("schema")
    if ref is None:
        report.add("schema-invalid", DESCRIPTOR, f"{where} has no schema.")
        return None
    try:
        if isinstance(ref, dict):
            return parse_table_schema(ref, where)
        path = safe_path(root, ref, f"{where} schema", report, remote)
        if path is None:
            return None
        return parse_table_schema(read_json(path), str(ref))
    except (SchemaError, JSONUnreadable) as exc:
        report.add("schema-invalid", DESCRIPTOR, f"{where}: {exc}")
        return None


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
