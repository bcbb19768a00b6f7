"""Checks a Table Schema cannot express: the logic of a row, and of running totals across rows.

Each check is one vectorised expression over whole columns that yields the failing rows; the
report turns those into problems. The qualifier rules are the ones core/phrases.bounds() applies.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..compare.reporters import claim_reporters, disagreements
from ..core.arrow import isin, lookup
from ..core.phrases import QUALIFIER_RULES, QualifierRule
from ..problems.report import Report
from .failing_rows import cell_text, report_rows, table_has
from .registry import Context, layer

ROW_LOGIC = layer("row logic", order=40)
VALUES = ("value", "value_low", "value_high")
LIVE = ("reported", "corroborated", "disputed")
DRAFT_MARKER = "DRAFT from claims extract"


@ROW_LOGIC.check("date-in-future")
def check_future_dates(ctx: Context, report: Report) -> None:
    today = ctx.today
    limit = pd.Timestamp(today)
    for table in ctx.package.tables.values():
        for field in table.schema.fields:
            if field.type != "date" or field.name not in table.frame.columns:
                continue
            col = table.frame[field.name]
            report_rows(
                report,
                "date-in-future",
                table,
                (col > limit).fillna(False),
                field.name,
                f"The date is after today ({today.isoformat()}).",
                value_column=field.name,
            )


@ROW_LOGIC.check("bounds-order", "qualifier-bounds")
def check_bounds(ctx: Context, report: Report) -> None:
    claims = ctx.claims
    if not table_has(claims, "value", "value_low", "value_high", "qualifier"):
        return
    f = claims.frame
    v, lo, hi = f["value"], f["value_low"], f["value_high"]
    bad = (lo > v).fillna(False) | (v > hi).fillna(False) | (lo > hi).fillna(False)
    report_rows(
        report,
        "bounds-order",
        claims,
        bad,
        "value",
        lambda r: (
            f"value_low {cell_text(r.value_low)}, value {cell_text(r.value)}, value_high {cell_text(r.value_high)} "
            "are out of order."
        ),
        involved=VALUES,
    )
    q = f["qualifier"]
    ok = pd.Series(True, index=f.index)
    for name, rule in QUALIFIER_RULES.items():
        good = pd.Series(True, index=f.index)
        for part, col in zip((rule.value, rule.low, rule.high), (v, lo, hi), strict=True):
            if part == "":
                good &= col.isna()
            elif part == "set" or col is v:
                good &= col.notna()
            else:  # a bound equal to the stated figure
                good &= (col == v).fillna(False)
        ok &= ~(q == name).fillna(False) | good
    report_rows(
        report,
        "qualifier-bounds",
        claims,
        ~ok & ~bad,
        "qualifier",
        lambda r: (
            f"qualifier {r.qualifier} needs {_rule_text(QUALIFIER_RULES[r.qualifier])}; the row has "
            f"value={cell_text(r.value)}, value_low={cell_text(r.value_low)}, value_high={cell_text(r.value_high)}."
        ),
        value_column="qualifier",
        involved=("qualifier", *VALUES),
    )


def _rule_text(rule: QualifierRule) -> str:
    def say(name: str, part: str) -> str:
        return {"": f"{name} empty", "set": f"{name} set", "n": f"{name} = value"}[part]

    value = "value set" if rule.value == "n" else "value empty"
    return ", ".join([value, say("value_low", rule.low), say("value_high", rule.high)])


@ROW_LOGIC.check("period-order")
def check_period(ctx: Context, report: Report) -> None:
    claims = ctx.claims
    if not table_has(claims, "period_start", "period_end"):
        return
    f = claims.frame
    bad = (f["period_start"] > f["period_end"]).fillna(False)
    report_rows(
        report,
        "period-order",
        claims,
        bad,
        "period_start",
        lambda r: f"period_start {r.period_start:%Y-%m-%d} is after period_end {r.period_end:%Y-%m-%d}.",
        involved=("period_start", "period_end"),
    )


@ROW_LOGIC.check("supersedes-self", "supersedes-status", "superseded-orphan")
def check_supersedes(ctx: Context, report: Report) -> None:
    claims = ctx.claims
    if not table_has(claims, "claim_id", "status", "supersedes"):
        return
    f = claims.frame
    sup = f["supersedes"]
    report_rows(
        report,
        "supersedes-self",
        claims,
        (sup == f["claim_id"]).fillna(False),
        "supersedes",
        "A claim cannot supersede itself.",
        value_column="supersedes",
    )
    target_status = lookup(sup, f["claim_id"], f["status"])
    bad = sup.notna() & target_status.notna() & (target_status != "superseded") & (sup != f["claim_id"])
    report_rows(
        report,
        "supersedes-status",
        claims,
        bad.fillna(False),
        "supersedes",
        lambda r: f"This claim supersedes {r.supersedes}, whose status is {r.target_status!r}, not 'superseded'.",
        value_column="supersedes",
        extra={"target_status": target_status},
    )
    orphan = (f["status"] == "superseded").fillna(False) & ~isin(f["claim_id"], sup)
    report_rows(
        report,
        "superseded-orphan",
        claims,
        orphan,
        "status",
        "Status is 'superseded' but no claim names this one in supersedes.",
        value_column="claim_id",
    )


@ROW_LOGIC.check("status-without-reason")
def check_status_reason(ctx: Context, report: Report) -> None:
    claims = ctx.claims
    if not table_has(claims, "status", "notes"):
        return
    f = claims.frame
    bad = f["status"].isin(("retracted", "superseded", "disputed")).fillna(False) & f["notes"].isna()
    report_rows(
        report,
        "status-without-reason",
        claims,
        bad.to_numpy(),
        "notes",
        lambda r: f"Status is {r.status!r} but notes do not say why.",
        value_column="status",
    )


@ROW_LOGIC.check("draft-unfinished")
def check_drafts(ctx: Context, report: Report) -> None:
    """A drafted row whose note still says DRAFT has not been checked by a person yet."""
    claims = ctx.claims
    if not table_has(claims, "notes"):
        return
    notes = claims.frame["notes"]
    marked = notes.str.contains(DRAFT_MARKER, regex=False).fillna(False).to_numpy(dtype=bool)
    report_rows(
        report,
        "draft-unfinished",
        claims,
        marked,
        "notes",
        "The row is still a draft of claims extract: its figure has not been checked by a person.",
        value_column="notes",
    )


def _bounds(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The interval a claim allows, from its bounds; an empty bound is an open end."""
    low = f["value_low"].astype("float64").fillna(-np.inf)
    high = f["value_high"].astype("float64").fillna(np.inf)
    return low, high


