"""The SVG image of a metric chart, for a reader who puts the chart in an article.

The pages draw their charts in the browser; an image made at build time has to come from the same
spec or it would show something else. vl-convert renders a Vega-Lite spec with the Vega and
Vega-Lite releases it bundles (no browser, no network), so the image is the chart the page draws.
It is an optional extra (`pip install 'war-claims[charts]'`, about 35 MB): most builds do not
need images, and the site's own export menu makes them in the reader's browser.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError

# the newest Vega-Lite line vl-convert 1.9 bundles; the page's vendored vega-lite is 6.5, and the
# spec uses nothing newer than 6.0 (website/chart.py)
VL_VERSION = "6.4"
INSTALL = "pip install 'war-claims[charts]'"


def _converter() -> Any:
    try:
        import vl_convert
    except ImportError as exc:
        raise UsageError(
            f"--chart-images needs vl-convert-python, which is not installed. Fix: {INSTALL}, or build without it."
        ) from exc
    return vl_convert


def chart_svg(spec: dict[str, Any]) -> bytes:
    """The spec drawn as a standalone SVG document (UTF-8), with the chart's title and data inline."""
    text = _converter().vegalite_to_svg(spec, vl_version=VL_VERSION)
    return text.encode("utf-8")


def require_renderer() -> None:
    """Fail before any page is written when images were asked for and cannot be made."""
    _converter()
