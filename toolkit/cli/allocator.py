"""Which allocator pyarrow uses in the `claims` process.

Validation allocates and frees a few hundred megabytes of arrow buffers per table. With
pyarrow's default pool (mimalloc) much of that goes back to the system and is faulted in again;
on the benchmark machine jemalloc cut the kernel's share of a 1,000,000-claim validation from
about 3 s to 1.5 s at the same peak memory (docs/performance.md). The choice is made for the
command-line process only: a program that imports the toolkit keeps its own pool.
"""

from __future__ import annotations

import contextlib
import os

import pyarrow as pa

ENV = "ARROW_DEFAULT_MEMORY_POOL"


def prefer_jemalloc() -> str:
    """Use jemalloc when this pyarrow build has it and the user has not chosen a pool; return the pool used."""
    if os.environ.get(ENV):
        return pa.default_memory_pool().backend_name
    with contextlib.suppress(NotImplementedError, pa.ArrowNotImplementedError):  # Windows wheels lack it
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    return pa.default_memory_pool().backend_name