def _stated_bounds(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """For a running total: the bounds, or the stated value where a figure states one and sets no
    bound ("about 1,456,610"). A series of approximate figures that falls is as worth a look as a
    series of exact ones; only the rule for running totals reads them so (two claimants' "about"
    figures do not contradict each other)."""
    low, high = _bounds(f)
    stated = f["value"].astype("float64")
    only_value = (f["value_low"].isna() & f["value_high"].isna() & stated.notna()).to_numpy()
    return low.mask(only_value, stated), high.mask(only_value, stated)


def _metrics_that_fall(ctx: Context) -> list[str]:
    """Metrics whose running totals may fall by their nature (metrics.falls says why): a count of
    items in one status, which leave it when the counter reclassifies them. Warning of each fall
    would bury the falls worth a look under thousands that are not."""
    metrics = ctx.package.tables.get("metrics")
    if not table_has(metrics, "metric_id", "falls"):
        return []
    f = metrics.frame
    return f.loc[f["falls"].notna().to_numpy(), "metric_id"].dropna().astype(str).tolist()


@ROW_LOGIC.check("cumulative-decrease")
def check_cumulative(ctx: Context, report: Report) -> None:
    """A running total of one claimant, metric and subject should not fall as its period_end advances."""
    claims = ctx.claims
    need = ("claimant_id", "metric_id", "subject", "count_type", "period_end", "status", *VALUES)
    if not table_has(claims, *need):
        return
    f = claims.frame
    use = ((f["count_type"] == "cumulative") & f["period_end"].notna() & f["status"].isin(LIVE)).fillna(False)
    use &= pd.Series(claims.typed_ok(*VALUES, "period_end"), index=f.index)
    use &= ~f["metric_id"].isin(_metrics_that_fall(ctx)).fillna(False)
    if use.sum() < 2:
        return
    # a running total is one claimant's count of one metric and subject (a series per model, say)
    # as one reporter transcribes it: two compilations of one claimant's reports are two running
    # totals, whose disagreements reporters-disagree names (a figure one gives a day above the
    # other's is no fall)
    keys = ["claimant_id", "metric_id", "subject", "reporter", "period_end"]
    sub = f.loc[use.to_numpy(), [k for k in keys if k != "reporter"] + list(VALUES)]
    sub = sub.assign(subject=sub["subject"].fillna(""), reporter=reporters(ctx)[use.to_numpy()])
    low, high = _stated_bounds(sub)
    # the highest lower bound on each date, then the highest of all strictly earlier dates, and
    # the date it was reached (for the claimant's own corrections since then)
    total = [0, 1, 2, 3]
    per_date = low.groupby([sub[k] for k in keys]).max()
    running = per_date.groupby(level=total).cummax()
    earlier = running.groupby(level=total).shift(1)
    reached = pd.Series(per_date.index.get_level_values(4), index=per_date.index).where(per_date >= running)
    since = reached.groupby(level=total).ffill().groupby(level=total).shift(1)
    at = pd.MultiIndex.from_frame(sub[keys])
    fell = high.to_numpy() < earlier.reindex(at).to_numpy()
    mask = np.zeros(len(f), dtype=bool)
    mask[f.index.get_indexer(sub.index[fell])] = True
    since_col = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ms]")
    since_col.iloc[np.flatnonzero(mask)] = since.reindex(at).to_numpy()[fell]
    corrections = _lowering_corrections(ctx)
    # a claimant's total given by two reporters is named with its reporter: the fall is in one
    # compilation's figures, which the other's may not share
    several = sub.groupby(["claimant_id", "metric_id"])["reporter"].transform("nunique") > 1
    named = pd.Series("", index=f.index, dtype=object)
    named.loc[sub.index[several.to_numpy()]] = sub["reporter"][several]
    report_rows(
        report,
        "cumulative-decrease",
        claims,
        mask,
        "value",
        lambda r: _fall_message(r, corrections),
        value_column="wording",
        hint=lambda r: (
            "Nothing to fix if both figures are as reported: the claimant lowered its own earlier total "
            "(data/series_corrections.csv)."
            if _explained(r, corrections)
            else "Nothing to fix if the claim's notes still say why; else check both figures."
            if isinstance(r.get("notes"), str) and _beyond_reference(r.get("notes"))
            else "Check both figures and their periods (and the report's address in the notes); if both are as "
            "reported, explain the fall in notes."
            if r.get("reporter")
            else "Check both figures and their periods; if both are right, explain the fall in notes."
        ),
        extra={"since": since_col, "reporter": named},
    )


