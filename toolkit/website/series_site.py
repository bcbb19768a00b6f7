"""Series on the site: the figures read from archived data files, shown a series and a year a page.

A series is one claimant's figures of one metric from one upstream (the folder of seeds/ its data
files are archived in): the General Staff's tanks, Oryx's tank models. Nobody reads the page of
"tanks, 2023-05-17" alone: a journalist reads a series as a line and a table and cites a figure
by its ID. So a series claim has no page of its own; its row on its series' page for its year
carries the claim ID as an anchor (`series/<series>-<year>.html#C12345`), which shows it without
JavaScript. Claims with a quote keep their page (`claim/<id>.html`).

`addresses` maps every claim ID to the address that shows it; the lookup file (`claim/lookup.js`)
carries the same map for the search box, `claim/?id=` and the 404 page that takes a link to an
old per-claim page of a series figure to its row. The lookup is compact: the list of pages, then
for each page its claims' numbers as differences (C0007, C0020, C0033 is 7, 13, 13), since the IDs
of a series interleave with the other series of its days.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LOOKUP = "claim/lookup.js"
ID_NUMBER = re.compile(r"C([0-9]+)")


@dataclass(kw_only=True)
class SeriesGroup:
    """One series: where it is, what it counts, its claims (positions in the claims frame)."""

    key: str  # <upstream>__<metric>__<claimant>: a file name without dots
    upstream: str
    metric_id: str
    metric_label: str
    claimant_id: str
    claimant_name: str
    rows: list[int]  # positions in the claims frame, newest day first, then claim ID
    years: list[str] = field(default_factory=list)  # newest first
    first_day: str = ""
    last_day: str = ""
    itemised: bool = False  # several figures a day (a model each): the table shows each one's subject
    sources: list[str] = field(default_factory=list)

    def page(self, year: str) -> str:
        return f"series/{self.key}-{year}.html"

    @property
    def files(self) -> str:
        return f"series/{self.key}"


def upstream_of(data_path: str) -> str:
    """seeds/<upstream>/<commit>/... -> <upstream>; "" for a path that is not there."""
    parts = data_path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "seeds" else ""


def series_groups(claims: pd.DataFrame, sources: pd.DataFrame) -> list[SeriesGroup]:
    """The series of the claims (model.claim_records, text): every claim with a locator belongs
    to one, by its source's upstream folder, its metric and its claimant."""
    located = claims[claims["locator"] != ""] if "locator" in claims.columns else claims.iloc[0:0]
    if located.empty:
        return []
    upstream = dict(
        zip(sources["source_id"], sources.get("data_path", pd.Series("", index=sources.index)), strict=True)
    )
    needed = ["claim_id", "period_end", "metric_id", "metric_label", "claimant_id", "claimant_name", "source_id"]
    located = located[needed]  # the groups' sorts move these columns, not the forty of a claim
    frame = located.assign(upstream=located["source_id"].map(lambda s: upstream_of(str(upstream.get(s, "")))))
    frame = frame.assign(position=range(len(frame)), row=located.index)
    out = []
    for (up, metric, claimant), part in frame.groupby(["upstream", "metric_id", "claimant_id"], sort=True):
        part = part.sort_values(["period_end", "claim_id"], ascending=[False, True], kind="stable")
        days = part["period_end"][part["period_end"] != ""]
        years = sorted(set(days.str.slice(0, 4).tolist()), reverse=True) or ["undated"]
        out.append(
            SeriesGroup(
                key=f"{up or 'data'}__{metric}__{claimant}",
                upstream=str(up),
                metric_id=str(metric),
                metric_label=str(part["metric_label"].iloc[0] or metric),
                claimant_id=str(claimant),
                claimant_name=str(part["claimant_name"].iloc[0] or claimant),
                rows=[int(r) for r in part["row"]],
                years=years,
                first_day=days.min() if len(days) else "",
                last_day=days.max() if len(days) else "",
                itemised=bool(days.duplicated().any()),
                sources=sorted(part["source_id"].unique()),
            )
        )
    return out


def year_of(day: str) -> str:
    return day[:4] if day else "undated"


def addresses(claims: pd.DataFrame, groups: list[SeriesGroup]) -> dict[str, str]:
    """Every claim ID -> the address (from the site's root) of the page that shows it."""
    out = {cid: f"claim/{cid}.html" for cid in claims["claim_id"].tolist()}
    ids, ends = claims["claim_id"].to_numpy(), claims["period_end"].to_numpy()
    for group in groups:
        for row in group.rows:
            cid = ids[row]
            out[cid] = f"{group.page(year_of(ends[row]))}#{cid}"
    return out


