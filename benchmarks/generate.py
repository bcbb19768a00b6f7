"""Generate a SYNTHETIC war-claims package of N claims for benchmarks.

Every figure, source and seed here is invented and says so ("SYNTHETIC" in titles, seeds and
quotes): the output is for timing tools, never for data/. The package is valid under
`claims validate`, so a benchmark measures the full run of every check.

    python benchmarks/generate.py /tmp/bench --claims 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("claims", "sources", "claimants", "metrics")
QUALIFIERS = np.array(["at_least", "more_than", "exact", "approximately", "at_most", "fewer_than"])
PHRASE = {
    "at_least": "at least ",
    "more_than": "more than ",
    "exact": "",
    "approximately": "about ",
    "at_most": "at most ",
    "fewer_than": "fewer than ",
}


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def generate(
    out: Path,
    n_claims: int,
    per_source: int = 100,
    seed: int = 42,
    changed: float = 0.0,
    added: float = 0.0,
    removed: float = 0.0,
    series_share: float = 0.0,
) -> Path:
    """Write the package to out; optional changed/added/removed fractions make a 'next release';
    series_share of the claims are daily series read from archived data files (_series)."""
    rng = np.random.default_rng(seed)
    n_series = int(n_claims * series_share)
    n_claims -= n_series
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    (out / "seeds").mkdir()
    shutil.copytree(ROOT / "schemas", out / "schemas")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = "war-claims-synthetic-benchmark"
    descriptor["title"] = "SYNTHETIC benchmark data: not real figures"
    # the four tables every package has; the real package's imported series are left out
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in TABLES]
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")

    total = n_claims + int(n_claims * added)
    ids = np.arange(1, total + 1)
    source_no = (ids - 1) // per_source + 1
    # one stream per attribute, so a release with added rows keeps the earlier rows identical
    figures = np.random.default_rng([seed, 1]).integers(1, 2_000_000, size=total)
    qualifier = QUALIFIERS[np.random.default_rng([seed, 2]).integers(0, len(QUALIFIERS), size=total)]
    fig_text = pd.Series(figures).map("{:,}".format)
    wording = pd.Series(qualifier).map(PHRASE) + fig_text
    sid = pd.Series(source_no).map("S{:06d}".format)
    quote = (
        "SYNTHETIC sentence "
        + pd.Series(ids).astype(str)
        + ": officials said "
        + wording
        + " soldiers left their units, according to synthetic records of "
        + sid
        + "."
    )
    value = pd.array(figures, dtype="Int64")
    low = value.copy()
    high = value.copy()
    low[np.isin(qualifier, ["approximately", "at_most", "fewer_than"])] = pd.NA
    high[np.isin(qualifier, ["approximately", "at_least", "more_than"])] = pd.NA
    claims = pd.DataFrame(
        {
            "claim_id": pd.Series(ids).map("C{:07d}".format),
            "source_id": sid,
            "claimant_id": np.where(ids % 3 == 0, "ua_military", np.where(ids % 3 == 1, "ru_mod", "unattributed")),
            "attribution": np.where(ids % 3 == 2, "", "according to synthetic records"),
            "metric_id": "desertions",
            "subject": "SYNTHETIC soldiers",
            "wording": wording,
            "qualifier": qualifier,
            "value": value,
            "value_low": low,
            "value_high": high,
            "unit": "person",
            "count_type": "cumulative",
            "period_start": "2022-02-24",
            # one period per claimant, so independent random figures neither contradict nor fall
            "period_end": np.where(ids % 3 == 0, "2024-12-31", np.where(ids % 3 == 1, "2024-06-30", "")),
            "quote": quote,
            "status": "reported",
            "supersedes": "",
            "notes": "SYNTHETIC row for benchmarks; not a real figure.",
            "locator": "",
            "side": "russia",
            "date_doubt": "",
        }
    )
    # seeds: each source's text holds its claims' sentences
    n_sources = int(source_no.max())
    # paragraphs of five sentences, so quotes are sentences inside lines as in real articles
    texts = quote.groupby(sid).agg(
        lambda s: "SYNTHETIC document.\n" + "\n".join(" ".join(s.iloc[i : i + 5]) for i in range(0, len(s), 5)) + "\n"
    )
    seed_paths, hashes = [], []
    for source_id, text in texts.items():
        data = text.encode("utf-8")
        (out / "seeds" / f"{source_id}.txt").write_bytes(data)
        seed_paths.append(f"seeds/{source_id}.txt")
        hashes.append(hashlib.sha256(data).hexdigest())
    sources = pd.DataFrame(
        {
            "source_id": texts.index,
            "title": "SYNTHETIC source " + texts.index,
            "publisher": "",
            "url": "",
            "published": "",
            "retrieved": "",
            "language": "en",
            "seed_path": seed_paths,
            "seed_sha256": hashes,
            "notes": "SYNTHETIC",
            "data_path": "",
            "repository": "",
            "commit": "",
            "upstream_path": "",
            "licence": "",
            "licence_path": "",
        }
    )
    assert len(sources) == n_sources
    if added:
        claims = claims.iloc[:total]
        base = claims.iloc[:n_claims]
        extra = claims.iloc[n_claims:]
        keep = np.ones(len(base), dtype=bool)
        keep[rng.choice(len(base), int(len(base) * removed), replace=False)] = False
        base = base[keep].copy()
        idx = rng.choice(len(base), int(len(base) * changed), replace=False)
        base.iloc[idx, base.columns.get_loc("notes")] = "SYNTHETIC row, corrected note."
        claims = pd.concat([base, extra])
    for name in ("claimants", "metrics"):
        shutil.copy(ROOT / "data" / f"{name}.csv", out / "data" / f"{name}.csv")
    if n_series:
        series_claims, series_sources = _series(out, n_series, first_id=len(claims) + 1, seed=seed)
        claims = pd.concat([claims, series_claims], ignore_index=True)
        sources = pd.concat([sources, series_sources], ignore_index=True)
    _write_csv(claims, out / "data" / "claims.csv")
    _write_csv(sources, out / "data" / "sources.csv")
    return out


SERIES_FILES, SERIES_CATEGORIES = 20, 10  # a synthetic upstream of 20 daily files of 10 running totals each


def _series(out: Path, n: int, first_id: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """n claims of SERIES_FILES x SERIES_CATEGORIES daily series, as `claims import` makes them:
    each file archived under seeds/synthetic/<commit>/ with a licence, a claim per day and
    category whose locator names its figure. Totals only rise, so nothing falls or contradicts."""
    per_series = n // (SERIES_FILES * SERIES_CATEGORIES)
    days = pd.date_range("2012-01-01", periods=per_series).strftime("%Y-%m-%d")
    commit = hashlib.sha256(b"SYNTHETIC series").hexdigest()[:40]
    folder = out / "seeds" / "synthetic" / commit[:12]
    (folder / "data").mkdir(parents=True)
    licence = b"SYNTHETIC licence: invented figures for benchmarks.\n"
    (folder / "LICENSE").write_bytes(licence)
    metrics = [f"synthetic_metric_{k}" for k in range(SERIES_CATEGORIES)]
    pd.DataFrame(
        {
            "metric_id": metrics,
            "label": [f"SYNTHETIC metric {k}" for k in range(SERIES_CATEGORIES)],
            "definition": "SYNTHETIC: a running total for benchmarks, not a real count.",
            "unit": "item",
            "compares_with": "",
            "comparison": "",
            "falls": "",
        }
    ).to_csv(out / "data" / "metrics.csv", mode="a", header=False, index=False, lineterminator="\n")
    rng = np.random.default_rng([seed, 9])
    claim_frames, source_rows = [], []
    next_id = first_id
    for f in range(SERIES_FILES):
        totals = rng.integers(0, 50, size=(per_series, SERIES_CATEGORIES)).cumsum(axis=0)
        records = [
            {"date": day, **{f"cat_{k}": int(totals[d, k]) for k in range(SERIES_CATEGORIES)}}
            for d, day in enumerate(days)
        ]
        data = json.dumps(records).encode("utf-8")
        rel = f"data/series-{f:02d}.json"
        (folder / rel).write_bytes(data)
        sid = f"S9{f:05d}"
        source_rows.append(
            {
                "source_id": sid, "title": f"SYNTHETIC daily series {f}", "publisher": "SYNTHETIC compiler",
                "url": "", "published": "", "retrieved": "", "language": "en", "seed_path": "",
                "seed_sha256": hashlib.sha256(data).hexdigest(), "notes": "SYNTHETIC",
                "data_path": f"seeds/synthetic/{commit[:12]}/{rel}", "repository": "https://example.org/synthetic",
                "commit": commit, "upstream_path": rel, "licence": "MIT",
                "licence_path": f"seeds/synthetic/{commit[:12]}/LICENSE",
            }
        )  # fmt: skip
        day_index = np.repeat(np.arange(per_series), SERIES_CATEGORIES)
        cat = np.tile(np.arange(SERIES_CATEGORIES), per_series)
        count = len(day_index)
        values = totals.reshape(-1)
        claim_frames.append(
            pd.DataFrame(
                {
                    "claim_id": [f"C{i:07d}" for i in range(next_id, next_id + count)],
                    "source_id": sid,
                    "claimant_id": "ua_general_staff",
                    "attribution": "",
                    "metric_id": np.array(metrics)[cat],
                    "subject": [f"SYNTHETIC series {f}" for _ in range(count)],
                    "wording": values.astype(str),
                    "qualifier": "exact",
                    "value": values,
                    "value_low": values,
                    "value_high": values,
                    "unit": "item",
                    "count_type": "cumulative",
                    "period_start": "2012-01-01",
                    "period_end": np.asarray(days)[day_index],
                    "quote": "",
                    "status": "reported",
                    "supersedes": "",
                    "notes": "",
                    "locator": [f"/{d}/cat_{k}" for d, k in zip(day_index, cat, strict=True)],
                    "side": "russia",
                    "date_doubt": "",
                }
            )
        )
        next_id += count
    return pd.concat(claim_frames, ignore_index=True), pd.DataFrame(source_rows)


def generated(out: Path, n_claims: int, **options: float) -> Path:
    """generate(), reusing an earlier output made with the same parameters by the same generator."""
    key = json.dumps(
        {"claims": n_claims, **options, "generator": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()}
    )
    marker = out / ".generated"
    if not (marker.is_file() and marker.read_text() == key):
        generate(out, n_claims, **options)
        marker.write_text(key)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--series-share", type=float, default=0.0, help="share of the claims in daily series")
    args = parser.parse_args()
    path = generate(args.out, args.claims, seed=args.seed, series_share=args.series_share)
    size = sum(p.stat().st_size for p in (path / "data").glob("*.csv"))
    print(f"wrote {path} ({args.claims} claims, {size / 1e6:.1f} MB of CSV)")


if __name__ == "__main__":
    main()
