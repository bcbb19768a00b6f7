"""extract_drafts: candidate claims rows from a source's seed, numbers filled, judgement left open.

Every number phrase that core/phrases.py can read becomes a draft row with its sentence as the quote
(verbatim from the seed, so the provenance checks pass), the phrase as wording, and qualifier,
value and bounds by the dataset's rules. What needs a person (who claimed it, what it counts, who
is counted, its unit, count type and period) is left empty and listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..check.row_logic import DRAFT_MARKER
from ..core.files import appended
from ..core.ids import next_number
from ..core.package_lock import Notify, package_lock
from ..core.paths import find_descriptor, regular_file_inside
from ..core.phrases import Found, find_phrases
from ..core.transaction import commit_files
from ..errors import UsageError
from ..read.policy import read_folder

JUDGEMENT = ("claimant_id", "metric_id", "subject", "unit", "count_type", "period_start", "period_end")
# a sentence ends at . ! ? or a line break, but never at the point of a number (88.4, 1.5 million)
_SENTENCE = re.compile(r"(?:[^\n.!?]|(?<=[0-9])\.(?=[0-9]))+(?:[.!?]+[\"\u201d\u2019)]*|(?=\n)|$)")


@dataclass
class Drafts:
    source_id: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    left_open: tuple[str, ...] = JUDGEMENT
    skipped: int = 0  # figures the source's existing claims already record
    existing: list[str] = field(default_factory=list)  # claim IDs the source has already
    held_back: bool = False  # the source has claims and --again was not given: nothing drafted
    claims_file: Path | None = None  # the claims table the drafts belong in (found from any subfolder)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, trimmed of surrounding space."""
    spans = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0)
        start = m.start() + len(chunk) - len(chunk.lstrip())
        end = m.end() - (len(chunk) - len(chunk.rstrip()))
        if end > start:
            spans.append((start, end))
    return spans


def extract_drafts(root: Path, source_id: str, again: bool = False) -> Drafts:
    """Draft rows for the figures of a source.

    A source that has claims already gets no drafts unless `again` is set: the contributor may
    have deleted drafts that were not figures, and extracting again must not bring them back.
    With `again`, only figures no claim of the source records are drafted.
    """
    package = read_folder(root)
    if not {"claims", "sources"} <= set(package.tables):
        raise UsageError(f"{root} has no readable claims and sources tables; run `claims validate`")
    sources = package.tables["sources"].frame
    match = sources[sources["source_id"] == source_id]
    if match.empty:
        known = ", ".join(sources["source_id"].dropna().tolist()[-5:])
        raise UsageError(f"no source {source_id!r} (latest: {known}); add it with `claims add-source`")
    seed_path = match["seed_path"].iloc[0]
    if pd.isna(seed_path):
        raise UsageError(
            f"{source_id} has no seed text (seed_path is empty: a dataset, whose figures `claims import` takes, "
            "or a source row to complete); claims extract drafts figures from a document's text"
        )
    seed = regular_file_inside(package.root, str(seed_path))
    try:
        text = seed.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the seed {seed}: {exc}") from exc
    header = package.schemas["claims"].names
    drafts = Drafts(source_id, header, claims_file=package.root / package.tables["claims"].file)
    number = next_number(package.tables["claims"].frame["claim_id"], "C")
    claims = package.tables["claims"].frame
    mine = claims[claims["source_id"] == source_id]
    drafts.existing = mine["claim_id"].dropna().tolist()
    if len(mine) and not again:
        drafts.held_back = True
        return drafts
    existing = list(zip(mine["wording"].fillna(""), mine["quote"].fillna(""), strict=True))
    seen: dict[tuple, str] = {}  # figure -> the first claim (existing or drafted) that states it
    for row in mine.itertuples():
        value = None if pd.isna(row.value) else float(row.value)
        low = None if value is not None or pd.isna(row.value_low) else float(row.value_low)
        high = None if value is not None or pd.isna(row.value_high) else float(row.value_high)
        seen.setdefault((value, low, high), row.claim_id)
    for start, end in sentences(text):
        quote = text[start:end]
        found: list[Found] = find_phrases(quote)
        for item in found:
            if any(w == item.phrase and (q in quote or quote in q) for w, q in existing):
                drafts.skipped += 1  # claimed already: running extract twice adds nothing
                continue
            p = item.parsed
            figure = tuple(
                None if x is None else float(x)
                for x in (p.value, p.low if p.value is None else None, p.high if p.value is None else None)
            )
            note = f"{DRAFT_MARKER}: check the figure and fill " + ", ".join(JUDGEMENT) + "."
            if figure in seen:
                note += f" Same figure as {seen[figure]}: delete one if both report one claim."
            seen.setdefault(figure, f"C{number:04d}")
            values = {
                "claim_id": f"C{number:04d}",
                "source_id": source_id,
                "wording": item.phrase,
                "qualifier": p.qualifier,
                "value": "" if p.value is None else str(p.value),
                "value_low": "" if p.low is None else str(p.low),
                "value_high": "" if p.high is None else str(p.high),
                "unit": p.unit or "",
                "quote": quote,
                "status": "reported",
                "notes": note,
            }
            drafts.rows.append([values.get(column, "") for column in header])
            number += 1
    return drafts


def append_drafts(
    root: Path, source_id: str, again: bool = False, *, wait: float = 0.0, notify: Notify | None = None
) -> Drafts:
    """Draft the source's figures and append them to the claims table, under the package's write
    lock: the IDs are minted from the table as it is when they are written, so two contributors'
    appends never mint one ID twice."""
    root = find_descriptor(Path(root)).parent
    with package_lock(root, command=f"extract {source_id} --append", wait=wait, notify=notify):
        drafts = extract_drafts(root, source_id, again)
        if drafts.rows and drafts.claims_file is not None:
            rel = drafts.claims_file.relative_to(root).as_posix()
            commit_files(root, {rel: appended(drafts.claims_file, drafts.rows)})
        return drafts
