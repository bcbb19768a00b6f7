"""Where pages go and what surrounds them: the folder writer, the shared page layout, and the
two ways data text may reach a page other than through a template's autoescape (a link target,
JSON in a script element), each made safe here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .model import Edition

HERE = Path(__file__).parent


@dataclass
class SiteResult:
    folder: Path
    pages: int = 0
    bytes: int = 0
    largest: tuple[int, str] = (0, "")


def safe_url(value: str) -> str:
    """A link target only for web addresses: a javascript: or data: URL in a source's url cell
    is shown as text, never made a link."""
    text = str(value or "")
    return text if text.lower().startswith(("https://", "http://")) else ""


def _filesize(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["filesize"] = _filesize
    return env


def script_json(value: Any) -> Markup:
    """JSON that cannot end its <script> element or open a comment or tag inside it: marked safe
    for the template because no <, > or & is left in it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Writer:
    def __init__(self, folder: Path) -> None:
        self.result = SiteResult(folder)
        self.folder = folder
        self._made: set[Path] = set()

    def write(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = self.folder / rel
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        r = self.result
        r.bytes += len(data)
        if rel.endswith(".html"):
            r.pages += 1
            if len(data) > r.largest[0]:
                r.largest = (len(data), rel)


class Layout:
    """The page around each page's content (layout.html), rendered once per folder depth and set
    of scripts and cut at its two holes, so the 100,000th claim page costs its own content only."""

    _TITLE, _MAIN = "\x00title\x00", "\x00main\x00"

    def __init__(self, env: jinja2.Environment, ed: Edition) -> None:
        self.template = env.get_template("layout.html")
        self.edition = ed
        self._parts: dict[tuple[str, str], tuple[str, str, str]] = {}

    def page(self, root: str, title: str, main: str, scripts: tuple[str, ...] = ()) -> str:
        key = (root, " ".join(scripts))
        if key not in self._parts:
            tags = Markup("\n").join(Markup('<script src="{}"></script>').format(root + s) for s in scripts)
            text = self.template.render(
                edition=self.edition, root=root, title=Markup(self._TITLE), main=Markup(self._MAIN), scripts=tags
            )
            before, rest = text.split(self._TITLE)
            middle, after = rest.split(self._MAIN)
            self._parts[key] = (before, middle, after)
        before, middle, after = self._parts[key]
        return f"{before}{escape(title)}{middle}{main}{after}"
