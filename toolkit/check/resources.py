"""The package layer: the resources every command of the toolkit relies on are declared."""

from __future__ import annotations

from ..problems.report import DESCRIPTOR, Report
from .registry import Context, layer

PACKAGE = layer("package", order=10)
REQUIRED_RESOURCES = ("claims", "sources", "claimants", "metrics")


@PACKAGE.check("resource-missing")
def check_resources(ctx: Context, report: Report) -> None:
    declared = {r.get("name") for r in ctx.package.descriptor["resources"] if isinstance(r, dict)}
    for name in REQUIRED_RESOURCES:
        if name not in ctx.package.tables and name not in declared:
            report.add("resource-missing", DESCRIPTOR, f"The package has no {name!r} resource.")
