"""war-claims toolkit: validate, diff, release and build the war-claims data package.

The library API returns plain objects (Report, PackageDiff, BuildResult); the `claims` CLI only
renders them. Names are loaded on first use, so `import toolkit` (and `claims --help`) imports
no data library; docs/library.md lists them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "validate_package": "validate",
    "diff_packages": "diff",
    "build_dist": "build",
    "build_site_only": "build",
    "plan_release": "release",
    "apply_release": "release",
    "find_releases": "releases",
    "resolve_release": "releases",
    "Report": "problems",
    "Problem": "problems",
    "PackageDiff": "diff",
    "ResourceDiff": "diff",
    "CellChange": "diff",
    "MetaChange": "diff",
    "BuildResult": "build",
    "SiteResult": "site",
    "Release": "releases",
    "CODES": "codes",
    "EFFECTS": "codes",
    "ToolkitError": "errors",
    "UsageError": "errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
