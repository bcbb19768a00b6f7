"""build_dist(root) -> the files a journalist downloads, written to dist/.

- war-claims-<version>.zip: the package (descriptor with bytes and hash per resource, data,
  schemas, seeds, docs), byte-identical for the same commit: sorted entries, fixed timestamps
  and permissions.
- claims_flat.csv: one row per claim joined to its source and claimant, UTF-8 with a BOM so
  Excel reads it right, formulas neutralised.
- war-claims-<version>.xlsx: one sheet per table plus a data dictionary, every text cell stored
  as text (never as a formula).
- war-claims-<version>.sqlite: the same tables with primary and foreign keys (for Datasette).

Neutralising formulas happens only here; data/ keeps the document's words.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import UsageError
from .files import atomic_write, csv_rows
from .lineage import claim_lineage
from .package import LoadedPackage
from .paths import inside_folder, read_inside
from .validate import load_valid

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
EXTRA_FILES = ("README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff", "docs/data-dictionary.md")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class BuildResult:
    version: str
    files: list[Path] = field(default_factory=list)


def neutralise(value: object) -> object:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD and integers without a decimal point, for spreadsheet outputs."""
    out = frame.copy()
    for column in out.columns:
        if str(out[column].dtype).startswith("datetime64"):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def flat_claims(package: LoadedPackage, lineage: pd.DataFrame | None = None) -> pd.DataFrame:
    claims = package.tables["claims"].frame
    sources = package.tables["sources"].frame[["source_id", "title", "publisher", "url", "published"]]
    sources = sources.rename(
        columns={
            "title": "source_title",
            "publisher": "source_publisher",
            "url": "source_url",
            "published": "source_published",
        }
    )
    claimants = package.tables["claimants"].frame[["claimant_id", "name"]].rename(columns={"name": "claimant_name"})
    flat = claims.merge(sources, on="source_id", how="left").merge(claimants, on="claimant_id", how="left")
    if lineage is not None:
        flat = flat.merge(lineage, on="claim_id", how="left")
    first = ["claim_id", "claimant_name", "source_title", "source_publisher", "source_url", "source_published"]
    return flat[[*first, *[c for c in flat.columns if c not in first]]]


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    cells = frame.astype(object).where(frame.notna(), "")
    return csv_rows([list(frame.columns), *cells.itertuples(index=False, name=None)])


