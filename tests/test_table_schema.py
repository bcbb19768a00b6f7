"""read/table_schema.py: the pandera schema built from schemas/, with the checks pandera's converter
makes and none of what it gets wrong."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.io.pandas_io import from_frictionless_schema

from toolkit.read.table_schema import DTYPES, SchemaError, load_table_schema, pandera_schema, parse_table_schema

from .conftest import ROOT


def test_pandera_converter_behaviour_we_correct() -> None:
    """If pandera's converter changes, this fails and schema.py must be revisited."""
    raw = from_frictionless_schema(
        {
            "fields": [
                {"name": "d", "type": "date"},
                {"name": "n", "type": "integer"},
                {"name": "e", "type": "string", "constraints": {"enum": ["a"]}},
            ]
        }
    )
    assert str(raw.columns["d"].dtype).startswith("str")  # dates left as strings
    assert str(raw.columns["n"].dtype) == "int64"  # optional integers not nullable
    assert str(raw.columns["e"].dtype) == "category"
    assert raw.coerce  # would turn "007" into 7


SCHEMAS = ["claims", "sources", "claimants", "metrics", "series_corrections"]


@pytest.mark.parametrize("name", SCHEMAS)
def test_our_checks_are_the_converters(name: str) -> None:
    """Each column gets exactly the checks pandera.io.pandas_io.from_frictionless_schema makes of
    its constraints (name and statistics), plus the uri format check; the dataframe-level
    uniqueness of a key of several fields too. If the converter changes, this fails."""
    table = load_table_schema(ROOT / "schemas" / f"{name}.schema.json")
    plain = {k: v for k, v in table.descriptor.items() if k in ("fields", "primaryKey")}
    theirs = from_frictionless_schema(plain)
    ours = pandera_schema(table)

    def described(checks: list) -> list:
        return [(c.name, c.statistics) for c in checks if c.name != "format_uri"]

    for field in table.fields:
        assert described(ours.columns[field.name].checks) == described(theirs.columns[field.name].checks), field.name
    assert ours.unique == theirs.unique


@pytest.mark.parametrize("name", SCHEMAS)
def test_our_schema_follows_the_table_schema(name: str) -> None:
    table = load_table_schema(ROOT / "schemas" / f"{name}.schema.json")
    schema = pandera_schema(table)
    assert list(schema.columns) == table.names
    assert not schema.coerce
    for field in table.fields:
        column = schema.columns[field.name]
        assert column.dtype == pa.engines.pandas_engine.Engine.dtype(DTYPES[field.type])
        assert column.nullable == (not field.required)
        assert column.unique == (table.primary_key == [field.name] or bool(field.constraints.get("unique")))
        assert not column.coerce


def test_enum_pattern_and_minimum_are_enforced() -> None:
    schema = pandera_schema(load_table_schema(ROOT / "schemas" / "claimants.schema.json"))
    frame = pd.DataFrame(
        {
            "claimant_id": pd.array(["ok_id", "Bad-ID"], dtype=DTYPES["string"]),
            "name": pd.array(["x", "y"], dtype=DTYPES["string"]),
            "kind": pd.array(["government", "alien"], dtype=DTYPES["string"]),
            "country": pd.array(["UA", "ukr"], dtype=DTYPES["string"]),
            "notes": pd.array([None, None], dtype=DTYPES["string"]),
        }
    )
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema.validate(frame, lazy=True)
    failed = set(zip(err.value.failure_cases["column"], err.value.failure_cases["failure_case"], strict=True))
    assert failed == {("claimant_id", "Bad-ID"), ("kind", "alien"), ("country", "ukr")}


@pytest.mark.parametrize(
    "descriptor",
    [
        {},
        {"fields": "x"},
        {"fields": [{"type": "string"}]},
        {"fields": [{"name": "a", "type": "geopoint"}]},
        {"fields": [{"name": "a"}, {"name": "a"}]},
        {"fields": [{"name": "a"}], "primaryKey": ["b"]},
        {"fields": [{"name": "a"}], "foreignKeys": [{"fields": ["a"]}]},
        {"fields": [{"name": "a"}], "primaryKey": False},
        {"fields": [{"name": "a"}], "foreignKeys": True},
        {"fields": [{"name": "a"}], "foreignKeys": [{"fields": ["a"], "reference": {"fields": ["x", "y"]}}]},
        {"fields": [{"name": "a", "constraints": {"minimum": 0}}]},
        {"fields": [{"name": "a", "constraints": {"pattern": "("}}]},
        {"fields": [{"name": "a", "constraints": {"enum": [{"x": 1}]}}]},
        {"fields": [{"name": "a", "constraints": {"maxLength": "ten"}}]},
        {"fields": [{"name": "a", "type": "integer", "constraints": {"required": "yes"}}]},
        # what frictionless would enforce or read differently is refused, never silently ignored
        {"fields": [{"name": "a", "type": "integer", "constraints": {"exclusiveMinimum": 0}}]},
        {"fields": [{"name": "a", "constraints": {"jsonSchema": {}}}]},
        {"fields": [{"name": "a", "type": "date", "format": "%d/%m/%Y"}]},
        {"fields": [{"name": "a", "format": "email"}]},
        {"fields": [{"name": "a", "type": "integer", "format": "uri"}]},
        {"fields": [{"name": "a", "type": "integer", "groupChar": ","}]},
        {"fields": [{"name": "a", "type": "number", "decimalChar": ","}]},
        {"fields": [{"name": "a", "type": "integer", "bareNumber": False}]},
        {"fields": [{"name": "a", "missingValues": ["NA"]}]},
        {"fields": [{"name": "a"}, {"name": "b"}], "uniqueKeys": [["a", "b"]]},
        {"fields": [{"name": "a"}], "fieldsMatch": "subset"},
    ],
)
def test_unusable_schemas_raise(descriptor: dict) -> None:
    with pytest.raises(SchemaError):
        parse_table_schema(descriptor, "test")


@pytest.mark.parametrize(
    "field",
    [
        {"name": "a", "type": "date", "format": "default"},
        {"name": "a", "type": "number", "decimalChar": ".", "bareNumber": True},
        {"name": "a", "constraints": {"minLength": 1}},
        {"name": "a", "format": "uri"},
    ],
)
def test_reading_properties_that_match_the_reader_are_accepted(field: dict) -> None:
    assert parse_table_schema({"fields": [field], "fieldsMatch": "exact"}, "test").names == ["a"]
