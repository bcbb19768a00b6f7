"""The static site of a release: home, a page per metric, claim and source (pages.py).

`claims build` writes it as site/ inside the release set, beside the downloads it lists;
`claims site` writes only the site into an existing or new set folder.
"""

from __future__ import annotations

from pathlib import Path

from ..core.files import size_and_sha256
from .model import Download
from .pages import SiteResult, build_site

SITE_FOLDER = "site"


def downloads_in(folder: Path) -> list[Download]:
    """Every file of a release set folder (not the site itself), with its size and SHA-256."""
    out = []
    for path in sorted(
        p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    ):
        out.append(Download(path.name, *size_and_sha256(path)))
    return out


__all__ = ["SITE_FOLDER", "Download", "SiteResult", "build_site", "downloads_in"]
