"""Table Schema (schemas/*.json) -> the pandera schema that enforces it.

schemas/ is the one definition of types and constraints. pandera's own frictionless converter
(`pandera.io.pandas_io.from_frictionless_schema`) maps constraints well (required, unique,
primary keys, enum, minimum/maximum, length, anchored patterns) but not types: dates stay
strings, optional integers become non-nullable int64, enums become categories, and every column
is coerced, which would turn "007" into 7 silently. So this module makes the converter's checks
itself (without building frictionless objects first, which cost more than the checks) and none of
what it gets wrong: dtypes follow read/cell_types.py's strict typing, and nothing is coerced.
tests/test_table_schema.py holds the checks to the converter's and pins what it gets wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..core.json_reader import JSONUnreadable, one_of, read_json
from ..errors import ToolkitError

# What read/cell_types.py produces for each Table Schema type.
DTYPES: dict[str, Any] = {
    "string": pd.StringDtype(storage="pyarrow", na_value=float("nan")),
    "integer": pd.Int64Dtype(),
    "number": "float64",
    "date": "datetime64[ms]",
}
SUPPORTED_TYPES = tuple(DTYPES)


class SchemaError(ToolkitError):
    """A Table Schema that cannot be used: the package is broken, not the data."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    constraints: dict[str, Any] = field(default_factory=dict)
    format: str = "default"

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

    @cached_property
    def pandera(self) -> pa.DataFrameSchema:
        """Built once per schema: loading checks it can be built, validation uses it."""
        return pandera_schema(self)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _names(value: Any, what: str, where: str) -> list[str]:
    """A field name or a list of them (Table Schema allows both), checked."""
    if value is None:
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SchemaError(f"{where}: {what} must be a field name or a list of field names")
    return list(names)


_NUMBER = (int, float)
_CONSTRAINT_TYPES: dict[str, tuple[type, ...]] = {
    "required": (bool,),
    "unique": (bool,),
    "enum": (list,),
    "pattern": (str,),
    "minimum": _NUMBER,
    "maximum": _NUMBER,
    "minLength": (int,),
    "maxLength": (int,),
}


_APPLIES = {
    "string": {"required", "unique", "enum", "pattern", "minLength", "maxLength"},
    "integer": {"required", "unique", "enum", "minimum", "maximum"},
    "number": {"required", "unique", "enum", "minimum", "maximum"},
    "date": {"required", "unique"},
}


def _check_constraints(name: str, ftype: str, constraints: dict[str, Any], where: str) -> None:
    """Constraint values of the wrong type would break the checks later; refuse them here."""
    for key, value in constraints.items():
        allowed = _CONSTRAINT_TYPES.get(key)
        if allowed is None:  # frictionless would enforce it; passing it over would pass bad data
            raise SchemaError(
                f"{where}: field {name!r} has the constraint {key!r}, which claims does not enforce; "
                f"use {', '.join(sorted(_APPLIES[ftype]))}"
            )
        if key not in _APPLIES[ftype]:
            raise SchemaError(f"{where}: field {name!r} of type {ftype} cannot have the constraint {key!r}")
        if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
            raise SchemaError(f"{where}: field {name!r} has constraint {key}={value!r} of the wrong type")
        if key == "pattern":
            try:
                re.compile(value)
            except re.error as exc:
                raise SchemaError(f"{where}: field {name!r} has an invalid pattern {value!r} ({exc})") from exc
        if key == "enum" and not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            raise SchemaError(f"{where}: field {name!r} has an enum with values that are not text or numbers")


# field properties that change how a cell is read, and the values that mean what read/cell_types.py does
_READING_PROPERTIES: dict[str, tuple[Any, ...]] = {
    "format": ("default",),
    "decimalChar": (".",),
    "groupChar": (),
    "bareNumber": (True,),
    "missingValues": (),
}


# a URI must name its scheme: what frictionless's rfc3986 validator requires of format "uri"
URI_SCHEME = r"[A-Za-z][A-Za-z0-9+.\-]*:"