def _lowering_corrections(ctx: Context) -> dict[tuple[str, str], list[tuple[pd.Timestamp, float]]]:
    """The changes a claimant made to its own running totals that lowered them, per (claimant, metric)."""
    table = ctx.package.tables.get("series_corrections")
    out: dict[tuple[str, str], list[tuple[pd.Timestamp, float]]] = {}
    if not table_has(table, "claimant_id", "metric_id", "date", "value"):
        return out
    c = table.frame
    shown = c["effective"].fillna(c["date"]) if "effective" in c.columns else c["date"]  # the day it shows in
    lowering = c.assign(shown=shown)[(c["value"] < 0).fillna(False) & shown.notna()]
    for claimant, metric, date, value in lowering[["claimant_id", "metric_id", "shown", "value"]].itertuples(
        index=False
    ):
        out.setdefault((claimant, metric), []).append((date, value))
    return out


def _explained(row: pd.Series, corrections: dict) -> list[tuple[pd.Timestamp, float]]:
    """The claimant's corrections that lowered this total after its earlier, higher figure."""
    since = row.since if not pd.isna(row.since) else pd.Timestamp.min
    return [(d, v) for d, v in corrections.get((row.claimant_id, row.metric_id), []) if since <= d <= row.period_end]


def _fall_message(row: pd.Series, corrections: dict) -> str:
    given = f", as {row.reporter} gives it" if row.get("reporter") else ""
    to = f"to {row.period_end:%Y-%m-%d}{given}"
    base = f"This running total of {row.metric_id} by {row.claimant_id} ({to}) is lower than"
    earlier = f"their figure of {row.since:%Y-%m-%d}" if not pd.isna(row.since) else "an earlier one of theirs"
    found = _explained(row, corrections)
    if not found:
        notes = row.get("notes") if isinstance(row.get("notes"), str) else ""
        noted = "; the claim's notes say what is known of it" if _beyond_reference(notes) else ""
        return f"{base} {earlier}, and no correction of theirs in series_corrections explains it{noted}."
    named = "; ".join(f"{v:+g} on {d:%Y-%m-%d}" for d, v in found)
    return f"{base} {earlier}: they corrected their earlier total ({named}; series_corrections)."


