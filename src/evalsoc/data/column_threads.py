"""One function over a large frame's columns on a few threads, results in the columns' order
(issue 16, wall time).

The load-only floor reads a CSV file with Arrow's threads (both cores of the benchmark's
machine); evalsoc's per-column steps after the read ran on one. Their costly parts are Arrow
compute kernels (`dictionary_encode`, `cast`, `filter`) and numpy passes over 10^6 values,
which release the GIL, so two columns' conversions overlap. Each column's work is the same
function on the same input as on one thread, and the results come back in the columns' order
(`Executor.map`), so the outputs are the same bits whatever the threads' timing: the shared
caches such work fills (data/text_codes.py, data/convert.py) are guarded by a lock.

A small frame stays on the calling thread: below `THREADED_ROWS` rows the threads' start costs
more than the overlap gives. EVALSOC_THREADS caps the threads (1: none; docs/cli.md), for a
machine shared with other work; the results do not depend on it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

THREADED_ROWS = 100_000  # rows from which a frame's columns are worked on in threads
MAX_THREADS = 4  # a source's few costly columns (its text) leave nothing for more to share,
# and each thread holds one column's temporaries (two threads: ≈ +40 MB of peak at 10^6 rows)


def thread_count(rows: int, columns: int) -> int:
    """Threads for `columns` columns of `rows` rows: 1 (the calling thread) for a small frame,
    else one per core up to MAX_THREADS. EVALSOC_THREADS=1 keeps every step on one thread."""
    wanted = os.environ.get("EVALSOC_THREADS", "").strip()
    cores = int(wanted) if wanted.isdigit() and int(wanted) > 0 else os.cpu_count() or 1
    if rows < THREADED_ROWS or columns < 2:
        return 1
    return max(1, min(cores, MAX_THREADS, columns))


def per_column(work: Callable[[Item], Result], items: Sequence[Item], rows: int) -> list[Result]:
    """`[work(item) for item in items]`, on threads when the frame is large; an exception is
    raised as the loop would raise it (the first failing item's, in order)."""
    threads = thread_count(rows, len(items))
    if threads == 1:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="evalsoc-column") as pool:
        return list(pool.map(work, items))
