"""The published package itself: what journalists and downstream code receive."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from decimal import Decimal

import pandas as pd
import pytest
from frictionless import Package, validate

from toolkit.check.validate import validate_package
from toolkit.compare.reporters import disagreements
from toolkit.problems.report import Report
from toolkit.read.load import load_package

from .conftest import ROOT


def test_frictionless_validates_the_package() -> None:
    report = validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_frictionless_loads_every_resource_with_declared_types() -> None:
    package = Package(str(ROOT / "datapackage.json"))
    names = ["claimants", "claims", "metrics", "series_corrections", "series_revisions", "sources"]
    assert sorted(r.name for r in package.resources) == names
    claims = {row["claim_id"]: row for row in package.get_resource("claims").read_rows()}
    assert claims["C0001"]["value"] == 50000
    assert type(claims["C0001"]["value"]) is Decimal  # Table Schema numbers: exact decimals in frictionless
    assert str(claims["C0001"]["period_start"]) == "2022-02-24"
    assert type(claims["C0001"]["period_start"]).__name__ == "date"
    assert claims["C0004"]["value"] is None  # only bounds for "tens of thousands"
    first = claims["C0007"]  # the first day of the General Staff series
    assert (first["wording"], first["value"], str(first["period_end"]), first["locator"]) == (
        "about 2800",
        2800,
        "2022-02-25",
        "/0/personnel",
    )
    corrections = package.get_resource("series_corrections").read_rows()
    assert any(row["value"] < 0 for row in corrections) and type(corrections[0]["date"]).__name__ == "date"
    for resource in package.resources:
        assert resource.read_rows(), resource.name


def test_pandas_loads_with_declared_types() -> None:
    package = load_package(ROOT, Report())
    assert package is not None
    claims = package.tables["claims"].frame
    assert str(claims["value"].dtype) == "float64"  # numbers; whole figures stay whole (50000.0 == 50000)
    assert str(claims["period_start"].dtype).startswith("datetime64")
    assert claims.loc[claims.claim_id == "C0002", "value_low"].item() == 1_000_000
    plain = pd.read_csv(ROOT / "data/claims.csv", dtype={"value": "float64"}, keep_default_na=False, na_values=[""])
    assert len(plain) == len(claims)


def test_the_package_passes_claims_validate() -> None:
    """No error; the only warnings are the days two compilations of the General Staff's reports
    disagree on, and running totals that fall: the General Staff's, each naming the claimant's own
    correction but one, a fall of field artillery that no correction explains, and the second
    compilation's falls at the days it disagrees with the first;
    Oryx's, a model counted lower in a later version; and one of US officials, whose estimate of the
    killed of 2024 (reported via one outlet) is lower than one of 2023 (via another)."""
    report = validate_package(ROOT)
    assert report.error_count == 0, [(p.code, p.row, p.message) for p in report.problems]
    assert set(report.counts) == {"cumulative-decrease", "reporters-disagree"}
    falls = [p for p in report.problems if p.code == "cumulative-decrease"]
    staff = [p for p in falls if "by ua_general_staff" in p.message]
    unexplained = [p for p in staff if "they corrected" not in p.message]
    assert [p.key for p in unexplained if "as ua-general-staff gives it" in p.message] == ["C20077"]
    # the second compilation's own falls: each at a day (or after a day) whose figure the two
    # compilations give differently, so the fall is one compilation's, not the claimant's
    package = load_package(ROOT, Report())
    assert package is not None
    tables = package.tables
    found = disagreements(tables["claims"].frame, tables["sources"].frame)
    told = {(m, d.strftime("%Y-%m-%d")) for m, d in zip(found["metric_id"], found["day"], strict=True)}
    orc = [p for p in unexplained if "as orc-losses gives it" in p.message]
    assert len(orc) == 8
    for p in orc:
        metric = p.message.split("running total of ")[1].split(" ")[0]
        day, before = re.search(r"to (\S+),", p.message).group(1), re.search(r"figure of (\S+?),", p.message).group(1)
        assert (metric, day) in told or (metric, before) in told, p.message
    # the others: Oryx's count of a model lower in a later version (Oryx revised its list), and one estimate
    others = [p for p in falls if p not in staff and "by oryx" not in p.message]
    assert [(p.key, "killed by us_officials" in p.message) for p in others] == [("C24307", True)]


def test_every_day_of_the_series_is_in_the_package() -> None:
    """Every day of the first compilation's snapshots, 2022-02-25 to 2026-08-08, has its personnel
    figure; the second compilation's 1,449 days run to 2026-08-22, every day after 2026-08-08 among
    them, and the days it lacks stay missing (no claim of its made up for them)."""
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False)
    upstream = claims.source_id.map(dict(zip(sources.source_id, sources.data_path.str.split("/").str[1], strict=True)))
    series = claims.claimant_id.isin(["ua_general_staff", "ua_mod"]) & (claims.metric_id == "killed_or_wounded")
    days = claims.loc[series & (upstream == "ua-general-staff"), "period_end"]  # not an article's figure of the day
    expected = pd.date_range("2022-02-25", "2026-08-08").strftime("%Y-%m-%d")
    assert sorted(days) == list(expected) and len(days) == 1626
    second = sorted(claims.loc[series & (upstream == "orc-losses"), "period_end"])
    assert len(second) == len(set(second)) == 1449 and (second[0], second[-1]) == ("2022-02-27", "2026-08-22")
    after = list(pd.date_range("2026-08-09", "2026-08-22").strftime("%Y-%m-%d"))
    assert [d for d in second if d > "2026-08-08"] == after


def test_seed_hashes_and_quotes() -> None:
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False)
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    for source in sources.itertuples():
        data = (ROOT / (source.seed_path or source.data_path)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source.seed_sha256
        if source.data_path:  # a dataset: its figures are checked by their locators (claims validate)
            # the compilers' licences: MIT (the General Staff and Oryx series), CC BY 4.0 (The Economist's data)
            assert (ROOT / source.licence_path).is_file() and source.licence in ("MIT", "CC-BY-4.0")
            continue
        text = data.decode("utf-8")
        for quote in claims.loc[claims.source_id == source.source_id, "quote"]:
            assert quote in text


def test_unknown_provenance_stays_empty_with_a_note() -> None:
    source = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False).iloc[0]
    assert source.url == "" and source.published == "" and source.publisher == ""
    assert "no URL" in source.notes and "not confirmed" in source.notes


def test_every_figure_of_the_first_seed_is_a_claim() -> None:
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    wordings = set(claims.wording.str.lower())
    for phrase in ("at least 50,000", "over one million", "just under four", "tens of thousands", "nine"):
        assert phrase in wordings
    assert claims.wording.str.lower().eq("tens of thousands").sum() == 2  # AWOL and convicts


def test_descriptor_metadata() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert descriptor["$schema"].endswith("/2.0/datapackage.json")
    assert descriptor["version"].count(".") == 2
    assert "seeds/" in descriptor["licenses"][0]["title"]
    assert descriptor["contributors"]


def test_csv_conventions() -> None:
    for path in (ROOT / "data").glob("*.csv"):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data, path
        assert data.endswith(b"\n"), path
        data.decode("utf-8")


def test_the_files_a_release_ships_beside_the_data_hold_no_control_character() -> None:
    """README, CHANGELOG, CITATION and the data dictionary go into every release and the CHANGELOG
    into the releases feed: a control character is invisible to a reader and makes XML invalid."""
    import re

    from toolkit.check.hygiene import CONTROL
    from toolkit.publish.build import EXTRA_FILES

    for name in EXTRA_FILES:
        text = (ROOT / name).read_text(encoding="utf-8")
        found = re.search(f"[{CONTROL}\r]", text)  # the data's own rule, and no CR: LF files
        assert found is None, f"{name}: {found[0]!r} at {found.start()}"


def test_the_series_says_what_its_figures_mean() -> None:
    """What the audit of the General Staff series found, as the package now states it."""
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False).set_index("claim_id")
    first_days = claims[claims.period_end.isin(["2022-02-25", "2022-02-26"]) & claims.locator.ne("")]
    assert set(first_days.claimant_id) == {"ua_mod", "invaders_rf"}  # the POW counts stay Invaders'
    assert set(first_days.loc[first_days.claimant_id == "ua_mod", "attribution"]) == {
        "Deputy Minister of Defence Hanna Maliar, on Facebook (as Ukrinform reported)"
    }
    assert (claims.loc["C0007", "claimant_id"], claims.loc["C0033", "claimant_id"]) == ("ua_mod", "ua_general_staff")
    corrections = pd.read_csv(ROOT / "data/series_corrections.csv", dtype=str, keep_default_na=False)
    moved = corrections[corrections.locator.str.startswith("/1/")]
    assert (set(moved.date), set(moved.effective), len(moved)) == ({"2023-05-27"}, {"2023-05-28"}, 9)
    assert set(corrections.loc[~corrections.locator.str.startswith("/1/"), "effective"]) == {""}
    assert moved.notes.str.startswith("The corrections file dates this change 2023-05-27").all()
    metrics = pd.read_csv(ROOT / "data/metrics.csv", dtype=str, keep_default_na=False).set_index("metric_id")
    assert metrics.loc["cruise_missile_losses", "label"] == "Cruise missiles shot down"
    assert "launchers stay in srbm_system_losses" in metrics.loc["cruise_missile_losses", "definition"]
    assert "stops reporting it after 30 April 2022" in metrics.loc["srbm_system_losses", "definition"]
    assert "Operational-tactical" in metrics.loc["drone_losses", "definition"]
    assert "first figure is already 1,306" in metrics.loc["ground_robot_losses", "definition"]
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    for sid in ("S0002", "S0003", "S0004"):
        assert (sources.loc[sid, "published"], sources.loc[sid, "retrieved"]) == ("2026-08-08", "2026-11-29")
        assert "a report dated D counts losses to the end of D-1" in sources.loc[sid, "notes"]
    assert "/8 (2024-06-23) gives 'day' 850, the date's day is 851" in sources.loc["S0004", "notes"]
    assert claims.loc["C20077", "notes"].startswith("This total is 10 lower than the day before")


def test_the_mapping_and_the_package_agree_on_claimants_and_metrics() -> None:
    """The rows the mapping would add to a new package are the rows this one holds."""
    from toolkit.upstream.mapping import read_mapping

    for name in ("ua-general-staff", "oryx", "economist-estimates"):
        mapping = read_mapping(ROOT / "mappings" / f"{name}.toml")
        for table, key, declared in (
            ("claimants", "claimant_id", mapping.claimants),
            ("metrics", "metric_id", mapping.metrics),
        ):
            rows = pd.read_csv(ROOT / f"data/{table}.csv", dtype=str, keep_default_na=False).set_index(key)
            for identifier, cells in declared.items():
                held = {k: v for k, v in rows.loc[identifier].items() if k in cells}
                assert held == cells, (name, identifier)


@pytest.mark.parametrize("series", ["ua-general-staff", "oryx", "economist-estimates"])
def test_the_series_rebuilds_from_its_archives_byte_for_byte(series: str) -> None:
    from toolkit.upstream.series_import import rebuild_series

    result = rebuild_series(ROOT, series, check=True)
    assert result.differs == [], result.differs


def test_every_model_count_of_the_six_oryx_versions_is_a_claim_equal_to_its_archive() -> None:
    """Read here with json alone, not with the toolkit's locator check: each row of each archived
    version is exactly one claim of Oryx, with the row's figure, model and the commit's day."""
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False)
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    versions = sources[sources.data_path.str.startswith("seeds/oryx/")]
    assert sorted(versions.published) == [
        "2022-09-23", "2022-09-24", "2022-09-26", "2022-10-10", "2022-11-27", "2023-02-05"
    ]  # fmt: skip
    total = 0
    for source in versions.itertuples():
        rows = json.loads((ROOT / source.data_path).read_bytes())
        mine = claims[claims.source_id == source.source_id].set_index("locator")
        assert len(mine) == len(rows)
        for index, row in enumerate(rows):
            claim = mine.loc[f"/{index}/losses_total"]
            assert (claim.claimant_id, claim.value, claim.period_end) == (
                "oryx",
                str(row["losses_total"]),
                source.published,
            )
            assert claim.subject.startswith(f"Russian {row['model']}")
        total += len(rows)
    assert total == 286 + 286 + 288 + 298 + 323 + 338


def test_every_row_of_the_estimates_table_is_a_claim_equal_to_its_archive() -> None:
    """Read here with the csv module alone: each row of the archived table (the newer version, which
    holds every row of the older) is one claim, with its claimant's name as the row writes it, its
    day, its metric, its subject and its figures, the address in the notes."""
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False)
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    [source] = sources[sources.data_path.str.startswith("seeds/economist-estimates/")].itertuples()
    text = (ROOT / source.data_path).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    mine = claims[claims.source_id == source.source_id]
    assert len(rows) == len(mine) == 124
    metric = {"casualties": "killed_or_wounded", "deaths": "killed"}
    named = {"memory_book", "ualosses"}  # lists of the named dead: their deaths are counts of names
    subject = {"russia": "Russian military personnel", "ukraine": "Ukrainian military personnel"}
    for index, row in enumerate(rows):
        [claim] = mine[mine.locator.str.startswith(f"/{index}/")].itertuples()
        day, month, year = row["date"].split("/")
        assert (claim.attribution, claim.period_end) == (row["source"].strip(), f"{year}-{int(month):02}-{int(day):02}")
        expected = "killed_identified_by_name" if claim.claimant_id in named else metric[row["type"]]
        assert (claim.metric_id, claim.subject, claim.side) == (expected, subject[row["country"]], row["country"])
        figures = [row[c].replace(",", "") for c in ("estimate", "estimate_low", "estimate_high")]
        held = [claim.value, claim.value_low, claim.value_high]
        if claim.qualifier in ("at_least", "at_most"):  # a lone bound is also the value
            held[0] = ""
        assert held == figures, (index, row)
        assert row["source_url"].strip() in claim.notes


def test_the_claimant_table_names_each_author_of_the_estimates_once() -> None:
    """Every name the archived table writes is in the claimant table and nothing else is; each ID's
    names are one author's (aliases, written out below), so no author has two IDs."""
    [path] = (ROOT / "seeds/economist-estimates").rglob("estimates.csv")
    written = {r["source"] for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))}
    table = pd.read_csv(ROOT / "mappings/economist-estimates-claimants.csv", dtype=str, keep_default_na=False)
    assert set(table.name) == written
    aliases = {cid: sorted(g.name) for cid, g in table.groupby("claimant_id") if len(g) > 1}
    assert aliases == {
        "csis": ["CSIS", "The Centre for Strategic and International Studies"],
        "mediazona_meduza": ["Mediazona; Meduza", "Mediazona; Meduza (cumulative)"],
        "nato_officials": ["NATO officials (via WP)", "NATO officials (via media24)"],
        "nl_mivd": [
            "Dutch Military Intelligence and Security Service (MIVD)",
            "Dutch Military Intelligence and Security Service (MIVD; note, timing clarified via email) ",
        ],
        "uk_mod": ["UK Ministry of Defence", "UK MoD"],
        "us_officials": ["US officials (via NYT)", "US officials (via The Economist)"],
    }