REFERENCE_NOTE = "Reference given by the compiler: "  # an imported figure's report address, in its notes


def _beyond_reference(notes: str) -> bool:
    """Whether notes say more than the report's address the compiler gave."""
    return bool(re.sub(re.escape(REFERENCE_NOTE) + r"\S+", "", notes).strip())


def reporters(ctx: Context) -> np.ndarray:
    """Per claim, who transcribed it when it was read from an archived dataset (compare/reporters)."""
    sources = ctx.package.tables.get("sources")
    if not table_has(sources, "source_id", "data_path"):
        return np.full(len(ctx.claims.frame), "", dtype=object)
    return claim_reporters(ctx.claims.frame, sources.frame)


@ROW_LOGIC.check("reporters-disagree")
def check_reporters(ctx: Context, report: Report) -> None:
    """Two compilations of one claimant's reports (the General Staff's daily figures, as two public
    datasets transcribe them) give one day of one metric and subject different figures: each such
    day is said once, at the other reporter's claim, with both claims and where each sits in its
    archived file. Which figure the report supports cannot be checked offline (it needs the report
    itself): both claims are kept."""
    claims, sources = ctx.claims, ctx.package.tables.get("sources")
    need = ("claim_id", "source_id", "claimant_id", "metric_id", "subject", "period_end", "status", *VALUES)
    if not table_has(claims, *need) or not table_has(sources, "source_id", "data_path"):
        return
    found = disagreements(claims.frame, sources.frame, claims.typed_ok(*VALUES, "period_end"))
    if found.empty:
        return
    f = claims.frame
    said: dict[str, str] = {}
    for r in found.itertuples():  # a hundred days, not the hot path
        said[str(r.other_claim_id)] = (
            f"The reporters of {r.claimant_id}'s figure of {r.metric_id} for this day disagree: {r.claim_id} "
            f"({r.reporter}, {r.locator or 'no locator'}) gives {_number(r.value)}; {r.other_claim_id} "
            f"({r.other_reporter}, {r.other_locator or 'no locator'}) gives {_number(r.other_value)}. Which one the "
            "claimant's report supports cannot be checked offline; both claims are kept."
        )
    mask = f["claim_id"].astype(str).isin(said).to_numpy()
    report_rows(
        report,
        "reporters-disagree",
        claims,
        mask,
        "value",
        lambda r: said.get(str(r.claim_id), "The reporters of this figure disagree."),
        value_column="wording",
        hint=lambda _r: (
            "Open the claimant's report (the address in the claims' notes) to see which figure it gives; "
            "if one reporter is wrong, tell its compiler. Nothing in data/ is to change."
        ),
    )


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


