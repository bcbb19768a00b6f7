"""cli/allocator.py: the CLI prefers jemalloc, but never over the user's own choice."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa

_SHOW = "from toolkit.cli.allocator import prefer_jemalloc; print(prefer_jemalloc())"


def _pool(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run(
        [sys.executable, "-c", _SHOW], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_jemalloc_is_used_when_this_pyarrow_has_it() -> None:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        expected = pa.default_memory_pool().backend_name
    else:
        expected = "jemalloc"
    assert _pool() == expected


def test_the_users_choice_of_pool_stands() -> None:
    assert _pool(ARROW_DEFAULT_MEMORY_POOL="system") == "system"