def test_the_six_article_excerpts_are_sources_with_their_claims() -> None:
    """Each archived excerpt says it is one, and its figures are claims of the claimants the
    article names (quotes are found in the seeds by test_seed_hashes_and_quotes)."""
    sources = pd.read_csv(ROOT / "data/sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    articles = [f"S{n:04d}" for n in range(11, 17)]
    for sid in articles:
        assert "excerpt" in sources.loc[sid, "notes"] and sources.loc[sid, "seed_path"] == f"seeds/{sid}.txt"
        mine = claims[claims.source_id == sid]
        assert len(mine) and not mine.notes.str.contains("DRAFT").any(), sid
        assert (mine.attribution == "").all() or all(a in q for a, q in zip(mine.attribution, mine.quote, strict=True))
    mine = claims[claims.source_id.isin(articles)]
    assert {"uk_defence_intelligence", "istories", "mediazona", "ua_general_staff", "ukraine"} <= set(mine.claimant_id)
    # a conflict stays: two claimants, one metric, two rows
    million = mine[(mine.metric_id == "killed_or_wounded") & (mine.value == "1000000")]
    assert sorted(million.claimant_id) == ["ua_general_staff", "ukraine"]
    # unknown stays empty, with a note: no address or date for an excerpt whose article was not found,
    # an address but no date for one found on a page that shows none
    assert (sources.loc["S0015", "url"], sources.loc["S0015", "published"]) == ("", "")
    assert sources.loc["S0012", "url"].startswith("https://express.co.uk/") and sources.loc["S0012", "published"] == ""
    for sid in ("S0001", "S0011", "S0012", "S0014", "S0015", "S0016"):  # where the date was looked for
        assert (
            sources.loc[sid, "published"]
            or "Looked for" in sources.loc[sid, "notes"]
            or "found on" in sources.loc[sid, "notes"]
        ), sid


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    claims = pd.read_csv(ROOT / "data/claims.csv", dtype=str, keep_default_na=False)
    claimants = pd.read_csv(ROOT / "data/claimants.csv", dtype=str, keep_default_na=False).set_index("claimant_id")
    return claims, claimants


def test_a_count_of_the_named_dead_is_told_apart_from_an_estimate() -> None:
    """A count of names is a floor, an estimate tries to count every death: they are two metrics,
    the one comparing with the other, so a chart never draws a floor as an estimate. A figure whose
    subject says it counts names, and every figure of a list of names, is a count of names."""
    claims, _ = _tables()
    metrics = pd.read_csv(ROOT / "data/metrics.csv", dtype=str, keep_default_na=False).set_index("metric_id")
    assert metrics.loc["killed_identified_by_name", "compares_with"] == "killed"
    lists = {"memory_book", "ualosses", "mediazona_bbc"}  # lists of the dead, each named
    dead = claims[claims.metric_id.isin(["killed", "killed_identified_by_name"])]
    says = dead.subject.str.contains("by name") | dead.claimant_id.isin(lists)
    assert (dead[says].metric_id == "killed_identified_by_name").all()
    assert (dead[~says].metric_id == "killed").all()
    assert len(dead[says]) == 6  # the article's count of Mediazona and the BBC, five of the table's rows


def test_a_figure_on_a_line_that_names_no_one_is_the_claimant_the_document_gives_it() -> None:
    """One rule for the articles: a figure whose own words attribute it to no one (attribution
    empty) continues the account the document gives it, so within a document every such figure has
    one claimant: the one the document reports, or unattributed when it reports its own figures."""
    claims, _ = _tables()
    documents = claims[claims.quote != ""]
    silent = documents[documents.attribution == ""].groupby("source_id").claimant_id.unique()
    assert all(len(ids) == 1 for ids in silent), silent[silent.map(len) > 1].to_dict()
    assert silent["S0016"].tolist() == ["ua_general_staff"]  # its title and lead name the General Staff


def test_a_period_since_the_full_scale_invasion_starts_on_its_first_day() -> None:
    """'since February 2022', 'since the full-scale invasion', 'since the war started in February
    2022': one rule, period_start 2022-02-24 (the day the invasion began), however the words put it;
    an end given without a day ('late May 2025') stays empty, as the notes say."""
    claims, _ = _tables()
    since = claims.quote.str.contains(
        r"since (?:February 2022|the full-scale invasion|its full-scale invasion|the war started in February 2022)"
        r"|during the full-scale war",
        regex=True,
    )
    assert since.sum() >= 5
    assert (claims[since].period_start == "2022-02-24").all(), claims[since & (claims.period_start != "2022-02-24")]


def test_a_claimant_is_named_in_full_and_its_notes_quote_the_table_s_spellings() -> None:
    """A claimant's name says who it is, never the outlet that carried its figure (the attribution
    keeps the table's words); every spelling the table of estimates gives a claimant is quoted in its
    notes, so a reader can find the table's row from the claimant and the claimant from the row."""
    _, claimants = _tables()
    table = pd.read_csv(ROOT / "mappings/economist-estimates-claimants.csv", dtype=str, keep_default_na=False)
    for row in table.itertuples():
        assert f"'{row.name.strip()}'" in claimants.loc[row.claimant_id, "notes"], row
    assert not claimants.name.str.contains(r"\bvia\b|\bSec of\b", regex=True).any()
    assert claimants.loc["uk_mod", "name"] == "Ministry of Defence of the United Kingdom"


def test_the_two_compilations_of_the_general_staffs_reports_disagree_on_115_day_figures() -> None:
    """Every day-figure the two compilations give differently is reported once, at the second's
    claim, naming both claims and both compilations; the count is the CHANGELOG's."""
    report = validate_package(ROOT)
    said = [p for p in report.problems if p.code == "reporters-disagree"]
    assert report.counts["reporters-disagree"] == len(said) == 115
    assert all("(ua-general-staff, /" in p.message and "(orc-losses, /date=" in p.message for p in said)


def test_every_revision_names_the_claim_that_holds_what_the_upstream_kept() -> None:
    """series_revisions: the figures orc-losses' commits gave and changed before the commit the
    package imported; each names the claim that holds the kept figure, and that claim says it."""
    revisions = list(csv.DictReader(io.StringIO((ROOT / "data/series_revisions.csv").read_text(encoding="utf-8"))))
    claims = {r["claim_id"]: r for r in csv.DictReader(io.StringIO((ROOT / "data/claims.csv").read_text("utf-8")))}
    assert len(revisions) == 19 and {r["upstream"] for r in revisions} == {"orc-losses"}
    for r in revisions:
        held = claims[r["claim_id"]]
        assert (held["period_end"], held["metric_id"]) == (r["day"], r["metric_id"])
        assert held["value"] == r["kept"] != r["value"]
        assert held["locator"] == f"/date={r['day']}/{r['field']}"
