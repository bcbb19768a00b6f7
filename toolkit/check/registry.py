"""The check registry: every check says, where it is written, which layer it belongs to and which
problem codes it may report (as frictionless' `Check.Errors` and pandera's
`register_builtin_check(error=...)` do).

A module of check/ declares its layer once (`ROW_LOGIC = layer("row logic", order=40)`) and
decorates each check function with the codes it reports (`@ROW_LOGIC.check("bounds-order")`).
`layers()` imports every module of check/ and returns the declared layers in their order, so a new
check runs by being written, and tests hold each layer to the codes it declares. A layer that must
see what every other layer found (the comparison with earlier states, which is skipped when
reading lost data) says so with `last=True`; one that releases the GIL and allocates little runs
in validate's second thread with `background=True`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

import pandas as pd

from ..problems.codes import CODES
from ..problems.report import Report
from ..read.model import LoadedPackage, Table


@dataclass(kw_only=True)
class Context:
    """What the checks read: the loaded package, the day that counts as today, the earlier states
    to compare with, and the parsed wordings (a future: parsed in the background thread)."""

    package: LoadedPackage
    today: dt.date
    against: Sequence[str] = ()
    wordings: Future[pd.DataFrame] | None = None
    whole: bool = True  # reading lost nothing (read/policy.blocking): comparisons with other states make sense

    @property
    def claims(self) -> Table | None:
        return self.package.tables.get("claims")


CheckFunction = Callable[[Context, Report], None]


@dataclass(frozen=True, kw_only=True)
class Check:
    name: str
    codes: frozenset[str]
    run: CheckFunction


@dataclass(kw_only=True)
class Layer:
    """A group of checks that run together and report in the order of their layer."""

    name: str
    order: int  # lower runs and reports first
    background: bool = False  # runs in validate's second thread
    last: bool = False  # runs after every other layer has finished
    checks: list[Check] = field(default_factory=list)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset().union(*(c.codes for c in self.checks))

    def check(self, *codes: str) -> Callable[[CheckFunction], CheckFunction]:
        """Register the decorated function as a check of this layer that may report codes."""
        unknown = [c for c in codes if c not in CODES]
        if unknown or not codes:
            raise ValueError(f"a check of {self.name!r} declares codes that are not in problems/codes.py: {unknown}")

        def register(function: CheckFunction) -> CheckFunction:
            self.checks.append(Check(name=function.__name__, codes=frozenset(codes), run=function))
            return function

        return register

    def run(self, ctx: Context, report: Report) -> None:
        for check in self.checks:
            check.run(ctx, report)


_DECLARED: dict[str, Layer] = {}


def layer(name: str, *, order: int, background: bool = False, last: bool = False) -> Layer:
    """Declare a layer (once per name; two layers never share an order)."""
    if name in _DECLARED:
        raise ValueError(f"the layer {name!r} is declared twice")
    if any(other.order == order for other in _DECLARED.values()):
        raise ValueError(f"the layer {name!r} has the order {order} of another layer")
    declared = Layer(name=name, order=order, background=background, last=last)
    _DECLARED[name] = declared
    return declared


def layers() -> tuple[Layer, ...]:
    """Every layer the modules of check/ declare, in order (their modules imported first)."""
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{module.name}")
    return tuple(sorted(_DECLARED.values(), key=lambda x: x.order))
