"""The descriptor and what it names: paths proven to stay inside the package, schemas and dialects
read from their files, remote files fetched only when the user asks.

Whatever is wrong is a problem in the report, at datapackage.json; nothing here reads a table.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from frictionless import Package

from ..core.json_reader import JSONUnreadable, read_json
from ..core.paths import is_remote, resolve_inside
from ..problems.report import DESCRIPTOR, Report
from .table_schema import SchemaError, TableSchema, parse_table_schema


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


def read_descriptor(path: Path, report: Report) -> dict[str, Any] | None:
    try:
        descriptor = read_json(path)
    except JSONUnreadable as exc:
        report.add("descriptor-unreadable", DESCRIPTOR, f"Cannot read {DESCRIPTOR}: {exc}.")
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add("descriptor-unreadable", DESCRIPTOR, f"{DESCRIPTOR} must be a JSON object with a 'resources' list.")
        return None
    if check_profiles(descriptor, report):  # frictionless parses them as URLs and raises on some
        for error in Package.metadata_validate(descriptor):
            if "is not safe" in error.message:  # path safety is reported by safe_path, with the reason
                continue
            report.add("descriptor-invalid", DESCRIPTOR, error.message)
    check_names(descriptor, report)
    return descriptor


def check_profiles(descriptor: dict[str, Any], report: Report) -> bool:
    """Every $schema and profile (the package's and each resource's) is a string that parses as a
    URL; False, with the problems reported, when one does not: frictionless's own check raises on
    an address like https://[x (ValueError: Invalid IPv6 URL) instead of reporting it."""
    import urllib.parse

    places = [("the package", descriptor)]
    places += [(f"resource {i + 1}", r) for i, r in enumerate(descriptor["resources"]) if isinstance(r, dict)]
    ok = True
    for what, part in places:
        for key in ("$schema", "profile"):
            if key not in part:
                continue
            value = part[key]
            try:
                usable = isinstance(value, str) and bool(urllib.parse.urlsplit(value))
            except ValueError:
                usable = False
            if not usable:
                ok = False
                report.add(
                    "descriptor-invalid",
                    DESCRIPTOR,
                    f"The {key} of {what}, {value!r}, is not an address a profile can be read from.",
                    column=key,
                    value=str(value),
                    hint='Use the standard\'s profile, e.g. "https://datapackage.org/profiles/2.0/datapackage.json".',
                )
    return ok


# The Data Package standard's rule for the names of a package and of its resources (frictionless
# does not hold a resource's name to it): lower-case letters, digits and - . _ /
NAME = re.compile(r"^([-a-z0-9._/])+$")


def check_names(descriptor: dict[str, Any], report: Report) -> None:
    """The package's name and every resource's name, held to the standard's pattern: a name is how
    other tools (a database, a URL, a file) refer to it, and they would refuse or mangle another."""
    named = [("the package", "name", descriptor.get("name"))]
    named += [
        (f"resource {i + 1}", "name", r.get("name"))
        for i, r in enumerate(descriptor["resources"])
        if isinstance(r, dict)
    ]
    for what, key, value in named:
        if value is None and what == "the package":
            continue  # optional for a package; a resource without a name is the profile's to report
        if not isinstance(value, str) or not NAME.fullmatch(value):
            report.add(
                "descriptor-invalid",
                DESCRIPTOR,
                f"The {key} of {what}, {value!r}, breaks the Data Package standard's rule for names.",
                column=key,
                value=value,
                hint="Use lower-case letters, digits and - . _ / only (the pattern ^([-a-z0-9._/])+$), e.g. claims.",
            )


def resource_dialect(root: Path, resource: dict[str, Any], where: str, report: Report) -> Any:
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


def resource_schema(
    root: Path, resource: dict[str, Any], where: str, report: Report, remote: RemoteFiles | None = None
) -> TableSchema | None:
    ref = resource.get("schema")
    if ref is None:
        report.add("schema-invalid", DESCRIPTOR, f"{where} has no schema.")
        return None
    if isinstance(ref, dict):  # inline: what is wrong is in the descriptor
        try:
            return parse_table_schema(ref, where)
        except SchemaError as exc:
            report.add("schema-invalid", DESCRIPTOR, f"{where}: {exc}")
            return None
    path = safe_path(root, ref, f"{where} schema", report, remote)
    if path is None:
        return None
    file = ref if is_remote(ref) else path.relative_to(root.resolve()).as_posix()
    try:  # a schema file: what is wrong is in that file, and is reported there
        descriptor = read_json(path)
    except JSONUnreadable as exc:
        hint = f"Make {ref} valid UTF-8 JSON, each key once in an object, nested at most a few levels."
        report.add(
            "schema-invalid", file, f"The schema of {where}, {ref}, cannot be read: {exc}.", value=ref, hint=hint
        )
        return None
    try:
        return parse_table_schema(descriptor, str(ref))
    except SchemaError as exc:
        report.add("schema-invalid", file, f"The schema of {where}: {exc}.", value=ref)
        return None