@ROW_LOGIC.check("claims-contradict")
def check_contradictions(ctx: Context, report: Report) -> None:
    """Different claimants, same metric, subject and period, figures that cannot both be true (the
    killed of Russia's forces and of Ukraine's are one metric, two subjects: they never clash)."""
    claims = ctx.claims
    need = ("claimant_id", "metric_id", "subject", "period_start", "period_end", "status", *VALUES)
    if not table_has(claims, *need):
        return
    f = claims.frame
    use = (f["period_start"].notna() & f["period_end"].notna() & f["status"].isin(LIVE)).fillna(False).to_numpy()
    use = use & claims.typed_ok(*VALUES, "period_start", "period_end")
    if use.sum() < 2:
        return
    sub = f.loc[use, ["claimant_id", "metric_id", "subject", "period_start", "period_end", *VALUES]]
    low, high = _bounds(sub)
    keys = [sub["metric_id"], sub["subject"].fillna(""), sub["period_start"], sub["period_end"]]
    top_low = low.groupby(keys).transform("max")
    bottom_high = high.groupby(keys).transform("min")
    clash = top_low > bottom_high
    # the claims that hold the extremes of a clashing group, when their claimants differ
    owner_of_top = sub["claimant_id"].where(low == top_low).groupby(keys).transform("first")
    owner_of_bottom = sub["claimant_id"].where(high == bottom_high).groupby(keys).transform("first")
    involved = clash & (owner_of_top != owner_of_bottom) & ((low == top_low) | (high == bottom_high))
    mask = np.zeros(len(f), dtype=bool)
    mask[np.flatnonzero(use)[involved.to_numpy()]] = True
    report_rows(
        report,
        "claims-contradict",
        claims,
        mask,
        "value",
        lambda r: (
            f"Another claimant's figure for {r.metric_id} of the same subject over the same period does not "
            "overlap with this one."
        ),
        value_column="wording",
    )


@ROW_LOGIC.check("percent-out-of-range")
def check_percent(ctx: Context, report: Report) -> None:
    """A share is at most 100 percent (a change of a share, in percentage points, may be more)."""
    claims = ctx.claims
    if not table_has(claims, "unit", *VALUES):
        return
    f = claims.frame
    share = (f["unit"] == "percent").fillna(False).to_numpy(dtype=bool)
    over = np.zeros(len(f), dtype=bool)
    for column in VALUES:
        over |= (f[column] > 100).fillna(False).to_numpy(dtype=bool)
    report_rows(
        report,
        "percent-out-of-range",
        claims,
        share & over,
        "value",
        lambda r: (
            f"A share cannot exceed 100 percent: value {cell_text(r.value)}, value_low {cell_text(r.value_low)}, "
            f"value_high {cell_text(r.value_high)}."
        ),
        involved=("unit", *VALUES),
    )


@ROW_LOGIC.check("unit-metric-mismatch")
def check_units(ctx: Context, report: Report) -> None:
    claims, metrics = ctx.claims, ctx.package.tables.get("metrics")
    if not (table_has(claims, "metric_id", "unit") and table_has(metrics, "metric_id", "unit")):
        return
    expected = lookup(claims.frame["metric_id"], metrics.frame["metric_id"], metrics.frame["unit"])
    bad = expected.notna() & claims.frame["unit"].notna() & (expected != claims.frame["unit"])
    report_rows(
        report,
        "unit-metric-mismatch",
        claims,
        bad.fillna(False),
        "unit",
        lambda r: f"Metric {r.metric_id} is counted in {r.expected_unit!r}, not {r.unit!r}.",
        value_column="unit",
        extra={"expected_unit": expected},
    )


@ROW_LOGIC.check("metric-comparison-invalid")
def check_metric_comparisons(ctx: Context, report: Report) -> None:
    """A relation between metrics is read by journalists as "these two can be put side by side":
    it must say how the definitions differ, and join two metrics of one unit, not a metric to itself.
    (A compares_with naming no metric is a foreign-key problem.)"""
    metrics = ctx.package.tables.get("metrics")
    if not table_has(metrics, "metric_id", "unit", "compares_with", "comparison"):
        return
    f = metrics.frame
    other_unit = lookup(f["compares_with"], f["metric_id"], f["unit"])
    related = f["compares_with"].notna()
    itself = related & (f["compares_with"] == f["metric_id"])
    unexplained = related & f["comparison"].isna()
    units = related & other_unit.notna() & (other_unit != f["unit"])
    report_rows(
        report,
        "metric-comparison-invalid",
        metrics,
        (itself | unexplained | units).fillna(False),
        "compares_with",
        lambda r: (
            f"{r.metric_id} compares with itself."
            if r.compares_with == r.metric_id
            else f"{r.metric_id} counts in {r.unit!r}, {r.compares_with} in {r.other_unit!r}: figures of two units "
            "cannot be read side by side."
            if isinstance(r.other_unit, str) and r.other_unit != r.unit
            else f"{r.metric_id} compares with {r.compares_with}, but comparison does not say how they differ."
        ),
        value_column="compares_with",
        extra={"other_unit": other_unit},
    )
