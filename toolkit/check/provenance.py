"""Provenance: every source has its archived text, and every quote is in it.

A figure is only as good as the sentence it came from. These checks tie each claim to the exact
bytes of its seed (SHA-256), the quote to the seed's text, and the wording (the number phrase)
to the quote and to value/bounds, through the same parser that extraction uses (core/phrases.py).

The substring tests run as numpy ufuncs over object arrays (operator.contains applied
element-wise in C): pyarrow and pandas have no kernel that tests one column's strings against
another's, and a Python loop per row would dominate a million-row run.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core.arrow import arrow_strings, isin, strings_at
from ..core.phrases import HIGH_IS_FIGURE, LOW_IS_FIGURE, QUALIFIER_WORDS, parse_phrase
from ..core.text import normalise
from ..problems.report import Report
from ..read.model import Table
from .failing_rows import cell_text, report_rows, table_has
from .registry import Context, layer

PROVENANCE = layer("provenance", order=60)

_contains = np.frompyfunc(operator.contains, 2, 1)

CHUNK = 50_000


def contains_rows(haystacks: Callable[[np.ndarray], np.ndarray], needles: pd.Series, idx: np.ndarray) -> np.ndarray:
    """needle in haystack for the rows idx, turning text into Python strings a chunk at a time
    (a million quotes at once would cost hundreds of megabytes)."""
    out = np.zeros(len(idx), dtype=bool)
    column = arrow_strings(needles)
    for start in range(0, len(idx), CHUNK):
        part = idx[start : start + CHUNK]
        found = _contains(haystacks(part), strings_at(column, part))
        out[start : start + CHUNK] = found.astype(bool)
    return out


SOURCE_BATCH = 1000


def _read_seed(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


@PROVENANCE.check("anchor-missing")
def check_anchors(ctx: Context, report: Report) -> None:
    """A figure from a document is anchored by its quote, one from a dataset by its locator."""
    claims, sources = ctx.claims, ctx.package.tables.get("sources")
    if not table_has(claims, "source_id", "quote", "locator") or not table_has(sources, "source_id"):
        return
    s = sources.frame
    datasets = s.loc[s["data_path"].notna(), "source_id"] if "data_path" in s.columns else s["source_id"].iloc[:0]
    documents = s.loc[s["seed_path"].notna(), "source_id"] if "seed_path" in s.columns else s["source_id"].iloc[:0]
    f = claims.frame
    from_dataset = isin(f["source_id"], datasets).to_numpy()
    from_document = isin(f["source_id"], documents).to_numpy() & ~from_dataset
    report_rows(
        report,
        "anchor-missing",
        claims,
        from_document & f["quote"].isna().to_numpy(),
        "quote",
        lambda r: f"{r.source_id} is a document, and the claim has no quote from it.",
        value_column="source_id",
    )
    report_rows(
        report,
        "anchor-missing",
        claims,
        from_dataset & f["locator"].isna().to_numpy(),
        "locator",
        lambda r: f"{r.source_id} is a dataset, and the claim has no locator of its figure in the data file.",
        value_column="source_id",
    )


@PROVENANCE.check("quote-not-in-seed", "quote-normalised-match")
def check_quotes_in_seeds(ctx: Context, report: Report) -> None:
    if ctx.claims is not None:
        check_quotes(report, ctx.claims, ctx.package.seeds.texts)


def check_quotes(report: Report, claims: Table, seeds: dict[str, Path]) -> None:
    """Each quote must be in its seed: an exact substring search, then a normalised one for the
    misses, to tell a typographic difference from an absent quote.

    Claims are grouped by source and the seeds read a batch of sources at a time, so only a
    thousand seed texts are ever in memory, however large the package.
    """
    if not {"source_id", "quote"} <= set(claims.frame.columns) or not seeds:
        return
    f = claims.frame
    ids = list(seeds)
    seed_no = pc.index_in(arrow_strings(f["source_id"]), value_set=pa.array(ids, pa.large_string()))
    seed_no = np.asarray(pc.fill_null(seed_no, -1).to_numpy(zero_copy_only=False))
    idx = np.flatnonzero((seed_no >= 0) & f["quote"].notna().to_numpy())
    order = idx[np.argsort(seed_no[idx], kind="stable")]
    cuts = np.searchsorted(seed_no[order], np.arange(0, len(ids) + SOURCE_BATCH, SOURCE_BATCH))
    quotes = arrow_strings(f["quote"])
    absent = np.zeros(len(f), dtype=bool)
    typographic = np.zeros(len(f), dtype=bool)
    for batch, (lo, hi) in enumerate(itertools.pairwise(cuts)):
        rows = order[lo:hi]
        if not len(rows):
            continue
        first = batch * SOURCE_BATCH
        texts = np.empty(min(SOURCE_BATCH, len(ids) - first), dtype=object)
        texts[:] = [_read_seed(seeds[ids[j]]) for j in range(first, first + len(texts))]
        hit = contains_rows(lambda part, texts=texts, first=first: texts[seed_no[part] - first], f["quote"], rows)
        misses = rows[~hit]  # misses only: tell typography from absence
        for i, quote in zip(misses, strings_at(quotes, misses), strict=True):
            near = normalise(quote) in normalise(texts[seed_no[i] - first])
            (typographic if near else absent)[i] = True
    report_rows(
        report,
        "quote-normalised-match",
        claims,
        typographic,
        "quote",
        lambda r: f"The quote matches {r.source_id}'s seed only after normalising quotes, dashes or spaces.",
        value_column="quote",
    )
    report_rows(
        report,
        "quote-not-in-seed",
        claims,
        absent,
        "quote",
        lambda r: f"The quote is not in the seed of {r.source_id}.",
        value_column="quote",
    )


_DIGIT_WORDING = re.compile(
    r"^(?:(?P<qual>"
    + "|".join(re.escape(k) for k in sorted(QUALIFIER_WORDS, key=len, reverse=True))
    + r") )?(?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$"
)


def parse_wordings(wording: pd.Series) -> pd.DataFrame:
    """qualifier/value/low/high for each wording, vectorised for the common digit forms.

    'at least 50,000' and '1200' are read by one RE2 pass over the column; only the rest
    ('tens of thousands', 'over one million') goes through core/phrases.parse_phrase, once per
    distinct phrase.
    """
    arr = pc.utf8_lower(arrow_strings(wording))
    parts = pc.extract_regex(arr, _DIGIT_WORDING.pattern)
    matched = np.asarray(pc.is_valid(parts).to_numpy(zero_copy_only=False), dtype=bool)
    qual_words = pa.array(list(QUALIFIER_WORDS), pa.string())
    qual_names = pa.array(list(QUALIFIER_WORDS.values()), pa.string())
    qual_text = pc.struct_field(parts, "qual")
    qualifier = pc.take(qual_names, pc.index_in(qual_text, value_set=qual_words))
    qualifier = pc.if_else(pc.equal(qual_text, ""), "exact", qualifier)
    num = pc.cast(pc.replace_substring(pc.struct_field(parts, "num"), ",", ""), pa.float64())
    null = pa.scalar(None, pa.float64())
    bounded_low = pc.is_in(qualifier, value_set=pa.array(LOW_IS_FIGURE))
    bounded_high = pc.is_in(qualifier, value_set=pa.array(HIGH_IS_FIGURE))
    out = pa.table(
        {
            "qualifier": qualifier,
            "value": num,
            "low": pc.if_else(bounded_low, num, null),
            "high": pc.if_else(bounded_high, num, null),
        }
    ).to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)
    out.index = wording.index
    out["parsed"] = matched
    rest = np.flatnonzero(~matched & wording.notna().to_numpy())
    if len(rest):
        phrases = wording.iloc[rest]
        parsed = {p: parse_phrase(p) for p in phrases.unique()}
        labels = out.index[rest]
        for col, attr in (("qualifier", "qualifier"), ("value", "value"), ("low", "low"), ("high", "high")):
            values = [getattr(parsed[p], attr) if parsed[p] else None for p in phrases]
            out.loc[labels, col] = pd.array(values, dtype=out[col].dtype)
        out.loc[labels, "parsed"] = [parsed[p] is not None for p in phrases]
    return out


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Elementwise a == b with two missing values equal, in arrow (pandas would box strings)."""
    x, y = pa.array(a, from_pandas=True), pa.array(b, from_pandas=True)
    if x.type != y.type:
        y = y.cast(x.type)
    equal = pc.fill_null(pc.equal(x, y), False)
    both_missing = pc.and_(pc.is_null(x), pc.is_null(y))
    return np.asarray(pc.or_(equal, both_missing).to_numpy(zero_copy_only=False), dtype=bool)


