"""build_dist(root) -> the files a journalist downloads, as one set in dist/<version>/.

Every name carries the version:
- war-claims-<v>.zip: the package with datapackage.json at the zip's root (so
  `frictionless.Package(zip)` and `claims validate zip` open it), each resource's bytes and
  sha256 in the descriptor; byte-identical for the same commit (sorted entries, fixed times and
  modes).
- war-claims-<v>-claims-flat.csv: one row per claim joined to its source and claimant, with the
  releases it appeared in; UTF-8 with a BOM so Excel reads it right, formulas neutralised.
- war-claims-<v>.xlsx: typed sheets (publish/workbook.py).
- war-claims-<v>-claims.parquet: the flat table typed, for analysts (publish/parquet_file.py).
- war-claims-v<v_>.sqlite and war-claims-<v>-datasette-metadata.json (publish/sqlite_db.py).

Only what the package is made of is published: the descriptor's resources and schemas, the seeds
the sources name and the documentation files, each a regular file inside the package. Neutralising
formulas happens only here; data/ keeps the document's words.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..check.validate import load_valid
from ..compare.claimants import Comparison, comparisons
from ..compare.comparison_table import comparison_files
from ..compare.lineage import claim_lineage, release_history
from ..compare.reporters import disagreements
from ..core.files import size_and_sha256
from ..core.paths import inside_folder, regular_file_inside
from ..core.spreadsheet_csv import spreadsheet_csv
from ..errors import UsageError
from ..read.flat import flat_claims
from ..read.model import LoadedPackage
from ..website import SITE_FOLDER, SiteResult, build_site, downloads_in
from ..website.chart_images import require_renderer
from ..website.model import UNIT_WORDS
from .dist_sets import new_set
from .parallel import Parallel, in_parallel
from .parquet_file import write_claims_parquet
from .reporters_file import write_disagreements
from .series_wide import wide_series, write_wide
from .sqlite_db import database_stem, metadata_bytes, write_database
from .workbook import WorkbookResult, write_claims_workbook

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
EXTRA_FILES = ("README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff", "docs/data-dictionary.md")
ARCHIVED = ("seed_path", "data_path", "licence_path")  # what the sources archive under seeds/
Progress = Callable[[str], None]


@dataclass
class BuildResult:
    version: str
    folder: Path
    files: list[Path] = field(default_factory=list)
    workbook: WorkbookResult = field(default_factory=WorkbookResult)
    site: SiteResult | None = None


def _flat_csv(flat: pd.DataFrame, path: Path) -> None:
    path.write_bytes(spreadsheet_csv(flat))


def published_files(root: Path, package: LoadedPackage) -> dict[str, Path]:
    """Exactly what a release publishes besides its descriptor: the resources and their schemas,
    the files the sources archive (texts, data files, their licences) and the documentation files,
    each a regular file in the package."""
    files: dict[str, Path] = {}
    for resource in package.descriptor["resources"]:
        files[resource["path"]] = regular_file_inside(root, resource["path"])
        if isinstance(resource.get("schema"), str):
            files[resource["schema"]] = regular_file_inside(root, resource["schema"])
    sources = package.tables["sources"].frame
    for column in ARCHIVED:
        for rel in sources[column].dropna() if column in sources.columns else ():
            files[rel] = regular_file_inside(root, rel)
    for extra in EXTRA_FILES:
        if os.path.lexists(root / extra):
            files[extra] = regular_file_inside(root, extra)
    return files


def release_descriptor(root: Path, descriptor: dict) -> dict:
    """The descriptor with bytes and sha256 hash of every resource, as it ships in the zip."""
    out = json.loads(json.dumps(descriptor))
    for resource in out["resources"]:
        size, digest = size_and_sha256(regular_file_inside(root, resource["path"]))
        resource["bytes"], resource["hash"] = size, f"sha256:{digest}"
    return out


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _folder_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.external_attr = (0o40755 << 16) | 0x10  # a directory, for unix and for MS-DOS attributes
    return info


def _package_zip(descriptor: dict, files: dict[str, Path], path: Path) -> None:
    """datapackage.json at the root, then every file, sorted, streamed (no file held in memory),
    each folder listed before its first file: the JavaScript Data Package library extracts only
    the folders a zip lists, and could not open data/claims.csv without its entry."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
        zf.writestr(_zip_info("datapackage.json"), text.encode("utf-8"))
        listed: set[str] = set()
        for name in sorted(files):
            parts = name.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth]) + "/"
                if folder not in listed:
                    listed.add(folder)
                    zf.writestr(_folder_info(folder), b"")
            with files[name].open("rb") as src, zf.open(_zip_info(name), "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def _read_to_publish(root: Path, out: Path | None, say: Progress) -> tuple[LoadedPackage, Path, str, Path]:
    """What build and site both start from: the valid package, its folder (found from a subfolder
    too: every path after this is relative to it), its version and the output folder."""
    say("validating the package")
    package = load_valid(root)
    root = package.root
    out = out or inside_folder(root, "dist")
    return package, root, str(package.descriptor.get("version", "0.0.0")), out


def _history(root: Path, package: LoadedPackage, say: Progress) -> tuple[pd.DataFrame, str]:
    """Each claim's history with the label of the working tree's state (compare/lineage.release_history)."""
    say("reading the releases for each claim's history")
    return release_history(root, package)


def _write_downloads(
    root: Path,
    package: LoadedPackage,
    history: pd.DataFrame,
    names: dict[str, str],
    staging: Path,
    say: Progress,
) -> tuple[WorkbookResult, dict[str, str]]:
    """The downloads made of the package's tables: the zip, the flat CSV, Parquet, the workbook,
    SQLite and the daily series (names: build_dist's, without the daily series, whose names come
    back with the workbook's result)."""
    version = str(package.descriptor.get("version", "0.0.0"))
    lineage = claim_lineage(root, package, history)
    flat = flat_claims(package, lineage)
    say("writing the package zip")
    _package_zip(release_descriptor(root, package.descriptor), published_files(root, package), staging / names["zip"])
    say("writing the flat CSV")
    _flat_csv(flat, staging / names["flat"])
    say("writing the Parquet file")
    write_claims_parquet(package, flat, staging / names["parquet"])
    say("writing the workbook")
    carriers = f"{names['flat']}, {names['zip']} and {names['sqlite']}"
    workbook = write_claims_workbook(package, flat, version, staging / names["xlsx"], carriers)
    say("writing the SQLite database")
    write_database(package, lineage, staging / names["sqlite"], list(flat.columns))
    (staging / names["metadata"]).write_bytes(metadata_bytes(package, database_stem(version)))
    wide: dict[str, str] = {}
    for series in wide_series(package):
        say(f"writing the daily figures of {series.name}")
        data, schema = f"wide {series.name}", f"wide schema {series.name}"
        wide[data] = f"war-claims-{version}-{series.name}-daily.csv"
        wide[schema] = f"war-claims-{version}-{series.name}-daily.schema.json"
        write_wide(series, staging / wide[data], staging / wide[schema])
    say("writing the days on which reporters disagree")
    tables = package.tables
    wide["reporters disagree"] = f"war-claims-{version}-reporters-disagree.csv"
    wide["reporters disagree schema"] = f"war-claims-{version}-reporters-disagree.schema.json"
    found = disagreements(tables["claims"].frame, tables["sources"].frame)
    write_disagreements(found, staging / wide["reporters disagree"], staging / wide["reporters disagree schema"])
    return workbook, wide


def _comparison_files(compared: list[Comparison], stem: str, staging: Path, say: Progress) -> dict[str, str]:
    names = {}
    for comparison in compared:
        say(f"writing the comparison of {comparison.key}")
        words = UNIT_WORDS.get(comparison.unit, comparison.unit)
        for suffix, data in comparison_files(comparison, words).items():
            name = f"{stem}-compare-{comparison.key}{suffix}"
            names[f"compare {comparison.key}{suffix}"] = name
            (staging / name).write_bytes(data)
    return names


def build_dist(
    root: Path,
    out: Path | None = None,
    progress: Progress | None = None,
    site: bool = True,
    chart_images: bool = False,
    parallel: bool = True,
) -> BuildResult:
    """Validate, then write every download as the set out/<version> (default dist/<version>).

    Nothing is written if the package is invalid; a build that fails or is killed leaves the
    previous set of that version as it was (publish/dist_sets.py).

    With parallel (and more than one processor), a second process forked from this one reads the
    releases for the claims' history and writes the downloads while this one computes the
    comparisons (and writes their downloads) and writes the site: the second process is the longer
    of the two (measured: it ends about 0.6 s after the site is otherwise done), so the comparisons
    are computed in the first, in time it would spend waiting. The site needs the history only for
    its claim pages and feeds, and the downloads only for its home page, which it writes last.
    Output is the same either way (tests/test_build.py).
    """
    if chart_images:
        if not site:
            raise UsageError("--chart-images draws the site's charts: build the site too (drop --no-site).")
        require_renderer()
    say = progress or (lambda _step: None)
    package, root, version, out = _read_to_publish(root, out, say)
    stem = f"war-claims-{version}"
    names = _download_names(version, stem)
    with new_set(out, version) as staging:
        held: list[pd.DataFrame] = []  # the history, for the last job of the same process
        compare_names: dict[str, str] = {}

        def compared() -> list[Comparison]:
            found = comparisons(package)  # once: the downloads and the site's pages show the same
            compare_names.update(_comparison_files(found, stem, staging, say))  # each one's CSV kept on it
            return found

        def history(tell: Progress) -> tuple[pd.DataFrame, str]:
            table, label = _history(root, package, tell)
            held.append(table)
            return table, label

        def downloads(tell: Progress) -> tuple[WorkbookResult, dict[str, str]]:
            return _write_downloads(root, package, held[0], names, staging, tell)

        # the jobs in the order the site needs them: the history for its claim pages, the
        # downloads for its home page
        child = in_parallel(history, downloads) if parallel and site else None
        try:
            if child is None:
                found = compared()
                told = history(say)
                workbook, wide = downloads(say)
            pages = None
            if site:
                say("writing the site" + (" (history and downloads in a second process)" if child else ""))
                pages = build_site(
                    root,
                    package,
                    staging / SITE_FOLDER,
                    (lambda: child.result(0)) if child else told,
                    lambda: _listed(child, staging, say),
                    chart_images,
                    compared=compared if child else found,
                )
            if child:
                workbook, wide = child.result(1)
        finally:
            if child:
                child.wait()  # before a failed set's staging folder is removed
        names.update(compare_names)
        names.update(wide)
    folder = out / version
    if pages is not None:
        pages.folder = folder / SITE_FOLDER
    return BuildResult(version, folder, [folder / n for n in names.values()], workbook, pages)


def _download_names(version: str, stem: str) -> dict[str, str]:
    """The fixed downloads' file names; the comparisons' and the wide tables' are added as written."""
    return {
        "zip": f"{stem}.zip",
        "flat": f"{stem}-claims-flat.csv",
        "xlsx": f"{stem}.xlsx",
        "sqlite": f"{database_stem(version)}.sqlite",
        "metadata": f"{stem}-datasette-metadata.json",
        "parquet": f"{stem}-claims.parquet",
    }


def _listed(child: Parallel | None, staging: Path, say: Progress) -> list:
    """The downloads as the home page lists them, once they are all written."""
    if child:
        say("waiting for the downloads")
        child.result(1)
    return downloads_in(staging)


def build_site_only(
    root: Path, out: Path | None = None, progress: Progress | None = None, chart_images: bool = False
) -> SiteResult:
    """Validate, then write only the site, as out/<version>/site, listing the downloads already
    in out/<version> (none when the set was never built). Replaced whole, like a set."""
    if chart_images:
        require_renderer()
    say = progress or (lambda _step: None)
    package, root, version, out = _read_to_publish(root, out, say)
    history = _history(root, package, say)
    folder = out / version
    folder.mkdir(parents=True, exist_ok=True)
    downloads = downloads_in(folder)
    say("writing the site")
    with new_set(folder, SITE_FOLDER) as staging:
        site = build_site(root, package, staging, history, downloads, chart_images)
    site.folder = folder / SITE_FOLDER
    return site
