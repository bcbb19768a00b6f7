"""Each seed's SHA-256 against the one its source records: the archived text has not changed."""

from __future__ import annotations

import hashlib

from ..problems.report import Report
from .registry import Context, layer

SEED_HASHES = layer("seed hashes", order=50, background=True)


@SEED_HASHES.check("seed-hash-mismatch")
def check_seed_hashes(ctx: Context, report: Report) -> None:
    """Each seed's SHA-256 against the one its source records.

    Files are hashed in blocks (no allocation the size of a file), and both reading and hashing
    release the GIL, so validate runs this in its background thread.
    """
    seeds = ctx.package.seeds
    for row, line, rel, digest, path in seeds.to_hash:
        with path.open("rb") as handle:
            actual = hashlib.file_digest(handle, "sha256").hexdigest()
        if actual != digest:
            report.add(
                "seed-hash-mismatch",
                seeds.file,
                f"{rel} has SHA-256 {actual}, not the recorded {digest}.",
                row=row,
                column="seed_sha256",
                value=digest,
                line=line,
                hint=f"If the recorded hash is a typo, write {actual}; seeds themselves never change.",
            )