@PROVENANCE.check("wording-not-in-quote", "wording-unparsed", "wording-value-mismatch")
def check_wordings(ctx: Context, report: Report) -> None:
    if ctx.claims is not None:
        check_wording(report, ctx.claims, ctx.wordings.result() if ctx.wordings is not None else None)


def check_wording(report: Report, claims: Table, parsed: pd.DataFrame | None = None) -> None:
    """The wording is in the quote and reads as the row's numbers.

    parsed is parse_wordings() of the wording column when the caller computed it already (in
    a second thread: it is mostly pyarrow regex work, which can overlap the quote search).
    """
    f = claims.frame
    if not {"wording", "quote", "qualifier", "value", "value_low", "value_high"} <= set(f.columns):
        return
    idx = np.flatnonzero((f["wording"].notna() & f["quote"].notna()).to_numpy())
    inside = np.ones(len(f), dtype=bool)
    quotes = arrow_strings(f["quote"])
    inside[idx] = contains_rows(lambda part: strings_at(quotes, part), f["wording"], idx)
    report_rows(
        report,
        "wording-not-in-quote",
        claims,
        ~inside,
        "wording",
        lambda r: f"{r.wording!r} does not appear in the quote.",
        value_column="wording",
    )
    if parsed is None:
        parsed = parse_wordings(f["wording"])
    ok = parsed["parsed"].to_numpy(dtype=bool)
    report_rows(
        report,
        "wording-unparsed",
        claims,
        f["wording"].notna().to_numpy() & ~ok,
        "wording",
        lambda r: f"No number can be read from {r.wording!r}.",
        value_column="wording",
    )
    same = np.ones(len(f), dtype=bool)
    for mine, theirs in (("qualifier", "qualifier"), ("value", "value"), ("value_low", "low"), ("value_high", "high")):
        same &= _same(f[mine], parsed[theirs])
    report_rows(
        report,
        "wording-value-mismatch",
        claims,
        ok & ~same,
        "wording",
        lambda r: _mismatch_message(r, parsed.loc[r.name]),
        value_column="wording",
        involved=("qualifier", "value", "value_low", "value_high"),
    )


def _mismatch_message(row: pd.Series, p: pd.Series) -> str:
    return (
        f"{row.wording!r} reads as qualifier={p.qualifier}, value={cell_text(p.value)}, "
        f"value_low={cell_text(p.low)}, value_high={cell_text(p.high)}; "
        f"the row has qualifier={cell_text(row.qualifier)}, value={cell_text(row.value)}, "
        f"value_low={cell_text(row.value_low)}, value_high={cell_text(row.value_high)}."
    )
