"""The catalogue of problem codes.

Codes are part of the public contract: contributors grep for them, CI comments link them and
downstream scripts filter on them. Once released a code never changes meaning or spelling; a new
kind of problem gets a new code. Every code here has a bad-input fixture under tests/fixtures/bad
(tests/test_fixtures.py fails otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Effect = Literal["unreadable", "lost", "as-text", "none"]
""" What a problem does to the data as read, which decides whether a command can trust it:
unreadable  the package or a table could not be read at all
lost        rows, columns or files were left out of what was read
as-text     cells kept only as the text they hold (not typed): compared as written
none        everything was read as written; only a rule is broken
"""


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    hint: str
    effect: Effect


_CODES = [
    # descriptor and paths
    Code(
        "descriptor-unreadable",
        "error",
        "datapackage.json cannot be read",
        "Make datapackage.json valid UTF-8 JSON (an object with a 'resources' list).",
        effect="unreadable",
    ),
    Code(
        "descriptor-invalid",
        "error",
        "datapackage.json is not a valid Data Package",
        "Fix the property named in the message; see https://datapackage.org/standard/data-package/.",
        effect="lost",
    ),
    Code(
        "path-not-relative",
        "error",
        "a path in the descriptor is absolute",
        "Use a path relative to the folder of datapackage.json, such as data/claims.csv.",
        effect="lost",
    ),
    Code(
        "path-outside-package",
        "error",
        "a path leaves the package folder",
        "Keep every file inside the package folder; remove '..' and symlinks that point outside.",
        effect="lost",
    ),
    Code(
        "path-remote",
        "error",
        "a path is a URL",
        "Commit the file into the package and refer to it by relative path (or run with --allow-remote to fetch it).",
        effect="lost",
    ),
    Code(
        "file-missing",
        "error",
        "a file named by the descriptor does not exist",
        "Create the file or correct the path.",
        effect="unreadable",
    ),
    Code(
        "schema-invalid",
        "error",
        "a Table Schema cannot be used",
        "Fix the schema file; every field needs a name and one of the types string, integer, number, date.",
        effect="unreadable",
    ),
    Code(
        "resource-missing",
        "error",
        "a resource the toolkit needs is not in the descriptor",
        "Declare the resource in datapackage.json with its path and schema.",
        effect="unreadable",
    ),
    Code(
        "resource-format-unsupported",
        "error",
        "a resource declares a format, encoding or dialect that claims does not read",
        "The tables are comma-separated UTF-8 CSV with one header row (RFC 4180): remove the property.",
        effect="none",
    ),
    Code(
        "file-integrity",
        "error",
        "a file's size or hash differs from the one its descriptor declares",
        "Remove 'bytes' and 'hash' from the resource, or bring them up to date.",
        effect="none",
    ),
    # file structure
    Code(
        "encoding-bom",
        "error",
        "the file starts with a byte-order mark",
        "Run `claims fix`: it removes the mark and changes nothing else (Excel's 'CSV UTF-8' adds one on every save).",
        effect="none",
    ),
    Code(
        "encoding-not-utf8",
        "error",
        "bytes that are not UTF-8",
        "Re-save the file as UTF-8; the text at this place is in another encoding (often Windows-1252).",
        effect="lost",
    ),
    Code(
        "line-endings-crlf",
        "error",
        "Windows line endings (CRLF)",
        "Run `claims fix` (it converts the line endings to LF and changes nothing else), or set your editor to LF.",
        effect="none",
    ),
    Code(
        "line-endings-cr",
        "error",
        "classic Mac line endings (CR alone)",
        "Run `claims fix` (it converts the line endings to LF and changes nothing else), or set your editor to LF.",
        effect="none",
    ),
    Code("file-empty", "error", "the file is empty", "A table needs at least its header row.", effect="unreadable"),
    Code(
        "header-mismatch",
        "error",
        "the header differs from the schema's fields",
        "Make the first row list exactly the schema's field names, in order.",
        effect="lost",
    ),
    Code(
        "header-order",
        "error",
        "the columns are in another order than the schema's fields",
        "Run `claims fix` (it puts the columns in the schema's order), or reorder them as the message lists.",
        effect="none",
    ),
    Code(
        "header-duplicate",
        "error",
        "a column name appears twice in the header",
        "Remove or rename the duplicate column.",
        effect="lost",
    ),
    Code(
        "row-ragged",
        "error",
        "a row has more or fewer cells than the header",
        "Quote cells that contain commas, and check for a missing or extra comma in this row.",
        effect="lost",
    ),
    Code("row-blank", "error", "a blank row", "Delete the empty row (`claims fix` does it).", effect="none"),
    Code(
        "quote-unclosed",
        "error",
        "a quoted cell is never closed",
        "Add the closing double quote; every row after this one was swallowed into this cell.",
        effect="lost",
    ),
    Code(
        "quote-stray",
        "error",
        "a double quote inside an unquoted cell, or text after a closing quote",
        'Put the whole cell in double quotes and double every quote inside it ("").',
        effect="lost",
    ),
    # types and constraints (Table Schema, enforced by pandera)
    Code(
        "type-integer",
        "error",
        "not a whole number",
        "Write digits only, without separators, signs, decimals or exponents: 50000.",
        effect="as-text",
    ),
    Code(
        "type-number",
        "error",
        "not a number",
        "Write ASCII digits with an optional '.' decimal point: 1234.5.",
        effect="as-text",
    ),
    Code(
        "type-date",
        "error",
        "not a YYYY-MM-DD date",
        "Write the date as YYYY-MM-DD with two-digit month and day: 2024-01-05.",
        effect="as-text",
    ),
    Code("constraint-required", "error", "a required cell is empty", "Fill in the cell.", effect="none"),
    Code(
        "constraint-unique",
        "error",
        "a value that must be unique appears more than once",
        "Give each row its own value; IDs are never reused.",
        effect="none",
    ),
    Code(
        "constraint-enum",
        "error",
        "a value outside the allowed list",
        "Use one of the values listed in the message (see docs/data-dictionary.md).",
        effect="none",
    ),
    Code("constraint-minimum", "error", "a value below the minimum", "Check the figure.", effect="none"),
    Code("constraint-maximum", "error", "a value above the maximum", "Check the figure.", effect="none"),
    Code(
        "constraint-pattern",
        "error",
        "a value that does not match the required pattern",
        "Follow the pattern in the message (see docs/data-dictionary.md).",
        effect="none",
    ),
    Code(
        "format-uri",
        "error",
        "a URI field holds text without a scheme",
        "Write the whole address as the document shows it, starting with its scheme (https://...).",
        effect="none",
    ),
    Code(
        "constraint-length",
        "error",
        "text shorter or longer than allowed",
        "Shorten or complete the text.",
        effect="none",
    ),
    # row logic
    Code(
        "bounds-order",
        "error",
        "value_low <= value <= value_high does not hold",
        "Swap or correct the bounds so that value_low <= value <= value_high.",
        effect="none",
    ),
    Code(
        "qualifier-bounds",
        "error",
        "the qualifier disagrees with value and bounds",
        "Apply the qualifier's rule from the data dictionary (e.g. at_least: value_low = value, value_high empty).",
        effect="none",
    ),
    Code("period-order", "error", "period_start is after period_end", "Swap or correct the dates.", effect="none"),
    Code(
        "date-in-future",
        "error",
        "a date after today",
        "Check the date; figures cannot cover the future.",
        effect="none",
    ),
    Code("supersedes-self", "error", "a claim supersedes itself", "Name the earlier claim it replaces.", effect="none"),
    Code(
        "supersedes-status",
        "error",
        "a superseded claim does not have status 'superseded'",
        "Set status to 'superseded' on the claim named in 'supersedes'.",
        effect="none",
    ),
    Code(
        "superseded-orphan",
        "warning",
        "a claim has status 'superseded' but no claim supersedes it",
        "Add the replacing claim with 'supersedes' pointing here, or change the status.",
        effect="none",
    ),
    Code(
        "percent-out-of-range",
        "error",
        "a share above 100 percent",
        "Check the figure; a change of a share in percentage points has the unit percentage_point.",
        effect="none",
    ),
    Code(
        "unit-metric-mismatch",
        "error",
        "the claim's unit differs from its metric's unit",
        "Use the unit of the metric (metrics.csv).",
        effect="none",
    ),
    Code(
        "draft-unfinished",
        "error",
        "a row still carries the DRAFT note of claims extract",
        "Check the figure against the quote, fill the cells the note lists, then delete the DRAFT note "
        "(or delete the row if it is not a figure).",
        effect="none",
    ),
    Code(
        "status-without-reason",
        "warning",
        "a claim is retracted, superseded or disputed without a reason in notes",
        "Say in notes who withdrew, replaced or contested the figure, and when.",
        effect="none",
    ),
    Code(
        "cumulative-decrease",
        "warning",
        "a running total is lower than an earlier one of the same claimant, metric and subject",
        "Check both figures and their periods; if both are right, explain the fall in notes.",
        effect="none",
    ),
    Code(
        "reporters-disagree",
        "warning",
        "two reporters of one claimant's figure give the same day different figures",
        "Open the claimant's report to see which figure it gives; keep both claims (each is what its reporter says).",
        effect="none",
    ),
    Code(
        "metric-comparison-invalid",
        "error",
        "a metric compares with another without saying how they differ, or with itself or another unit",
        "Write in comparison how the two definitions differ, and compare metrics of one unit.",
        effect="none",
    ),
    Code(
        "claims-contradict",
        "warning",
        "claimants disagree: same metric and period, figures that cannot both be true",
        "Nothing to fix if both are reported as they were; consider status 'disputed' and a note.",
        effect="none",
    ),
    # across tables
    Code(
        "foreign-key",
        "error",
        "a reference to a row that does not exist",
        "Add the referenced row to its table first, or correct the ID.",
        effect="none",
    ),
    Code(
        "foreign-key-invalid",
        "error",
        "a foreign key names a resource or field that does not exist",
        "Point the foreign key's reference at a declared resource and its fields.",
        effect="none",
    ),
    Code(
        "seed-missing",
        "error",
        "a source's seed file does not exist",
        "Archive the document's text at seed_path (claims add-source does it).",
        effect="none",
    ),
    Code(
        "seed-hash-mismatch",
        "error",
        "the seed file's SHA-256 differs from seed_sha256",
        "Seeds never change; if the archived text really must change, add a new source.",
        effect="none",
    ),
    Code(
        "source-archive-invalid",
        "error",
        "a source names no archived file, or two",
        "Give a document its seed_path or a dataset its data_path: one archived file per source.",
        effect="none",
    ),
    Code(
        "seed-unreferenced",
        "warning",
        "a file in seeds/ that no source refers to",
        "Add its sources row or delete the file.",
        effect="none",
    ),
    # provenance
    Code(
        "quote-not-in-seed",
        "error",
        "the quote is not in the source's seed text",
        "Copy the quote verbatim from the seed file.",
        effect="none",
    ),
    Code(
        "quote-normalised-match",
        "warning",
        "the quote matches the seed only after normalising quotes, dashes or spaces",
        "Copy the quote verbatim from the seed file (typographic quotes and dashes included).",
        effect="none",
    ),
    Code(
        "anchor-missing",
        "error",
        "a claim has no quote (from a document) or no locator (from a dataset)",
        "Copy the quote verbatim from the document's seed, or give a dataset's figure the JSON Pointer of its place "
        "in the data file (claims import writes both).",
        effect="none",
    ),
    Code(
        "locator-not-found",
        "error",
        "the locator names no value in the source's archived data file",
        "Point the locator at the figure's place in the data file (a JSON Pointer such as /1625/personnel), or "
        "check that source_id names the dataset the figure came from.",
        effect="none",
    ),
    Code(
        "locator-value-mismatch",
        "error",
        "the value at the locator is not the row's value",
        "Write the value the data file holds at the locator; archived files never change, so a figure that changed "
        "upstream is a new claim from the newer file that supersedes this one (claims import does it).",
        effect="none",
    ),
    Code(
        "seed-unreadable",
        "error",
        "an archived data file cannot be read as JSON",
        "Archived files never change: restore the file as published (its recorded SHA-256 tells it), or import the "
        "dataset again.",
        effect="none",
    ),
    Code(
        "wording-not-in-quote",
        "error",
        "the wording is not part of the quote",
        "Copy the number phrase exactly as it appears in the quote.",
        effect="none",
    ),
    Code(
        "wording-unparsed",
        "warning",
        "the wording has no number the toolkit can read",
        "Write the number phrase as it appears (e.g. 'at least 50,000', 'tens of thousands').",
        effect="none",
    ),
    Code(
        "wording-value-mismatch",
        "error",
        "the figure in the wording disagrees with value and bounds",
        "Set value, value_low, value_high and qualifier as the wording reads (see the message).",
        effect="none",
    ),
    # text hygiene
    Code("text-control-char", "error", "a control character in text", "Delete the invisible character.", effect="none"),
    Code(
        "text-invisible-char",
        "error",
        "a zero-width or bidirectional-override character",
        "Delete the invisible character; it can hide or reorder text.",
        effect="none",
    ),
    Code(
        "text-not-nfc",
        "warning",
        "text not in Unicode NFC form",
        "Run `claims fix`: it normalises the text to NFC.",
        effect="none",
    ),
    Code(
        "text-whitespace",
        "error",
        "leading or trailing spaces",
        "Remove the spaces around the text (`claims fix` does it).",
        effect="none",
    ),
    Code(
        "text-formula",
        "error",
        "a text cell a spreadsheet would run as a formula",
        "Reword so the cell does not start with = or @, or with + or - before text (journalists open data/ "
        "in spreadsheets): put a word first, or quote the formula-like text inside a sentence.",
        effect="none",
    ),
    # against a previous release
    Code(
        "claim-id-removed",
        "error",
        "a claim of the previous release is gone",
        "Never delete a claim: set status to retracted or superseded instead.",
        effect="none",
    ),
    Code(
        "claim-id-reused",
        "error",
        "a claim ID now names a different figure",
        "Restore the original row and give the new figure a new claim_id.",
        effect="none",
    ),
    Code(
        "version-not-bumped",
        "error",
        "a change that breaks users' code without a new major version",
        "Set the version in datapackage.json to the next major version, or make the change without breaking.",
        effect="none",
    ),
    Code(
        "against-unreadable",
        "error",
        "the previous release cannot be read",
        "Give a git ref of this repository or a folder holding datapackage.json.",
        effect="none",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}
EFFECTS: dict[str, Effect] = {c.code: c.effect for c in _CODES}
"""Each code's effect on the data as read, stated with the code above: the reading policy
(read/policy.py) decides from it what every command may do with a package."""