def _published_files(root: Path, package: LoadedPackage, descriptor: dict) -> dict[str, bytes]:
    """Exactly what a release publishes: the descriptor, its resources and schemas, the seeds the
    sources name and the documentation files, each a regular file inside the package."""
    files = {"datapackage.json": (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
    for resource in descriptor["resources"]:
        files[resource["path"]] = read_inside(root, resource["path"])
        if isinstance(resource.get("schema"), str):
            files[resource["schema"]] = read_inside(root, resource["schema"])
    for rel in package.tables["sources"].frame["seed_path"].dropna():
        files[rel] = read_inside(root, rel)
    for extra in EXTRA_FILES:
        if os.path.lexists(root / extra):
            files[extra] = read_inside(root, extra)
    return files


def _package_zip(files: dict[str, bytes], version: str) -> bytes:
    buffer = io.BytesIO()
    prefix = f"war-claims-{version}/"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(prefix + name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    return buffer.getvalue()


def release_descriptor(root: Path, descriptor: dict) -> dict:
    """The descriptor with bytes and sha256 hash of every resource, as it ships in the zip."""
    out = json.loads(json.dumps(descriptor))
    for resource in out["resources"]:
        data = read_inside(root, resource["path"])
        resource["bytes"] = len(data)
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    return out


def _xlsx(package: LoadedPackage, flat: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = {"claims_flat": flat, **{name: t.frame for name, t in package.tables.items()}}
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        shown = _display(frame)
        sheet.append(list(shown.columns))
        for row in shown.itertuples(index=False):
            sheet.append(list(row))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # text stays text: never evaluated as a formula
        sheet.freeze_panes = "A2"
    dictionary = workbook.create_sheet("data_dictionary")
    dictionary.append(["table", "column", "type", "constraints", "description"])
    for name, schema in package.schemas.items():
        for f in schema.descriptor["fields"]:
            dictionary.append(
                [
                    name,
                    f["name"],
                    f.get("type", "string"),
                    json.dumps(f.get("constraints", {}), ensure_ascii=False),
                    f.get("description", ""),
                ]
            )
    workbook.properties.created = workbook.properties.modified = pd.Timestamp("2020-01-01").to_pydatetime()
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write(path, buffer.getvalue())


_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "TEXT"}


def quote_identifier(name: str) -> str:
    """name as an SQLite identifier: in double quotes, inner quotes doubled, so a resource or field
    called `x"; DROP TABLE claims; --` is just a strange name, never SQL."""
    if "\x00" in name:
        raise UsageError(f"the name {name!r} holds a NUL character, which SQLite cannot store")
    return '"' + name.replace('"', '""') + '"'


def _check_sql_names(package: LoadedPackage) -> None:
    """SQLite folds the case of names and keeps sqlite_* for itself: names it would refuse are
    refused here, with the reason, before anything is written."""
    groups = [("resource", list(package.tables))] + [
        (f"field of {name!r}", table.schema.names) for name, table in package.tables.items()
    ]
    for what, names in groups:
        seen: dict[str, str] = {}
        for name in names:
            if name.lower().startswith("sqlite_"):
                raise UsageError(f"the {what} name {name!r} starts with 'sqlite_', which SQLite reserves; rename it")
            if name.lower() in seen:
                raise UsageError(
                    f"the {what} names {seen[name.lower()]!r} and {name!r} differ only in case, "
                    "which SQLite cannot tell apart; rename one"
                )
            seen[name.lower()] = name


def _sqlite(package: LoadedPackage, path: Path) -> None:
    q = quote_identifier
    _check_sql_names(package)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        tmp_path = Path(tmp) / path.name
        con = sqlite3.connect(tmp_path)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            order = ["sources", "claimants", "metrics", "claims"]
            for name in sorted(package.tables, key=lambda n: order.index(n) if n in order else 99):
                table = package.tables[name]
                schema = table.schema
                cols = [
                    f"{q(f.name)} {_SQL_TYPES[f.type]}" + (" NOT NULL" if f.required else "") for f in schema.fields
                ]
                if schema.primary_key:
                    cols.append("PRIMARY KEY (" + ", ".join(q(k) for k in schema.primary_key) + ")")
                for fk in schema.foreign_keys:
                    target = fk["resource"] or name
                    cols.append(
                        "FOREIGN KEY ("
                        + ", ".join(q(c) for c in fk["fields"])
                        + f") REFERENCES {q(target)} ("
                        + ", ".join(q(c) for c in fk["reference_fields"])
                        + ")"
                    )
                con.execute(f"CREATE TABLE {q(name)} ({', '.join(cols)})")
                shown = _display(table.frame[schema.names])
                marks = ", ".join("?" for _ in schema.names)
                con.executemany(f"INSERT INTO {q(name)} VALUES ({marks})", shown.itertuples(index=False, name=None))
            con.commit()
        finally:
            con.close()
        tmp_path.replace(path)


def build_dist(root: Path, out: Path | None = None) -> BuildResult:
    """Validate, then write every download to out (default root/dist). Nothing is written if invalid."""
    package = load_valid(root)
    flat = flat_claims(package, claim_lineage(root, package))
    version = str(package.descriptor.get("version", "0.0.0"))
    out = out or inside_folder(root, "dist")
    out.mkdir(parents=True, exist_ok=True)
    result = BuildResult(version)
    descriptor = release_descriptor(root, package.descriptor)
    targets = {
        out / f"war-claims-{version}.zip": _package_zip(_published_files(root, package, descriptor), version),
        out / "claims_flat.csv": b"\xef\xbb\xbf" + _csv_bytes(_display(flat).map(neutralise)),
    }
    for path, data in targets.items():
        atomic_write(path, data)
        result.files.append(path)
    _xlsx(package, flat, out / f"war-claims-{version}.xlsx")
    _sqlite(package, out / f"war-claims-{version}.sqlite")
    result.files += [out / f"war-claims-{version}.xlsx", out / f"war-claims-{version}.sqlite"]
    return result
