"""publish/serve.py and `claims serve`: the built release served as readers see it, every link of
every page working (the site's links to the downloads beside it included)."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import UsageError
from toolkit.publish.build import build_dist
from toolkit.publish.serve import release_folder, site_address, site_server

from .conftest import make_package

LINK = re.compile(r'(?:href|src)="([^"]+)"')


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    pkg = make_package(tmp / "pkg")
    build_dist(pkg, tmp / "dist")
    folder = release_folder(pkg, tmp / "dist")
    server = site_server(folder, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site_address(server), folder
    server.shutdown()
    server.server_close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # a server of the test's own
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_every_link_of_every_page_works_when_served_as_the_readme_says(served: tuple[str, Path]) -> None:
    home, folder = served
    seen: set[str] = set()
    pages = [home]
    broken = []
    while pages:
        page = pages.pop()
        if page in seen:
            continue
        seen.add(page)
        status, body = _get(page)
        assert status == 200, page
        for link in LINK.findall(body.decode("utf-8")):
            if link.startswith(("http://", "https://", "mailto:", "#", "data:")):
                continue
            target = urllib.parse.urljoin(page, link).split("#", 1)[0].split("?", 1)[0]
            if target.endswith(".html"):
                pages.append(target)
            elif target not in seen:
                seen.add(target)
                if _get(target)[0] != 200:
                    broken.append((page, link))
    assert not broken, broken[:10]
    assert len([p for p in seen if p.endswith(".html")]) > 10
    # the downloads are among the links, one level up from the site, and they resolve
    downloads = [p for p in seen if "/site/" not in p and p.endswith(".zip")]
    assert downloads and all(_get(p)[0] == 200 for p in downloads)
    assert (folder / "site" / "index.html").is_file()


def test_a_folder_is_never_listed(served: tuple[str, Path]) -> None:
    home, _ = served
    assert _get(home.rsplit("/", 2)[0] + "/site/")[0] == 200  # its index.html
    assert _get(home.rsplit("/", 2)[0] + "/site/assets/")[0] == 404


def test_a_release_never_built_is_refused_with_what_to_do(tmp_path: Path) -> None:
    pkg = make_package(tmp_path / "pkg")
    with pytest.raises(UsageError, match="run `claims build` first"):
        release_folder(pkg)
    result = CliRunner().invoke(app, ["serve", str(pkg)])
    assert result.exit_code == 2 and "run `claims build` first" in result.stderr
