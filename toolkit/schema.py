"""Table Schema (schemas/*.json) -> the pandera schema that enforces it.

schemas/ is the one definition of types and constraints. pandera's own frictionless converter
(`pandera.io.pandas_io.from_frictionless_schema`) maps constraints well (required, unique,
primary keys, enum, minimum/maximum, length, anchored patterns) but not types: dates stay
strings, optional integers become non-nullable int64, enums become categories, and every column
is coerced, which would turn "007" into 7 silently. So this module keeps the converter's checks
and replaces what it gets wrong: dtypes follow convert.py's strict typing, and nothing is coerced.
tests/test_schema.py pins both the converter's behaviour and the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.io.pandas_io import from_frictionless_schema

from .errors import ToolkitError

SUPPORTED_TYPES = ("string", "integer", "number", "date")

# What convert.py produces for each Table Schema type.
DTYPES: dict[str, Any] = {
    "string": pd.StringDtype(storage="pyarrow", na_value=float("nan")),
    "integer": pd.Int64Dtype(),
    "number": "float64",
    "date": "datetime64[ms]",
}


class SchemaError(ToolkitError):
    """A Table Schema that cannot be used: the package is broken, not the data."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class TableSchema:
    fields: list[Field]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]
    missing_values: list[str]
    descriptor: dict[str, Any]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def parse_table_schema(descriptor: Any, where: str) -> TableSchema:
    """Check a Table Schema descriptor is usable and return it in plain form."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
        raise SchemaError(f"{where}: a Table Schema must be an object with a 'fields' list")
    fields = []
    for i, f in enumerate(descriptor["fields"]):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            raise SchemaError(f"{where}: field {i + 1} has no name")
        ftype = f.get("type", "string")
        if ftype not in SUPPORTED_TYPES:
            raise SchemaError(
                f"{where}: field {f['name']!r} has type {ftype!r}; supported: {', '.join(SUPPORTED_TYPES)}"
            )
        constraints = f.get("constraints") or {}
        if not isinstance(constraints, dict):
            raise SchemaError(f"{where}: field {f['name']!r} has constraints that are not an object")
        fields.append(Field(f["name"], ftype, dict(constraints)))
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise SchemaError(f"{where}: duplicate field names")
    pk = _as_list(descriptor.get("primaryKey"))
    for name in pk:
        if name not in names:
            raise SchemaError(f"{where}: primaryKey names unknown field {name!r}")
    fks = []
    for fk in descriptor.get("foreignKeys") or []:
        try:
            fks.append(
                {
                    "fields": _as_list(fk["fields"]),
                    "resource": fk["reference"].get("resource", ""),
                    "reference_fields": _as_list(fk["reference"]["fields"]),
                }
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise SchemaError(f"{where}: a foreignKey is malformed ({exc})") from exc
    missing = descriptor.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise SchemaError(f"{where}: missingValues must be a list of strings")
    return TableSchema(fields, pk, fks, list(missing), descriptor)


def load_table_schema(path: Path) -> TableSchema:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read Table Schema ({exc})") from exc
    return parse_table_schema(descriptor, str(path))


def pandera_schema(schema: TableSchema) -> pa.DataFrameSchema:
    """The pandera schema for frames produced by convert.to_frame()."""
    # The converter understands only Table Schema v1 keys; $schema and missingValues are ours.
    plain = {k: v for k, v in schema.descriptor.items() if k in ("fields", "primaryKey")}
    plain["primaryKey"] = schema.primary_key
    converted = from_frictionless_schema(plain)
    columns = {
        f.name: pa.Column(
            DTYPES[f.type],
            checks=converted.columns[f.name].checks,
            nullable=not f.required,
            unique=converted.columns[f.name].unique,
            coerce=False,
            required=True,
            name=f.name,
        )
        for f in schema.fields
    }
    return pa.DataFrameSchema(columns, unique=converted.unique, strict=True, coerce=False)
