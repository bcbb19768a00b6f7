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
    "validate_package": "check.validate",
    "diff_packages": "compare.diff",
    "build_dist": "publish.build",
    "build_site_only": "publish.build",
    "plan_release": "publish.release",
    "apply_release": "publish.release",
    "find_releases": "repo.release_record",
    "resolve_release": "repo.release_record",
    "Report": "problems.report",
    "Problem": "problems.report",
    "PackageDiff": "compare.diff_model",
    "ResourceDiff": "compare.diff_model",
    "CellChange": "compare.diff_model",
    "MetaChange": "compare.diff_model",
    "BuildResult": "publish.build",
    "SiteResult": "website",
    "Release": "repo.release_record",
    "CODES": "problems.codes",
    "EFFECTS": "problems.codes",
    "ToolkitError": "errors",
    "UsageError": "errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