def lookup_js(
    address: dict[str, str], says: dict[str, str] | None = None, page_says: dict[str, str] | None = None
) -> str:
    """The lookup file: `window.WAR_CLAIMS_LOOKUP = {pages: [...], ids: [[page, n, d, d...], ...]}`;
    an ID that is not C<digits> (never minted so) is listed whole in `other`. So that a claim ID
    typed into the search is answered with what it says, not a bare link: `says`, each claim's
    figure in words in the order the ids rows enumerate the claims (its metric and claimant too
    when its page is its own), and `page_says`, what each series page holds (its metric and
    claimant), said once for its thousand figures."""
    says, page_says = says or {}, page_says or {}
    pages: dict[str, list[int]] = {}
    other: dict[str, str] = {}
    for cid, at in address.items():
        m = ID_NUMBER.fullmatch(cid)
        page = at.split("#", 1)[0]
        canonical = m is not None and cid == f"C{int(m.group(1)):04d}"  # what the lookup rebuilds
        if m and canonical and at in (f"claim/{cid}.html", f"{page}#{cid}"):
            pages.setdefault(page, []).append(int(m.group(1)))
        else:
            other[cid] = at
    names = sorted(pages)
    ids = []
    said = []
    for index, page in enumerate(names):
        numbers = sorted(pages[page])
        ids.append([index, numbers[0], *[b - a for a, b in itertools.pairwise(numbers)]])
        said += [says.get(f"C{n:04d}", "") for n in numbers]
    lookup: dict[str, object] = {"pages": names, "ids": ids, "other": other}
    if says:
        lookup["says"] = said
        lookup["page_says"] = [page_says.get(page, "") for page in names]
        lookup["other_says"] = {cid: says.get(cid, "") for cid in other}
    body = json.dumps(lookup, separators=(",", ":"), ensure_ascii=False)
    return f"window.WAR_CLAIMS_LOOKUP = {body};\n"


_HTML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))


def _escaped(values: pd.Series) -> pa.Array:
    """Text as HTML shows it (what Jinja2's autoescape writes), for a whole column at once."""
    arr = pa.array(values.astype(str), type=pa.string())
    for old, new in _HTML_ESCAPES:
        arr = pc.replace_substring(arr, old, new)
    return arr


# an address in a claim's notes (the compiler's reference for an estimate): a link, opened apart.
# The notes are escaped first, so the address holds no < > or ", and only http(s) is linked.
ADDRESS = r'(https?://[^\s<>"]*[^\s<>".,;:)])'


def _linked(escaped: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(escaped, ADDRESS, r'<a href="\1" rel="noopener noreferrer">\1</a>')


def rows_html(rows: pd.DataFrame, fixes: Any, itemised: Any, supersedes_at: Any, disagree: Any = None) -> list[str]:
    """The <tr> of each figure of a series page, built column-wise (a series of a million figures
    is not rendered a row at a time): rows are model.claim_records rows (text); fixes, the
    corrections of each row's day; itemised, whether a row's series shows each figure's subject
    (one flag, or one a row); supersedes_at, the address of the claim each row supersedes ("" for
    none), from the site's root; disagree, what another compilation of the claimant's reports gives
    that day where it gives another figure ("" for none: compare/reporters)."""
    ids = _escaped(rows["claim_id"])
    status = _escaped(rows["status"])
    retired = pa.array(~rows["current"].to_numpy(dtype=bool))
    cls = pc.if_else(retired, ' class="retired"', "")
    attribution = _escaped(rows["attribution"])
    attribution = pc.if_else(pc.equal(attribution, ""), "", pc.binary_join_element_wise(" (", attribution, ")", ""))
    shown = pa.array(np.broadcast_to(np.asarray(itemised, dtype=bool), len(rows)))
    subject = pc.if_else(shown, pc.binary_join_element_wise("<td>", _escaped(rows["subject"]), ""), "")
    later = _escaped(pd.Series(supersedes_at, index=rows.index))
    old = _escaped(rows["supersedes"])
    supersedes = pc.if_else(
        pc.equal(old, ""),
        "",
        pc.binary_join_element_wise(', supersedes <a href="../', later, '">', old, "</a>", ""),
    )
    notes = _linked(_escaped(rows["notes"]))
    notes = pc.if_else(pc.equal(notes, ""), "", pc.binary_join_element_wise(": ", notes, ""))
    doubt = _escaped(rows["date_doubt"]) if "date_doubt" in rows.columns else pa.array([""] * len(rows))
    marked = pc.equal(doubt, "")
    said = pc.if_else(marked, "", pc.binary_join_element_wise(" <strong>Date in doubt:</strong> ", doubt, ""))
    doubt = pc.if_else(marked, "", ' <span class="doubt">(date in doubt)</span>')
    other = _escaped(pd.Series(disagree if disagree is not None else [""] * len(rows), index=rows.index))
    other = pc.if_else(
        pc.equal(other, ""), "", pc.binary_join_element_wise(" <strong>Reporters disagree:</strong> ", other, "")
    )
    parts = [
        '<tr id="', ids, '"', cls, '><td><a href="#', ids, '">', ids, "</a><td>", _escaped(rows["period_end"]), doubt,
        "<td>", _escaped(rows["wording"]), attribution, subject, "<td>", _escaped(pd.Series(fixes, index=rows.index)),
        "<td>", _escaped(rows["source_id"]), " <code>", _escaped(rows["locator"]), "</code><td>", status,
        supersedes, notes, said, other, "</tr>",
    ]  # fmt: skip
    return pc.binary_join_element_wise(*parts, "").to_pylist()