def _check_reading(field: dict[str, Any], where: str) -> None:
    """A field property that would make frictionless read a cell differently is refused, not ignored."""
    for key, allowed in _READING_PROPERTIES.items():
        if key == "format" and field.get("type", "string") == "string":
            allowed = ("default", "uri")  # uri is enforced: see pandera_schema
        if key in field and not one_of(field[key], allowed):
            raise SchemaError(
                f"{where}: field {field['name']!r} sets {key}={field[key]!r}, which claims does not read that way "
                "(numbers are ASCII digits with '.', dates YYYY-MM-DD, missing values are the schema's): remove it"
            )


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
        _check_constraints(f["name"], ftype, constraints, where)
        _check_reading(f, where)
        fields.append(Field(f["name"], ftype, dict(constraints), f.get("format", "default")))
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        raise SchemaError(f"{where}: duplicate field names")
    pk = _names(descriptor.get("primaryKey"), "primaryKey", where)
    for name in pk:
        if name not in names:
            raise SchemaError(f"{where}: primaryKey names unknown field {name!r}")
    fks = []
    raw_fks = descriptor.get("foreignKeys") or []
    if not isinstance(raw_fks, list):
        raise SchemaError(f"{where}: foreignKeys must be a list")
    for fk in raw_fks:
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict) or not isinstance(reference.get("resource", ""), str):
            raise SchemaError(f"{where}: a foreignKey needs fields and a reference with fields")
        local = _names(fk.get("fields"), "foreignKey fields", where)
        remote = _names(reference.get("fields"), "foreignKey reference fields", where)
        if not local or len(local) != len(remote) or any(n not in names for n in local):
            raise SchemaError(f"{where}: a foreignKey must name fields of this table, as many as it references")
        fks.append({"fields": local, "resource": reference.get("resource", ""), "reference_fields": remote})
    if descriptor.get("uniqueKeys"):
        raise SchemaError(
            f"{where}: uniqueKeys is not enforced by claims; use a field's unique constraint or the primaryKey"
        )
    if descriptor.get("fieldsMatch", "exact") != "exact":
        raise SchemaError(f"{where}: fieldsMatch must be 'exact': claims compares the header with the fields exactly")
    missing = descriptor.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise SchemaError(f"{where}: missingValues must be a list of strings")
    schema = TableSchema(fields, pk, fks, list(missing), descriptor)
    try:  # what pandera's converter cannot take must be a schema problem, not a crash later
        schema.pandera  # noqa: B018 (built here so a bad schema is reported, not crashed on)
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{where}: {exc}") from exc
    return schema


def load_table_schema(path: Path) -> TableSchema:
    try:
        descriptor = read_json(path)
    except JSONUnreadable as exc:
        raise SchemaError(f"{path}: cannot read Table Schema ({exc})") from exc
    return parse_table_schema(descriptor, str(path))


def pandera_schema(schema: TableSchema) -> pa.DataFrameSchema:
    """The pandera schema for frames produced by read/cell_types.to_frame(): the checks pandera's
    frictionless converter makes of each constraint (tests/test_table_schema.py holds them equal),
    with the dtypes of the strict typing and nothing coerced."""
    single_key = schema.primary_key if len(schema.primary_key) == 1 else []
    columns = {
        f.name: pa.Column(
            DTYPES[f.type],
            checks=_checks(f),
            nullable=not f.required,
            unique=bool(f.constraints.get("unique")) or f.name in single_key,
            coerce=False,
            required=True,
            name=f.name,
        )
        for f in schema.fields
    }
    unique = list(schema.primary_key) if len(schema.primary_key) > 1 else None
    return pa.DataFrameSchema(columns, unique=unique, strict=True, coerce=False)


def _checks(f: Field) -> list[pa.Check]:
    """A field's constraints as pandera checks, as pandera.io.pandas_io.from_frictionless_schema
    makes them: a minimum and a maximum become one in_range, minLength and maxLength one str_length,
    a pattern an anchored str_matches, an enum isin; a uri format our own check."""
    c = f.constraints
    checks = []
    if "minimum" in c and "maximum" in c:
        checks.append(pa.Check.in_range(c["minimum"], c["maximum"]))
    elif "minimum" in c:
        checks.append(pa.Check.greater_than_or_equal_to(c["minimum"]))
    elif "maximum" in c:
        checks.append(pa.Check.less_than_or_equal_to(c["maximum"]))
    if "minLength" in c or "maxLength" in c:
        checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(f"^{c['pattern']}$"))
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"]))
    if f.format == "uri":
        checks.append(pa.Check(lambda s: s.str.match(URI_SCHEME), name="format_uri"))
    return checks
