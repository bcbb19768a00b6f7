"""The toolkit's packages import only downwards, and no module imports itself back in a circle.

Every import counts, at any depth of a module (an import inside a function is a dependency as
much as one at the top: hiding a circle there is still a circle), and under TYPE_CHECKING too.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT

TOOLKIT = ROOT / "toolkit"
# Lowest first: a package may import its own modules and those of the packages before it.
# docs/architecture.md lists the same packages in the same order (test below).
ORDER = ("core", "repo", "problems", "read", "compare", "check", "website", "publish", "upstream", "contribute", "cli")
# the exception hierarchy is as low as core; the public top (lazy names, the version) belongs with cli
TOP_MODULES = {"toolkit.errors": "core", "toolkit": "cli", "toolkit.__main__": "cli"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every toolkit module path imports, wherever in the file the import stands."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == root.name}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != root.name:
                continue
            # `from pkg import mod` names a module when mod is one
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate, root) else target)
    found.discard(name)
    return found


def _exists(module: str, root: Path) -> bool:
    rel = Path(*module.split(".")[1:])
    return (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file()


def graph(root: Path) -> dict[str, set[str]]:
    return {module_name(p, root): imports_of(p, root) for p in sorted(root.rglob("*.py"))}


def package_of(module: str) -> str | None:
    """The role package a module belongs to; None for a module outside every role package."""
    if module in TOP_MODULES:
        return TOP_MODULES[module]
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    bad = []
    for module, targets in edges.items():
        mine = package_of(module)
        if mine is None:
            continue
        for target in targets:
            theirs = package_of(target)
            if theirs is not None and ORDER.index(theirs) > ORDER.index(mine):
                bad.append(f"{module} ({mine}) imports {target} ({theirs}), a package above it")
    return sorted(bad)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in edges:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_role_package() -> None:
    loose = [m for m in graph(TOOLKIT) if package_of(m) is None]
    assert loose == [], "modules outside the role packages: " + ", ".join(loose)


def test_packages_import_only_the_packages_below_them() -> None:
    assert upward_imports(graph(TOOLKIT)) == []


def test_no_module_imports_itself_back_in_a_circle() -> None:
    assert circles(graph(TOOLKIT)) == []


def test_the_order_is_the_one_docs_architecture_describes() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\d+\. `(\w+)/`", doc, flags=re.M)
    assert tuple(listed) == ORDER


@pytest.fixture
def toolkit_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "toolkit"
    shutil.copytree(TOOLKIT, copy, ignore=shutil.ignore_patterns("__pycache__", "assets", "templates"))
    return copy


def test_an_upward_import_is_caught(toolkit_copy: Path) -> None:
    (toolkit_copy / "read" / "shortcut.py").write_text(
        "def valid(path):\n    from ..check.validate import validate_package\n\n    return validate_package(path)\n"
    )
    assert upward_imports(graph(toolkit_copy)) == [
        "toolkit.read.shortcut (read) imports toolkit.check.validate (check), a package above it"
    ]


def test_a_circle_is_caught_even_inside_a_function(toolkit_copy: Path) -> None:
    (toolkit_copy / "core" / "ping.py").write_text("from . import pong\n")
    (toolkit_copy / "core" / "pong.py").write_text("def back():\n    from .ping import x\n\n    return x\n")
    assert ["toolkit.core.ping", "toolkit.core.pong"] in circles(graph(toolkit_copy))


def long_functions(root: Path, most: int = 80) -> list[str]:
    """Functions (methods and nested functions included) longer than most lines, decorators not counted."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > most:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_is_longer_than_a_screen() -> None:
    """A long function reads as its own table of contents: named steps, none over 80 lines."""
    assert long_functions(TOOLKIT) == []


def test_a_long_function_is_caught(toolkit_copy: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(80))
    (toolkit_copy / "core" / "long.py").write_text(f"def long():\n{body}    return x0\n")
    assert long_functions(toolkit_copy) == ["toolkit/core/long.py:1 long (82 lines)"]


def test_no_module_is_named_like_a_standard_library_module() -> None:
    """`numbers.py` or a `site/` package would shadow the standard library for anyone who puts the
    folder on sys.path, and mislead a reader about what the file holds."""
    import sys

    clashes = [m for m in graph(TOOLKIT) if m.rpartition(".")[2] in sys.stdlib_module_names]
    assert clashes == []


def test_the_command_line_starts_without_a_data_library() -> None:
    """`claims --help` is paid on every command: building the CLI imports no data library (each
    command imports what it needs when it runs)."""
    import subprocess
    import sys

    probe = (
        "import sys, toolkit.cli\n"
        "heavy = ('pandas', 'numpy', 'pyarrow', 'frictionless', 'pandera', 'jinja2')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
