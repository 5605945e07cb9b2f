"""Linear algebra on one thread, for sums whose last bits must not depend on the machine.

numpy's `w @ a` on vectors calls OpenBLAS's `ddot`, which splits vectors longer than 10,000
entries between as many threads as the machine has cores and adds the partial sums: the last
bits of a weighted total then depend on the core count (two machines, two results.json), and
on a loaded machine the helper threads spin between calls (measured on this 2-core machine:
a ratio with its influence over 10^5 cells took 10.9 ms of CPU on two threads, 0.5 ms on one).
Vectors of 10,000 entries or fewer are summed on one thread anyway, so small data give the
same bits as before. threadpoolctl (scikit-learn's) is the maintained way to set the limit for
the BLAS numpy loaded, whatever it is (OpenBLAS, MKL, BLIS).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS calls inside the block run on one thread; the previous limit is restored after."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
