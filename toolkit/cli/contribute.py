"""`claims add-source` and `claims extract`: from a document to draft rows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import EXIT_OK, WAIT, finish_interrupted_write, flag, run_guarded, to_stderr

Package = Annotated[Path, typer.Option("--package", "-p", help="Package folder.")]
Debug = Annotated[bool, flag("--debug", help="Show tracebacks of internal errors.")]


def add_source(
    file: Annotated[Path, typer.Argument(help="The document's text (UTF-8 unless --encoding).")],
    title: Annotated[str, typer.Option("--title", help="The document's title as it shows it.")],
    publisher: Annotated[str, typer.Option("--publisher", help="Who published it; omit when unknown.")] = "",
    url: Annotated[str, typer.Option("--url", help="Where it was published; omit when unknown.")] = "",
    published: Annotated[str, typer.Option("--published", help="Publication date, YYYY-MM-DD.")] = "",
    retrieved: Annotated[str, typer.Option("--retrieved", help="Date the text was taken, YYYY-MM-DD.")] = "",
    language: Annotated[str, typer.Option("--language", help="ISO 639-1 code, e.g. en.")] = "",
    notes: Annotated[str, typer.Option("--notes", help="What is known or unknown about its origin.")] = "",
    encoding: Annotated[str | None, typer.Option("--encoding", help="The file's encoding if not UTF-8.")] = None,
    wait: Annotated[float, WAIT] = 0.0,
    package: Package = Path("."),
    debug: Debug = False,
) -> None:
    """Archive a document under seeds/ (UTF-8, LF) and append its row to data/sources.csv.

    Refuses empty, binary, oversized or non-UTF-8 files and texts archived already; then nothing
    is written.

    Example: claims add-source article.txt --title "Russian army on brink" --language en
    """
    from ..contribute.add_source import add_source as add_source_api

    added = run_guarded(
        lambda: add_source_api(
            package,
            file,
            title=title,
            publisher=publisher,
            url=url,
            published=published,
            retrieved=retrieved,
            language=language,
            notes=notes,
            encoding=encoding,
            wait=wait,
            notify=to_stderr,
        ),
        debug,
    )
    typer.echo(f"added {added.source_id}: archived {added.seed_path} (sha256 {added.sha256[:12]}...)")
    typer.echo(f"next: claims extract {added.source_id} --append")


def extract(
    source_id: Annotated[str, typer.Argument(help="The source to read, e.g. S0002.")],
    append: Annotated[bool, flag("--append", help="Append the drafts to data/claims.csv.")] = False,
    again: Annotated[
        bool, flag("--again", help="Draft a source that has claims already (only figures no claim of it records).")
    ] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the drafts to this CSV.")] = None,
    wait: Annotated[float, WAIT] = 0.0,
    package: Package = Path("."),
    debug: Debug = False,
) -> None:
    """Find every figure in a source's seed and write draft claims rows with the numbers filled in.

    Without --append or --output the drafts are printed as CSV. The cells that need a person's
    judgement are left empty and listed.

    Example: claims extract S0002 --append
    """
    from ..contribute.extract import append_drafts, extract_drafts
    from ..core.files import atomic_write, csv_rows

    if append:
        drafts = run_guarded(
            lambda: append_drafts(package, source_id, again, wait=wait, notify=to_stderr), debug, command="extract"
        )
    else:
        run_guarded(lambda: finish_interrupted_write(package), debug, command="extract")  # a whole state, read
        drafts = run_guarded(lambda: extract_drafts(package, source_id, again), debug, command="extract")
    if drafts.held_back:
        ids = ", ".join(drafts.existing[:5]) + (" ..." if len(drafts.existing) > 5 else "")
        typer.echo(
            f"nothing drafted: {source_id} has {len(drafts.existing)} claim(s) already ({ids}), and drafting it "
            "again could bring back drafts you deleted. To draft only the figures none of them records: "
            f"claims extract {source_id} --again",
            err=True,
        )
        raise typer.Exit(EXIT_OK)
    if append:
        typer.echo(f"appended {len(drafts.rows)} draft claim(s) to {drafts.claims_file}", err=True)
    elif output is not None:
        run_guarded(lambda: atomic_write(output, csv_rows([drafts.header, *drafts.rows])), debug)
        typer.echo(f"wrote {len(drafts.rows)} draft claim(s) to {output}", err=True)
    else:
        typer.echo(csv_rows([drafts.header, *drafts.rows]).decode("utf-8"), nl=False)
    if drafts.skipped:
        typer.echo(f"skipped {drafts.skipped} figure(s) that claims of {source_id} already record", err=True)
    if drafts.rows:
        ids = f"{drafts.rows[0][0]}..{drafts.rows[-1][0]}"
        typer.echo(
            f"left for you in {ids}: {', '.join(drafts.left_open)}; delete drafts that are not figures "
            "or repeat another row, and the DRAFT note; then run `claims validate`.",
            err=True,
        )
    elif drafts.skipped:
        typer.echo(f"nothing new to draft: every figure of {source_id} is recorded already.", err=True)
    else:
        typer.echo("no figures found in the seed.", err=True)
