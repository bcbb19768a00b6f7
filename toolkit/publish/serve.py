"""A built release served on this machine, to look at its site in a browser as readers will.

The version folder (dist/X.Y.Z/) is the web root, not its site/ folder: the site's links to the
downloads built beside it (../war-claims-X.Y.Z.zip) then resolve, as on GitHub Pages, where the
workflow publishes the version folder too. Serving site/ alone breaks every download link.
"""

from __future__ import annotations

import functools
import http.server
import json
from pathlib import Path

from ..errors import UsageError
from ..website import SITE_FOLDER


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Files only, no listing of a folder, no line on the terminal per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def list_directory(self, path: str):  # type: ignore[no-untyped-def]
        self.send_error(404, "No page here")
        return None


def release_folder(root: Path, out: Path | None = None, version: str | None = None) -> Path:
    """dist/<version>/ of the package (its declared version unless one is named), with its site."""
    out = out if out is not None else root / "dist"
    version = version or _declared_version(root)
    folder = out / version
    if not (folder / SITE_FOLDER / "index.html").is_file():
        built = (
            sorted(p.name for p in out.glob("*") if (p / SITE_FOLDER / "index.html").is_file()) if out.is_dir() else []
        )
        raise UsageError(
            f"{folder} holds no built site: run `claims build` first"
            + (f" (built: {', '.join(built)}; or name one with --version)" if built else "")
        )
    return folder


def _declared_version(root: Path) -> str:
    try:
        declared = json.loads((root / "datapackage.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError) as exc:
        raise UsageError(f"cannot read the version of {root / 'datapackage.json'}: name it with --version") from exc
    if not isinstance(declared, str) or not declared:
        raise UsageError(f"{root / 'datapackage.json'} declares no version: name one with --version")
    return declared


def site_server(folder: Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """An HTTP server of folder (a release's version folder); port 0 takes any free port."""
    handler = functools.partial(_Quiet, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc} (choose another --port)") from exc


def site_address(server: http.server.ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/{SITE_FOLDER}/index.html"
