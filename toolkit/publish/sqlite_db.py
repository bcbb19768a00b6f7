"""The SQLite download, ready for Datasette: typed tables with keys, a flat view, and metadata.

Datasette serves a database at a URL made from the file's stem, so the stem has no dots
(war-claims-v0_1_0); its metadata.json carries the title, licence, source and every column's
description from schemas/, and the view `claims_flat` joins each claim to its source, claimant,
metric and lineage, the join readers ask for first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ..errors import ToolkitError, UsageError
from ..read.model import LoadedPackage

# NUMERIC: SQLite keeps 50000 as an integer and 88.4 as a real, as they were written
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "NUMERIC", "date": "TEXT"}
_ORDER = ["sources", "claimants", "metrics", "claims"]
FLAT_VIEW = "claims_flat"


def database_stem(version: str) -> str:
    return "war-claims-v" + version.replace(".", "_")


def quote_identifier(name: str) -> str:
    """name as an SQLite identifier: in double quotes, inner quotes doubled, so a resource or field
    called `x"; DROP TABLE claims; --` is just a strange name, never SQL."""
    if "\x00" in name:
        raise UsageError(f"the name {name!r} holds a NUL character, which SQLite cannot store")
    return '"' + name.replace('"', '""') + '"'


def check_sql_names(package: LoadedPackage) -> None:
    """SQLite folds the case of names and keeps sqlite_* for itself: names it would refuse are
    refused here, with the reason, before anything is written."""
    groups = [("resource", [*package.tables, FLAT_VIEW, "claim_lineage"])] + [
        (f"field of {name!r}", table.schema.names) for name, table in package.tables.items()
    ]
    for what, names in groups:
        seen: dict[str, str] = {}
        for name in names:
            if name.lower().startswith("sqlite_"):
                raise UsageError(f"the {what} name {name!r} starts with 'sqlite_', which SQLite reserves; rename it")
            if name.lower() in seen:
                raise UsageError(
                    f"the {what} names {seen[name.lower()]!r} and {name!r} differ only in case or clash with a "
                    "table the build adds, which SQLite cannot tell apart; rename one"
                )
            seen[name.lower()] = name


BATCH = 20_000


def _rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """Rows as SQLite takes them (dates as YYYY-MM-DD text, missing as NULL), made a batch at a
    time: Python tuples of a whole table would take several times the memory of the table."""
    for start in range(0, len(frame), BATCH):
        out = frame.iloc[start : start + BATCH].copy()
        for column in out.columns:
            if str(out[column].dtype).startswith("datetime64"):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
            out[column] = out[column].astype(object).where(out[column].notna(), None)
        yield from out.itertuples(index=False, name=None)


def _create_table(con: sqlite3.Connection, name: str, package: LoadedPackage) -> None:
    q = quote_identifier
    table = package.tables[name]
    schema = table.schema
    cols = [f"{q(f.name)} {_SQL_TYPES[f.type]}" + (" NOT NULL" if f.required else "") for f in schema.fields]
    if schema.primary_key:
        cols.append("PRIMARY KEY (" + ", ".join(q(k) for k in schema.primary_key) + ")")
    for fk in schema.foreign_keys:
        target = fk["resource"] or name
        cols.append(
            f"FOREIGN KEY ({', '.join(q(c) for c in fk['fields'])}) "
            f"REFERENCES {q(target)} ({', '.join(q(c) for c in fk['reference_fields'])})"
        )
    con.execute(f"CREATE TABLE {q(name)} ({', '.join(cols)})")
    marks = ", ".join("?" for _ in schema.names)
    con.executemany(f"INSERT INTO {q(name)} VALUES ({marks})", _rows(table.frame[schema.names]))


# where each column of the flat table (read/flat.flat_claims) comes from; a claims column is c.<name>
_FLAT_FROM = {
    "source_title": "s.title",
    "source_publisher": "s.publisher",
    "source_url": "s.url",
    "source_published": "s.published",
    "claimant_name": "k.name",
    "first_release": "l.first_release",
    "last_changed_release": "l.last_changed_release",
}


def _view(columns: list[str]) -> str:
    """The claims_flat view: the flat CSV's, Parquet's and workbook's columns, in their order."""
    q = quote_identifier
    select = ", ".join(f"{_FLAT_FROM[c]} AS {q(c)}" if c in _FLAT_FROM else f"c.{q(c)}" for c in columns)
    return (
        f"CREATE VIEW claims_flat AS SELECT {select}\n"
        "FROM claims AS c\n"
        "LEFT JOIN sources AS s ON s.source_id = c.source_id\n"
        "LEFT JOIN claimants AS k ON k.claimant_id = c.claimant_id\n"
        "LEFT JOIN claim_lineage AS l ON l.claim_id = c.claim_id"
    )


def write_database(package: LoadedPackage, lineage: pd.DataFrame, path: Path, flat_columns: list[str]) -> None:
    """Write the database to path (a new file in a staging folder); flat_columns, the flat table's
    columns in their order (the other downloads'), which the view gives as they do."""
    check_sql_names(package)
    try:
        con = sqlite3.connect(path)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            # a new file in a staging folder that is thrown away whole when the build fails: no
            # rollback journal and no sync per commit (the build syncs the folder before switching it in)
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            for name in sorted(package.tables, key=lambda n: _ORDER.index(n) if n in _ORDER else 99):
                _create_table(con, name, package)
            con.execute(
                "CREATE TABLE claim_lineage (claim_id TEXT PRIMARY KEY REFERENCES claims (claim_id), "
                "first_release TEXT, last_changed_release TEXT)"
            )
            con.executemany("INSERT INTO claim_lineage VALUES (?, ?, ?)", _rows(lineage))
            con.execute(_view(flat_columns))
            con.commit()
        finally:
            con.close()
    except sqlite3.Error as exc:  # a full disk or an unwritable folder, in SQLite's words
        raise ToolkitError(f"cannot write {path.name}: {exc}") from exc


def datasette_metadata(package: LoadedPackage, stem: str) -> dict:
    """Datasette's metadata.json: title, licence, source, and every table's and column's description."""
    descriptor = package.descriptor
    licence = next((x for x in descriptor.get("licenses", []) if isinstance(x, dict)), {})
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    tables: dict[str, dict] = {}
    for name, table in package.tables.items():
        fields = table.schema.descriptor.get("fields", [])
        tables[name] = {
            "description": str(resources.get(name, {}).get("description", "")),
            "columns": {str(f["name"]): str(f.get("description", "")) for f in fields if isinstance(f, dict)},
        }
    tables[FLAT_VIEW] = {
        "description": "Every claim with its source, claimant, metric and the releases it appeared in."
    }
    tables["claim_lineage"] = {"description": "The release in which each claim first appeared and last changed."}
    return {
        "title": str(descriptor.get("title", "")),
        "description": str(descriptor.get("description", "")),
        "license": str(licence.get("name", "")),
        "license_url": str(licence.get("path", "")),
        "source": str(descriptor.get("name", "")),
        "databases": {stem: {"tables": tables}},
    }


def metadata_bytes(package: LoadedPackage, stem: str) -> bytes:
    return (json.dumps(datasette_metadata(package, stem), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
