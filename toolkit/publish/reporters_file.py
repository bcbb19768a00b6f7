"""The release's table of the days two compilations of one claimant's reports disagree on
(compare/reporters), as a CSV with its Table Schema: a journalist who cites a daily figure sees
where the other compilation gives another, with both claims to look up."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..core.arrow import column_number_text

SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "title": "Days on which two compilations of one claimant's reports give different figures",
    "description": (
        "Derived from the claims table of war-claims: a row per claimant, metric, subject and day on which two "
        "datasets transcribing the claimant's reports give different figures (claims validate: reporters-disagree). "
        "Both claims are kept; which one the claimant's own report supports cannot be checked offline: open the "
        "address in the claims' notes."
    ),
    "fields": [
        {"name": "claimant_id", "type": "string", "title": "Claimant ID", "description": "Whose figure it is."},
        {"name": "metric_id", "type": "string", "title": "Metric ID", "description": "What it counts."},
        {"name": "subject", "type": "string", "title": "Subject", "description": "Whose losses, in words."},
        {"name": "day", "type": "date", "title": "Day", "description": "The claims' period_end: the report's date."},
        {"name": "claim_id", "type": "string", "title": "Claim ID",
         "description": "The day's first claim by ID (the one the comparisons and charts show)."},
        {"name": "reporter", "type": "string", "title": "Reporter",
         "description": "The compilation it was read from (its mapping in mappings/)."},
        {"name": "value", "type": "number", "title": "Value", "description": "Its figure."},
        {"name": "locator", "type": "string", "title": "Locator",
         "description": "Where the figure sits in that compilation's archived file (JSON Pointer)."},
        {"name": "other_claim_id", "type": "string", "title": "Other claim ID",
         "description": "The other compilation's claim of the same day."},
        {"name": "other_reporter", "type": "string", "title": "Other reporter",
         "description": "The other compilation."},
        {"name": "other_value", "type": "number", "title": "Other value", "description": "Its figure."},
        {"name": "other_locator", "type": "string", "title": "Other locator",
         "description": "Where it sits in the other compilation's archived file."},
    ],
    "primaryKey": ["claimant_id", "metric_id", "subject", "day", "other_reporter"],
    "missingValues": [""],
}  # fmt: skip


def write_disagreements(found: pd.DataFrame, csv_path: Path, schema_path: Path) -> None:
    table = found.copy()
    table["day"] = pd.to_datetime(table["day"]).dt.strftime("%Y-%m-%d") if len(table) else table["day"]
    for column in ("value", "other_value"):
        table[column] = column_number_text(table[column].astype("float64")) if len(table) else table[column]
    table.to_csv(csv_path, index=False, lineterminator="\n")
    schema_path.write_text(json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
